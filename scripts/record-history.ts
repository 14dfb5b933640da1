/**
 * Records the histories that the replay tests (test/integration/replay) hold
 * the workflow code to: real runs on a throwaway dev server, a fast lab and a
 * worker built from the current src/workflows. Re-record only on purpose (a
 * new scenario, or a change shipped behind `patched()`), never to make a
 * failing replay pass: a failing replay means running rollouts would break.
 *
 * Existing files are kept unless --force: they stand for rollouts that the
 * previous code started and the next worker must still finish.
 *
 *   npx tsx scripts/record-history.ts [--out test/fixtures/histories] [--force]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { NetopsClient } from '../src/client/netops-client';
import type { LabEvent } from '../src/lab';
import { startDevServer, type DevServer } from '../src/server/dev-server';
import { resolveTemporalCli } from '../src/server/temporal-cli';
import { buildActivities } from '../src/workers/activities';
import { createNetopsWorker } from '../src/workers/create-worker';
import { deviceWorkflowId, type RolloutProgress, type RolloutReport } from '../src/contracts/rollout';
import { historyToJson } from '../test/integration/replay/history-json';
import { startLabFixture, type LabFixture } from '../test/support/rollout-fixture';

const TASK_QUEUE = 'record-history';

interface Recorder {
  netops: NetopsClient;
  client: Client;
  write(file: string, handle: WorkflowHandle): Promise<void>;
}

function outDir(argv: string[]): string {
  const i = argv.indexOf('--out');
  const dir = i >= 0 ? argv[i + 1] : undefined;
  if (i >= 0 && !dir) throw new Error('--out needs a directory');
  return resolve(dir ?? join(__dirname, '..', 'test', 'fixtures', 'histories'));
}

async function main(): Promise<void> {
  const out = outDir(process.argv.slice(2));
  const force = process.argv.includes('--force');
  mkdirSync(out, { recursive: true });
  // Expected failures (the faulted device) would otherwise print as warnings.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  let server: DevServer | undefined;
  let native: NativeConnection | undefined;
  let connection: Connection | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  try {
    server = await startDevServer({ cliPath: resolveTemporalCli().path, headless: true });
    native = await NativeConnection.connect({ address: server.address });
    worker = await createNetopsWorker({ connection: native, taskQueue: TASK_QUEUE, activities: buildActivities() });
    workerDone = worker.run();
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: 'default' });
    const recorder: Recorder = {
      client,
      netops: new NetopsClient(client, TASK_QUEUE),
      async write(file, handle) {
        if (existsSync(join(out, file)) && !force) {
          process.stderr.write(`  kept ${join(out, file)} (exists; --force replaces it)\n`);
          return;
        }
        const history = await handle.fetchHistory();
        writeFileSync(join(out, file), `${historyToJson(history)}\n`);
        process.stderr.write(`  wrote ${join(out, file)} (${history.events?.length ?? 0} events)\n`);
      },
    };
    for (const scenario of SCENARIOS) {
      process.stderr.write(`${scenario.name}...\n`);
      const fx = await startLabFixture();
      try {
        await scenario.run(recorder, fx);
      } finally {
        await fx.stop();
      }
    }
  } finally {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerDone?.catch(() => undefined);
    await native?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await server?.stop();
  }
}

const SCENARIOS: { name: string; run(r: Recorder, fx: LabFixture): Promise<void> }[] = [
  {
    name: 'a rollout with a canary, approved, completed; and one device of it',
    async run(r, fx) {
      const name = 'canary-approval';
      await r.netops.startRollout(await fx.input(name, { canary: { count: 1 }, requireApproval: true }));
      await until(r.netops, name, (p) => p.status === 'awaiting-approval', 30_000);
      await r.netops.approve(name);
      const report = expectStatus(await r.netops.result(name), 'completed');
      await r.write('rollout-canary-approval.json', r.netops.handle(name));
      // A device that was active has the richest procedure: drain, and a priority restore in `finally`.
      const drained = report.devices.find((d) => d.notes?.some((n) => n.startsWith('was active')));
      if (!drained) throw new Error('no device of the rollout was drained; the lab should have active members');
      await r.write('device-upgrade-active.json', r.client.workflow.getHandle(deviceWorkflowId(drained.name)));
    },
  },
  {
    name: 'a rollout aborted while devices are mid-upgrade',
    async run(r, fx) {
      const name = 'abort';
      const reloading = fx.lab.waitForEvent((e: LabEvent) => e.type === 'reload.start', 30_000);
      await r.netops.startRollout(await fx.input(name));
      await reloading;
      await r.netops.abort(name, 'recording an aborted rollout');
      const report = expectStatus(await r.netops.result(name), 'aborted');
      await r.write('rollout-abort.json', r.netops.handle(name));
      // A cancelled device: its priority restore runs in a scope the cancel cannot reach.
      const cancelled = report.devices.find((d) => d.outcome === 'aborted');
      if (!cancelled) throw new Error('no device was mid-upgrade when the rollout was aborted');
      await r.write('device-upgrade-aborted.json', r.client.workflow.getHandle(deviceWorkflowId(cancelled.name)));
    },
  },
  {
    name: 'a rollout where a device fails, is fixed and retried',
    async run(r, fx) {
      const name = 'failed-retry';
      const victim = fx.lab.devices[0]!.name;
      fx.lab.setFault(victim, { kind: 'auth-failure' });
      await r.netops.startRollout(await fx.input(name, { failureBudget: { count: 1 } }));
      await until(r.netops, name, (p) => p.devices.some((d) => d.name === victim && d.state === 'failed'), 30_000);
      fx.lab.clearFault(victim);
      await r.netops.retryDevice(name, victim);
      const report = expectStatus(await r.netops.result(name), 'completed');
      const line = report.devices.find((d) => d.name === victim);
      if (line?.outcome !== 'upgraded' || line.attempts < 2) throw new Error(`${victim} should be upgraded on its second attempt: ${JSON.stringify(line)}`);
      await r.write('rollout-failed-retry.json', r.netops.handle(name));
    },
  },
  {
    name: 'a rollout that waits for a device another rollout holds, then finds it already current',
    async run(r, fx) {
      const holder = 'busy-holder';
      const name = 'busy-wait';
      fx.lab.setFault('r2-b', { kind: 'slow-command', delayMs: 2500, match: 'show version' });
      await r.netops.startRollout(await fx.input(holder, {}, ['r2-b']));
      await until(r.netops, holder, (p) => p.running === 1, 30_000);
      await r.netops.startRollout(await fx.input(name, {}, ['r2-a', 'r2-b', 'r1-a', 'r1-b']));
      await until(r.netops, name, (p) => p.devices.some((d) => d.waitingFor === `busy in rollout/${holder}`), 30_000);
      const report = expectStatus(await r.netops.result(name), 'completed');
      if (report.devices.find((d) => d.name === 'r2-b')?.outcome !== 'already-current') throw new Error(`r2-b should be already current after the wait: ${JSON.stringify(report.devices)}`);
      await r.write('rollout-busy-wait.json', r.netops.handle(name));
    },
  },
  {
    name: 'a rollout whose canary fails, approved despite it, the canary fixed and retried',
    async run(r, fx) {
      const name = 'failed-canary-despite';
      fx.lab.setFault('r1-b', { kind: 'auth-failure' });
      await r.netops.startRollout(await fx.input(name, { canary: { devices: ['r1-b'] }, requireApproval: true, failureBudget: { count: 1 } }, ['r1-a', 'r1-b', 'r2-a', 'r2-b']));
      await until(r.netops, name, (p) => p.status === 'awaiting-approval', 30_000);
      await r.netops.approve(name, { despiteFailedCanary: true, reason: 'recording' });
      await until(r.netops, name, (p) => p.status === 'blocked', 30_000);
      fx.lab.clearFault('r1-b');
      await r.netops.retryDevice(name, 'r1-b');
      const report = expectStatus(await r.netops.result(name), 'completed');
      if (!report.approval?.despiteFailedCanary) throw new Error('the approval despite the failed canary is not in the report');
      await r.write('rollout-failed-canary-despite.json', r.netops.handle(name));
    },
  },
  {
    name: 'a rollout started with the smallest documented input (defaults, the lab preset, the version from the image name); and one device of it',
    async run(r, fx) {
      const name = 'defaults';
      const full = await fx.input(name);
      if (full.job.kind !== 'upgrade') throw new Error('the lab fixture builds upgrades');
      const { fileName, md5, sizeBytes, path } = full.job.image;
      // What another service sends: the policy and the version left to the workflow's defaults.
      const minimal = { name, job: { kind: 'upgrade', image: { fileName, md5, sizeBytes, path } }, devices: full.devices, sites: full.sites, settings: { timings: 'lab', window: 4 } };
      const handle = await r.client.workflow.start('rolloutWorkflow', { taskQueue: TASK_QUEUE, workflowId: `rollout/${name}`, args: [minimal] });
      const report = expectStatus((await handle.result()) as RolloutReport, 'completed');
      await r.write('rollout-defaults.json', handle);
      const drained = report.devices.find((d) => d.notes?.some((n) => n.startsWith('was active')));
      if (!drained) throw new Error('no device of the rollout was drained; the lab should have active members');
      await r.write('device-upgrade-defaults.json', r.client.workflow.getHandle(deviceWorkflowId(drained.name)));
    },
  },
];

async function until(netops: NetopsClient, name: string, pred: (p: RolloutProgress) => boolean, timeoutMs: number): Promise<RolloutProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await netops.progress(name);
    if (pred(p)) return p;
    if (Date.now() > deadline) throw new Error(`rollout ${name} did not reach the expected state in ${timeoutMs} ms; it is ${p.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function expectStatus(report: RolloutReport, status: RolloutReport['status']): RolloutReport {
  if (report.status !== status) throw new Error(`rollout ${report.name} ended ${report.status} (${report.stopReason ?? ''}), expected ${status}`);
  return report;
}

main().catch((err: unknown) => {
  process.stderr.write(`record-history: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
