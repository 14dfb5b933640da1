import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { utils } from 'ssh2';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateTopology, labImageName, makeLabImage, startLab, type Lab } from '../../../src/lab';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { NetopsClient } from '../../../src/client/netops-client';
import { LAB_DEVICE_TIMINGS } from '../../../src/cli/rollout/settings';
import type { DashboardStatusReport } from '../../../src/contracts/dashboard';
import type { RolloutInput } from '../../../src/contracts/rollout';
import { runCli, startCli, type CliRun, type LongRunning } from '../../support/cli-process';
import { FROM_VERSION, TO_VERSION } from '../../support/rollout-fixture';
import { startLoggedServer, type LoggedServer } from './logged-server';
import { allHistories, findSecrets } from './secret-scan';

// Every workflow kind runs once against a lab whose secrets are distinctive
// strings handed over only as env:/file: references. Afterwards every log
// line (worker, CLI, lab, the server itself) and every workflow history in
// the namespace (payloads decoded) is searched for them. A canary run
// through the same scan proves the scan can find what it looks for.

const tag = randomBytes(6).toString('hex');
const SECRETS = {
  password: `pw-S3cr3t-${tag}`,
  enable: `en-S3cr3t-${tag}`,
  passphrase: `pp-S3cr3t-${tag}`,
};
const ENV = { NETOPS_SECRET_PW: SECRETS.password, NETOPS_SECRET_ENABLE: SECRETS.enable };
const DASHBOARD_KEY_ENV = 'NETOPS_SECRET_DASHBOARD_KEY';

/** An encrypted OpenSSH key that ssh2 can read back with the passphrase (ed25519 keys now and then cannot: mscdex/ssh2#1513). */
function encryptedKeyPair(passphrase: string): { private: string; public: string } {
  for (;;) {
    const kp = utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 16 });
    if (!(utils.parseKey(kp.private, passphrase) instanceof Error) && !(utils.parseKey(kp.public) instanceof Error)) return kp;
  }
}

/** The router without a peer: it refuses every login, so no pair is held by its failure. */
function single(lab: Lab): string {
  return lab.devices.find((d) => !d.redundancyGroup)!.name;
}

describe('secret hygiene: no secret in any log or workflow history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netops-secrets-'));
  const logs: Record<string, string> = {};
  const secrets: string[] = Object.values(SECRETS);
  let server: LoggedServer;
  let lab: Lab;
  let sim: DashboardSim;
  let worker: LongRunning;
  let connection: Connection;
  let client: Client;
  let inventoryPath: string;
  let imagePath: string;
  let cliEnv: NodeJS.ProcessEnv;

  const timings: string[] = [];
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  const cli = async (name: string, args: string[]): Promise<CliRun> => {
    const started = Date.now();
    const run = await runCli([...args, '--address', server.address], { env: cliEnv, timeoutMs: 120_000 });
    logs[`cli ${name}`] = `${run.stdout}\n${run.stderr}`;
    timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return run;
  };

  beforeAll(async () => {
    const key = encryptedKeyPair(SECRETS.passphrase);
    // The private key file itself is secret too: a line of its body must not leak either.
    const keyBody = key.private.split('\n').filter((l) => l && !l.startsWith('-----'));
    secrets.push(keyBody[Math.floor(keyBody.length / 2)]!);
    const keyPath = join(dir, 'id_ed25519');
    writeFileSync(keyPath, key.private, { mode: 0o600 });
    const passphrasePath = join(dir, 'passphrase');
    writeFileSync(passphrasePath, SECRETS.passphrase, { mode: 0o600 });
    const enablePath = join(dir, 'enable');
    writeFileSync(enablePath, SECRETS.enable, { mode: 0o600 });

    server = await startLoggedServer(inject('temporalCli'));
    // Two HSRP pairs and a single router; the single one refuses every login (the failure path must not leak either).
    const topology = generateTopology({ devices: 5, pairs: true, sites: 1, platform: 'iosxe', initialVersion: FROM_VERSION });
    lab = await startLab({
      topology,
      fast: true,
      credentials: { password: SECRETS.password, enableSecret: SECRETS.enable },
      authorizedKeys: [key.public],
      eventLogPath: join(dir, 'lab-events.jsonl'),
      dataDir: join(dir, 'lab'),
    });
    lab.setFault(single(lab), { kind: 'auth-failure' });
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 2, devicesPerNetwork: 3, timeScale: 200, stageDurationSec: 30, seed: 3 });
    secrets.push(sim.apiKey);

    // The pair r1 logs in with the encrypted key, everything else with the password; every secret by reference.
    inventoryPath = join(dir, 'inventory.yaml');
    writeFileSync(
      inventoryPath,
      stringify({
        defaults: { port: 22, platform: 'iosxe', credentials: 'password', host_key_check: 'strict' },
        credentials: {
          password: { username: 'admin', password: 'env:NETOPS_SECRET_PW', enable_secret: 'env:NETOPS_SECRET_ENABLE' },
          key: { username: 'admin', private_key: keyPath, passphrase: `file:${passphrasePath}`, enable_secret: `file:${enablePath}` },
        },
        sites: { site1: { timezone: 'UTC', windows: [] } },
        devices: Object.fromEntries(
          lab.devices.map((d) => [
            d.name,
            {
              host: d.host,
              port: d.port,
              site: d.site,
              host_key: d.hostKey,
              ...(d.redundancyGroup ? { redundancy_group: d.redundancyGroup } : {}),
              ...(d.name.startsWith('r1-') ? { credentials: 'key' } : {}),
            },
          ]),
        ),
      }),
    );
    imagePath = join(dir, labImageName('iosxe', TO_VERSION));
    writeFileSync(imagePath, makeLabImage(TO_VERSION, 128 * 1024));

    // Secrets reach the worker through its environment only; logs at debug, to give a leak every chance.
    cliEnv = { ...ENV, [DASHBOARD_KEY_ENV]: sim.apiKey, NETOPS_LOG_LEVEL: 'debug', NETOPS_RESULTS_DIR: join(dir, 'results') };
    worker = startCli(['worker', '--address', server.address, '--dashboard-orgs', sim.orgIds.join(',')], { env: cliEnv });
    const workerStarted = Date.now();
    await worker.waitFor(/worker polling task queue/, 90_000);
    timings.push(`worker start ${((Date.now() - workerStarted) / 1000).toFixed(1)} s`);
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection, namespace: 'default' });
  }, 180_000);

  afterAll(async () => {
    await worker?.stop('SIGINT');
    await connection?.close().catch(() => undefined);
    await sim?.stop();
    await lab?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every workflow kind, and none of the secrets appears in a log line or a history', async () => {
    const linesPath = join(dir, 'change.txt');
    writeFileSync(linesPath, 'ntp server 192.0.2.10\n');
    const dashboard = { baseUrl: sim.url, apiKey: { kind: 'env' as const, name: DASHBOARD_KEY_ENV } };
    const netops = new NetopsClient(client);
    // Independent lanes run at once; within the SSH lane the config push waits for the upgrade (one operation per device).
    const sshLane = async () => {
      // Rollout + device upgrades, through the CLI as an operator runs it; the single router's refused login is the failure path.
      const rollout = await cli('rollout start', ['rollout', 'start', '--inventory', inventoryPath, '--image', imagePath, '--timings', 'lab', '--window', '5', '--failure-budget', '1', '--name', 'sec-upgrade', '--watch']);
      expect(rollout.stdout + rollout.stderr).toMatch(/AuthenticationFailed|authentication/i);
      expect(lab.devices.filter((d) => d.version === TO_VERSION).map((d) => d.name).sort()).toEqual(lab.devices.filter((d) => d.redundancyGroup).map((d) => d.name).sort());
      const push = await cli('config push', ['config', 'push', '--inventory', inventoryPath, '--lines', linesPath, '--timings', 'lab', '--settle', '0s', '--window', '5', '--failure-budget', '1', '--no-approval', '--name', 'sec-config', '--watch']);
      expect(push.stdout + push.stderr).toMatch(/sec-config/);
    };
    const collectLane = async () => {
      const collect = await cli('collect run', ['collect', 'run', '--inventory', inventoryPath, '--name', 'sec-collect', '--wait']);
      // The rollout lane reloads devices meanwhile, so a device may be unreachable (exit 1); the run itself completes.
      expect([0, 1], collect.stderr).toContain(collect.code);
      expect(collect.stdout).toMatch(/collection sec-collect: 5 devices, \d+ collected/);
    };
    const probeLane = () =>
      timed('probe', async () => {
        const probe = (await client.workflow.execute('probeWorkflow', {
          taskQueue: 'netops',
          workflowId: 'sec-probe',
          args: [{ targets: lab.devices.map((d) => ({ name: d.name, host: d.host, port: d.port })) }],
        })) as { reachable: string[] };
        expect(probe.reachable.length).toBeGreaterThan(0);
      });
    // Dashboard: fleet status and a firmware rollout, the API key by reference.
    const dashboardLane = () =>
      timed('dashboard', async () => {
        const status = (await client.workflow.execute('dashboardStatusWorkflow', {
          taskQueue: 'netops',
          workflowId: 'sec-dashboard-status',
          args: [{ dashboard, orgIds: sim.orgIds }],
        })) as DashboardStatusReport;
        expect(status.failedOrgs).toEqual([]);
        expect(status.totals.total).toBe(6);
        const org = sim.orgIds[0]!;
        const firmware: RolloutInput = {
          name: 'sec-firmware',
          job: { kind: 'dashboard-firmware', firmware: 'MS 17.1.4', dashboard, pollIntervalMs: 200, startDelayMs: 0 },
          devices: sim.networkIds().map((networkId) => ({ kind: 'network', name: networkId, site: org, groups: [], orgId: org, networkId })),
          sites: { [org]: { name: org, timezone: 'UTC', windows: [] } },
          settings: { window: 2, expectedDeviceDurationMs: 60_000, respectWindows: false, failureBudget: { count: 2 }, requireApproval: false, dryRun: false, timings: LAB_DEVICE_TIMINGS },
        };
        await netops.startRollout(firmware);
        const firmwareReport = await netops.result('sec-firmware');
        expect(firmwareReport.devices).toHaveLength(2);
      });
    await Promise.all([sshLane(), collectLane(), probeLane(), dashboardLane()]);

    const histories = await timed('history scan', () => allHistories(client));
    const types = new Set(Object.keys(histories).map((k) => /\((\w+)\)$/.exec(k)?.[1]));
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['collectWorkflow', 'dashboardNetworkUpgradeWorkflow', 'dashboardStatusWorkflow', 'deviceConfigWorkflow', 'deviceUpgradeWorkflow', 'probeWorkflow', 'rolloutWorkflow']),
    );

    logs.worker = worker.output();
    logs['lab event log'] = readFileSync(join(dir, 'lab-events.jsonl'), 'utf8');
    logs['temporal server'] = server.output();
    expect(logs.worker.length, 'the worker logged nothing: the scan would prove nothing').toBeGreaterThan(1000);

    const leaks = findSecrets({ ...logs, ...histories }, secrets);
    expect(leaks.map((l) => `${l.secret} in ${l.source}: ...${l.context}...`)).toEqual([]);
    console.info(`[secrets] ${secrets.length} secrets, ${Object.keys(histories).length} histories (${[...types].join(', ')}), ${Object.keys(logs).length} logs of ${Object.values(logs).reduce((n, t) => n + t.length, 0)} chars: no leak; ${timings.join(', ')}`);
  }, 300_000);

  it('the same scan finds a canary carried in a workflow input and in CLI output (negative control)', async () => {
    const canary = `canary-S3cr3t-${randomBytes(6).toString('hex')}`;
    // The canary travels only inside payloads (input, activity input, result), never in an id or a name.
    await client.workflow.execute('probeWorkflow', {
      taskQueue: 'netops',
      workflowId: 'sec-canary-control',
      args: [{ targets: [{ name: canary, host: '127.0.0.1', port: 1 }], timeoutMs: 500 }],
    });
    const histories = await allHistories(client);
    const found = findSecrets(histories, [canary]);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((f) => f.source.split('@')[0]))).toEqual(new Set(['history sec-canary-control']));
    // Without decoding the payload bytes the canary stays invisible: the decoding is what makes the scan work.
    const raw = await client.workflow.getHandle('sec-canary-control').fetchHistory();
    expect(JSON.stringify(raw)).not.toContain(canary);

    const run = await runCli(['rollout', 'status', canary, '--address', server.address], { timeoutMs: 60_000 });
    expect(findSecrets({ cli: `${run.stdout}\n${run.stderr}` }, [canary])).toHaveLength(1);
  }, 120_000);
});
