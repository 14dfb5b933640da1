import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetopsClient } from '../../../src/client/netops-client';
import { createEncryptionCodec, dataConverterFor, ENCRYPTED_ENCODING, parseKeyText } from '../../../src/codec';
import { makeLabImage } from '../../../src/lab';
import { openResultStore } from '../../../src/results';
import { clusterDown, clusterUp, createNamespace, startClusterService, stopClusterService, type ClusterState } from '../../../src/server/cluster';
import { resolveTemporalCli } from '../../../src/server/temporal-cli';
import { rolloutWorkflowId, type RolloutReport } from '../../../src/contracts/rollout';
import { SA_ROLLOUT_ID, SEARCH_ATTRIBUTES } from '../../../src/contracts/search-attributes';
import { ROOT, runCli } from '../../support/cli-process';
import { startLabFixture, TO_VERSION, type LabFixture } from '../../support/rollout-fixture';
import { waitForProgress } from '../../support/rollout-helpers';
import { installQuietRuntime } from '../../support/temporal';
import { expectCleanRollout, onFirstLabEvent, priorities } from '../crash/crash-support';
import { clusterSkipReason, startWorkerProcess, workerEnv, type WorkerProcess } from './cluster-support';

// A production-shaped Temporal: the server built from its Go module at the
// version docker-compose.yml pins, on PostgreSQL, four services as separate
// processes, brought up by `netops cluster up`'s code with the deployment's
// own schema and namespace scripts. On it, what an operator runs: a rollout
// with canary and approval that loses its history service (kill -9 mid-reload)
// and its worker, a collection, a config push, and a worker that runs as an
// unprivileged user in the read-only checkout, as the container's does.

const skip = clusterSkipReason();
if (skip) console.warn(`[cluster] skipped: ${skip}`);

const KEY = `k1:${randomBytes(32).toString('base64')}`;
const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const EXPECTED_ATTRIBUTES = Object.fromEntries(
  SEARCH_ATTRIBUTES.map((a) => [a.name, a.cliType === 'KeywordList' ? IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
);

describe.skipIf(skip)('netops on a multi-service Temporal cluster on PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netops-cluster-'));
  // PostgreSQL (as postgres) and the unprivileged worker reach into it.
  chmodSync(dir, 0o755);
  const log: string[] = [];
  let state: ClusterState;
  let connection: Connection;
  let netops: NetopsClient;
  let fx: LabFixture;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    installQuietRuntime();
    // The first run on a machine builds the server from source (about ten minutes on two busy cores).
    state = await clusterUp({ dir, tieTo: process.pid, log: (line) => log.push(line) });
    connection = await Connection.connect({ address: state.address });
    const dataConverter = dataConverterFor(createEncryptionCodec(parseKeyText(KEY, 'test key')));
    netops = new NetopsClient(new Client({ connection, namespace: state.namespace, dataConverter }));
    fx = await startLabFixture();
    writeFileSync(fx.imagePath, makeLabImage(TO_VERSION, 1024 * 1024));
  }, 30 * 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await connection?.close().catch(() => undefined);
    await fx?.stop();
    await clusterDown(dir);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const startWorker = async (args: string[] = [], env: NodeJS.ProcessEnv = {}, as?: { uid: number; gid: number }): Promise<WorkerProcess> => {
    const w = startWorkerProcess(['--address', state.address, ...args], { env: workerEnv(env), ...(as ?? {}) });
    workers.push(w);
    await w.waitFor(/worker polling task queue/);
    return w;
  };
  const startRolloutCli = (namespace: string) =>
    runCli(['rollout', 'start', '--inventory', fx.inventoryPath, '--image', fx.imagePath, '--timings', 'lab', '--address', state.address, '--namespace', namespace, '--name', 'no-attributes', '--trust-inventory'], { timeoutMs: 60_000 });
  const mainWorker = () => startWorker([], { NETOPS_CODEC_KEYS: KEY, NETOPS_RESULTS_DIR: join(dir, 'results') });

  it('has all four search attributes on a fresh database, put there and verified by deploy/temporal/create-namespace.sh', async () => {
    expect(log).toContain('  namespace default ready: search attributes NetopsKind, NetopsRolloutId, NetopsTargetVersion, NetopsDevices verified');
    expect(await customAttributes(connection, 'default')).toMatchObject(EXPECTED_ATTRIBUTES);
    // The script alone on a namespace it has to register first (the race it used to lose).
    const lines: string[] = [];
    createNamespace({ ...state, namespace: 'fresh' }, (line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/registering namespace fresh[\s\S]*namespace fresh ready/);
    expect(await customAttributes(connection, 'fresh')).toMatchObject(EXPECTED_ATTRIBUTES);
  });

  it('runs a dynamic config the server itself validates: known keys, right types', async () => {
    const checked = await runProgram(join(state.binDir, 'temporal-server'), ['validate-dynamic-config', join(ROOT, 'deploy', 'temporal', 'dynamicconfig', 'production-sql.yaml')]);
    expect(checked.code, checked.output).toBe(0);
    expect(checked.output).not.toMatch(/error|warning/);
  });

  it('rollout start names the server\'s reason when a namespace lacks the search attributes', async () => {
    const cli = resolveTemporalCli().path;
    const created = await runProgram(cli, ['operator', 'namespace', 'create', '--address', state.address, '-n', 'bare', '--retention', '1d']);
    expect(created.code, created.output).toBe(0);
    let run = await startRolloutCli('bare');
    // A namespace just registered is not known to the frontend for a few seconds.
    for (let i = 0; i < 30 && /Namespace bare is not found/.test(run.stderr); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      run = await startRolloutCli('bare');
    }
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Temporal refused to start rollout\/no-attributes: .*search attribute Netops\w+/);
    expect(run.stderr).toMatch(/create-namespace\.sh/);
  });

  it('completes a rollout with canary and approval through kill -9 of the history service mid-reload and of the worker: every device upgraded exactly once, payloads encrypted', { timeout: 300_000 }, async () => {
    const before = priorities(fx.lab);
    let worker = await mainWorker();
    expect(worker.output()).toMatch(/payloads encrypted with key k1/);
    const name = 'cluster-rollout';
    await netops.startRollout(await fx.input(name, { canary: { count: 1 }, requireApproval: true, window: 4 }));
    const gated = await waitForProgress(netops, name, (p) => p.status === 'awaiting-approval', 90_000);
    const canary = gated.canary[0]!;
    expect(fx.lab.device(canary).reloadCount).toBe(1);
    expect(fx.lab.devices.filter((d) => d.name !== canary).every((d) => d.reloadCount === 0)).toBe(true);

    // History dies the moment a device after the gate starts its reload.
    const historyPid = state.services.history.pid!;
    const historyKilled = onFirstLabEvent(fx.lab, (e) => e.type === 'reload.start' && e.device !== canary, () => process.kill(historyPid, 'SIGKILL'), 90_000);
    await netops.approve(name);
    const killEvent = await historyKilled;
    await stopClusterService(state, 'history', 'SIGKILL');
    const reloadedAtKill = fx.lab.devices.filter((d) => d.reloadCount > 0).length;
    expect(reloadedAtKill).toBeLessThan(fx.lab.devices.length);
    // Down long enough that every timer and heartbeat of the running devices falls into the outage.
    await new Promise((r) => setTimeout(r, 10_000));
    const restartedAt = Date.now();
    await startClusterService(state, 'history', { tieTo: process.pid });

    // Then the worker, on the next device that reloads or receives its image after the restart.
    const workerKilled = onFirstLabEvent(
      fx.lab,
      (e) => (e.type === 'reload.start' || e.type === 'transfer') && e.device !== ('device' in killEvent ? killEvent.device : ''),
      () => worker.child.kill('SIGKILL'),
      120_000,
    );
    const ended = resultThroughOutages(netops, name, 240_000);
    const first = await Promise.race([workerKilled.then(() => 'killed' as const), ended.then(() => 'ended' as const)]);
    expect(first, 'the rollout ended before the worker could be killed').toBe('killed');
    expect(await worker.kill('SIGKILL')).toBe('SIGKILL');
    worker = await mainWorker();
    const report = await ended;
    console.info(`[cluster] history killed with ${reloadedAtKill}/${fx.lab.devices.length} devices reloaded, down 10 s; rollout ended ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`);

    expectCleanRollout(fx.lab, report, before);
    const verify = await runCli(['lab', 'verify', join(fx.dir, 'events.jsonl'), '--max-reloads', '1']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // What the server (and PostgreSQL) holds, read without the key: payloads
    // (input, memo, the UI summary) are ciphertext; ids and search attributes
    // are not (docs/operations.md says so and how to keep names out of them).
    const plain = new Client({ connection });
    const handle = plain.workflow.getHandle(rolloutWorkflowId(name));
    const history = await handle.fetchHistory();
    const encoding = (p: { metadata?: Record<string, Uint8Array> | null } | null | undefined) => Buffer.from(p?.metadata?.encoding ?? new Uint8Array()).toString();
    expect(encoding(history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0])).toBe(ENCRYPTED_ENCODING);
    // The raw answer: the SDK's describe() would try to decode the memo, and cannot without the key.
    const raw = await connection.workflowService.describeWorkflowExecution({ namespace: state.namespace, execution: { workflowId: rolloutWorkflowId(name) } });
    expect(encoding(raw.executionConfig?.userMetadata?.summary)).toBe(ENCRYPTED_ENCODING);
    expect(Object.values(raw.workflowExecutionInfo?.memo?.fields ?? {}).map(encoding)).toEqual([ENCRYPTED_ENCODING]);
    const rolloutId = raw.workflowExecutionInfo?.searchAttributes?.indexedFields?.[SA_ROLLOUT_ID.name]?.data;
    expect(JSON.parse(Buffer.from(rolloutId ?? new Uint8Array()).toString())).toBe(name);
    const expectedIds = fx.lab.devices.map((d) => `device/${d.name}`).sort();
    let deviceIds: string[] = [];
    // Visibility records are written by the history service's own task queue, a moment after the fact.
    for (let i = 0; i < 40 && deviceIds.length < expectedIds.length; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 250));
      deviceIds = [];
      for await (const wf of plain.workflow.list({ query: `NetopsRolloutId = '${name}' AND WorkflowType = 'deviceUpgradeWorkflow'` })) deviceIds.push(wf.workflowId);
    }
    expect([...new Set(deviceIds)].sort()).toEqual(expectedIds);
  });

  it('collects from every device and pushes a config change through the CLI', { timeout: 240_000 }, async () => {
    if (!workers.some((w) => w.child.exitCode === null && w.child.signalCode === null)) await mainWorker();
    const env = { NETOPS_CODEC_KEYS: KEY };
    const collected = await runCli(['collect', 'run', '--inventory', fx.inventoryPath, '--address', state.address, '--results-dir', join(dir, 'results'), '--name', 'cluster-collect', '--wait'], { env, timeoutMs: 120_000 });
    expect(collected.code, collected.stdout + collected.stderr).toBe(0);
    const rows = await openResultStore({ kind: 'local', root: join(dir, 'results') }).list('cluster-collect');
    expect(rows.map((r) => [r.device, r.error ?? 'ok']).sort()).toEqual(fx.lab.devices.map((d) => [d.name, 'ok']).sort());

    const lines = join(fx.dir, 'loopback.cfg');
    writeFileSync(lines, 'interface Loopback100\n description netops on the cluster\n');
    const pushed = await runCli(
      ['config', 'push', '--inventory', fx.inventoryPath, '--lines', lines, '--timings', 'lab', '--window', '4', '--ignore-windows', '--verify', 'none', '--address', state.address, '--name', 'cluster-config', '--watch'],
      { env, timeoutMs: 180_000 },
    );
    expect(pushed.code, pushed.stdout + pushed.stderr).toBe(0);
    for (const d of fx.lab.devices) expect(d.running.interfaces.find((i) => i.name === 'Loopback100')?.description, d.name).toBe('netops on the cluster');
  });

  it('a worker running as nobody in the read-only checkout keeps results and its bundle under its home and logs only JSON', { timeout: 240_000 }, async () => {
    const nobody = { uid: 65534, gid: 65534 };
    const home = join(dir, 'nobody-home');
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, nobody.uid, nobody.gid);
    const queue = 'netops-unprivileged';
    // The lab's secrets are root's 0600 files: this worker gets them the way a container does, from its environment.
    const inventory = fx.lab.writeInventory(join(fx.dir, 'inventory-env.yaml'), { passwordRef: 'env:LAB_PASSWORD', enableRef: 'env:LAB_ENABLE' });
    // As the image build does: dist/ compiled once by root, then only read (nobody could not write it).
    const built = await runProgram(process.execPath, [join(ROOT, 'bin', 'build-cli.cjs'), '--quiet']);
    expect(built.code, built.output).toBe(0);
    const w = await startWorker(['--task-queue', queue], { HOME: home, LAB_PASSWORD: fx.lab.credentials.password, LAB_ENABLE: fx.lab.credentials.enableSecret }, nobody);
    expect(w.output()).toMatch(/payloads NOT encrypted/);

    const run = await runCli(['collect', 'run', '--inventory', inventory, '--address', state.address, '--task-queue', queue, '--name', 'as-nobody', '--wait'], { timeoutMs: 120_000 });
    expect(run.code, run.stdout + run.stderr + w.output()).toBe(0);
    const results = join(home, '.local', 'share', 'netops', 'results');
    const rows = await openResultStore({ kind: 'local', root: results }).list('as-nobody');
    expect(rows.filter((r) => !r.error)).toHaveLength(fx.lab.devices.length);
    expect(readdirSync(join(home, '.cache', 'netops', 'workflow-bundles')).some((f) => /^workflows-[0-9a-f]+\.js$/.test(f))).toBe(true);
    expect(existsSync(join(ROOT, '.data', 'results', 'as-nobody')), 'nothing written into the checkout').toBe(false);

    // A store it may not write is said at once, not retried for ever (the compose worker used to hang here).
    const unwritable = join(ROOT, '.data', `not-for-nobody-${process.pid}`);
    const refused = await runCli(['collect', 'run', '--inventory', inventory, '--address', state.address, '--task-queue', queue, '--name', 'refused', '--results-dir', unwritable, '--wait'], { timeoutMs: 60_000 });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/result store .*not-for-nobody.* cannot be written by this process \(uid 65534, EACCES.*set NETOPS_RESULTS_DIR/);
    expect(existsSync(unwritable)).toBe(false);

    const lines = w.output().trim().split('\n');
    const notJson = lines.filter((l) => !isJsonObject(l));
    expect(notJson, 'every line the worker printed is one JSON object').toEqual([]);
  });
});

async function customAttributes(connection: Connection, namespace: string): Promise<Record<string, number>> {
  const answer = await connection.operatorService.listSearchAttributes({ namespace });
  return Object.fromEntries(Object.entries(answer.customAttributes ?? {}).map(([k, v]) => [k, Number(v)]));
}

function isJsonObject(line: string): boolean {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** The client's long poll may see the history service's outage; ask again until the report arrives. */
async function resultThroughOutages(netops: NetopsClient, name: string, timeoutMs: number): Promise<RolloutReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await netops.result(name);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function runProgram(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise((resolveRun) => {
        const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.on('close', (code) => resolveRun({ code, output }));
      }),
  );
}
