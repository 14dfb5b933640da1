/**
 * Rollout benchmark: how close the pair-aware sliding window gets to the best
 * any schedule could do, and whether thousands of devices fit in history.
 *
 *   npx tsx bench/rollout.ts                 # 200 devices (100 pairs, window 20) and 2000 devices
 *   npx tsx bench/rollout.ts --only 200      # just the makespan scenario
 *   npx tsx bench/rollout.ts --only 2000 --address 127.0.0.1:7233 --workers 3
 *       # any Temporal (e.g. `netops cluster up`), with 3 `netops worker` processes
 *
 * Without --address it starts its own dev server; without --workers the
 * worker runs inside this process (beside the lab). With --workers N, N
 * `netops worker` processes poll the scenario's task queue.
 *
 * Scenario A (makespan): 200 lab devices in 100 HSRP pairs, window 20. The
 * lower bound is computed from the device durations measured in the same run:
 * no schedule can beat max(sum of durations / window, the longest pair done
 * back to back), since a pair's members may never be down together.
 *
 * Scenario B (scale): 2000 devices with the lab's fast timings; the rollout
 * must continue-as-new often enough that no run comes near Temporal's
 * history warnings (10,240 events or 10 MB per run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { PLAIN_DATA_CONVERTER } from '../src/codec/data-converter';
import { toDeviceTarget } from '../src/client/device-targets';
import { inspectImage } from '../src/client/image-file';
import { NetopsClient } from '../src/client/netops-client';
import { LAB_DEVICE_TIMINGS } from '../src/cli/rollout/settings';
import { loadInventory } from '../src/inventory';
import { labImageName, makeLabImage, startLab, verifyEventLog, type LabTimings } from '../src/lab';
import { startDevServer } from '../src/server/dev-server';
import { buildActivities } from '../src/workers/activities';
import { createNetopsWorker } from '../src/workers/create-worker';
import { rolloutWorkflowId, type RolloutReport } from '../src/contracts/rollout';

const HISTORY_EVENT_WARNING = 10_240;
const HISTORY_BYTES_WARNING = 10 * 1024 * 1024;

interface Scenario {
  name: string;
  devices: number;
  window: number;
  lab: Partial<LabTimings>;
}

interface Target {
  /** Frontend address, and what it is, for the table. */
  address: string;
  server: string;
  namespace: string;
  /** `netops worker` processes; 0 = one worker in this process. */
  workerProcesses: number;
}

interface Result {
  scenario: string;
  server: string;
  workers: string;
  devices: number;
  window: number;
  makespanMs: number;
  lowerBoundMs: number;
  ratio: number;
  meanDeviceMs: number;
  upgraded: number;
  runs: number;
  maxEventsPerRun: number;
  maxBytesPerRun: number;
  historyWarning: boolean;
  invariantsOk: boolean;
  reloadsOk: boolean;
}

/** The best any schedule could do with these durations, this window and one member per pair down at a time. */
export function lowerBound(report: RolloutReport, window: number, groupOf: Map<string, string | undefined>): number {
  const durations = report.devices.map((d) => d.durationMs ?? 0);
  const total = durations.reduce((a, b) => a + b, 0);
  const perGroup = new Map<string, number>();
  for (const d of report.devices) {
    const g = groupOf.get(d.name);
    if (g) perGroup.set(g, (perGroup.get(g) ?? 0) + (d.durationMs ?? 0));
  }
  return Math.max(total / window, ...perGroup.values(), ...durations);
}

async function runScenario(s: Scenario, target: Target, client: Client): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'netops-bench-rollout-'));
  const lab = await startLab({ devices: s.devices, pairs: true, sites: Math.max(1, Math.round(s.devices / 50)), platform: 'iosxe', initialVersion: '17.09.04a', fast: true, timings: s.lab, dataDir: join(dir, 'lab') });
  const taskQueue = `bench-${s.name}-${Date.now()}`;
  const workers = target.workerProcesses > 0 ? await startWorkerProcesses(target, taskQueue) : await startInProcessWorker(target, taskQueue);
  try {
    const inventoryPath = lab.writeInventory(join(dir, 'inventory.yaml'));
    const imagePath = join(dir, labImageName('iosxe', '17.12.04'));
    writeFileSync(imagePath, makeLabImage('17.12.04', 64 * 1024));
    const inv = await loadInventory(inventoryPath);
    const netops = new NetopsClient(client, taskQueue);
    const name = `bench-${s.name}-${Date.now()}`;
    await netops.startRollout({
      name,
      job: { kind: 'upgrade', image: await inspectImage(imagePath), rollbackOnFailedPostCheck: false },
      devices: inv.devices.map(toDeviceTarget),
      sites: inv.sites,
      settings: {
        window: s.window,
        siteConcurrency: 1000,
        expectedDeviceDurationMs: 60_000,
        respectWindows: false,
        failureBudget: { count: 0 },
        requireApproval: false,
        dryRun: false,
        timings: { ...LAB_DEVICE_TIMINGS, pollInitialMs: 100, pollMaxMs: 250 },
      },
    });
    const report = await netops.result(name);
    const groupOf = new Map(inv.devices.map((d) => [d.name, d.redundancyGroup]));
    const lb = lowerBound(report, s.window, groupOf);
    const makespan = report.endedAtMs - report.startedAtMs;
    const runs = await historyPerRun(client, rolloutWorkflowId(name));
    const verify = verifyEventLog(lab.events, { maxReloadsPerDevice: 1 });
    const durations = report.devices.map((d) => d.durationMs ?? 0);
    return {
      scenario: s.name,
      server: target.server,
      workers: target.workerProcesses > 0 ? `${target.workerProcesses} process${target.workerProcesses > 1 ? 'es' : ''}` : 'in-process',
      devices: s.devices,
      window: s.window,
      makespanMs: makespan,
      lowerBoundMs: Math.round(lb),
      ratio: Math.round((makespan / lb) * 1000) / 1000,
      meanDeviceMs: Math.round(durations.reduce((a, b) => a + b, 0) / durations.length),
      upgraded: report.counts.upgraded,
      runs: runs.length,
      maxEventsPerRun: Math.max(...runs.map((r) => r.events)),
      maxBytesPerRun: Math.max(...runs.map((r) => r.bytes)),
      historyWarning: runs.some((r) => r.events >= HISTORY_EVENT_WARNING || r.bytes >= HISTORY_BYTES_WARNING),
      invariantsOk: verify.ok,
      reloadsOk: lab.devices.every((d) => d.reloadCount === 1),
    };
  } finally {
    await workers.stop();
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const WORKER_LIMITS = { maxSessions: 400, connectsPerSecond: 2000, maxActivities: 400 };

async function startInProcessWorker(target: Target, taskQueue: string): Promise<{ stop(): Promise<void> }> {
  const native = await NativeConnection.connect({ address: target.address });
  const worker = await createNetopsWorker({
    connection: native,
    namespace: target.namespace,
    taskQueue,
    activities: buildActivities({ maxSessions: WORKER_LIMITS.maxSessions, connectsPerSecond: WORKER_LIMITS.connectsPerSecond }),
    maxConcurrentActivityTaskExecutions: WORKER_LIMITS.maxActivities,
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await native.close();
    },
  };
}

/** N `netops worker` processes with the in-process worker's limits, each polling once it says so. */
async function startWorkerProcesses(target: Target, taskQueue: string): Promise<{ stop(): Promise<void> }> {
  const bin = join(__dirname, '..', 'bin', 'netops.cjs');
  const args = [bin, 'worker', '--address', target.address, '--namespace', target.namespace, '--task-queue', taskQueue];
  args.push('--max-activities', String(WORKER_LIMITS.maxActivities), '--max-sessions', String(WORKER_LIMITS.maxSessions), '--connects-per-second', String(WORKER_LIMITS.connectsPerSecond));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null || c.signalCode !== null) return done();
            const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
            c.once('exit', () => (clearTimeout(timer), done()));
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    await Promise.all(
      Array.from({ length: target.workerProcesses }, async () => {
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NETOPS_LOG_LEVEL: 'warn' } });
        children.push(child);
        let out = '';
        await new Promise<void>((ready, fail) => {
          child.stderr?.on('data', (d) => {
            out += d;
            if (/worker polling task queue/.test(out)) ready();
          });
          child.once('exit', (code) => fail(new Error(`a netops worker exited (${code}) before polling:\n${out}`)));
        });
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop };
}

/** Every run of a workflow id (continue-as-new makes several) with its history length and size. */
async function historyPerRun(client: Client, workflowId: string): Promise<Array<{ runId: string; events: number; bytes: number }>> {
  const out: Array<{ runId: string; events: number; bytes: number }> = [];
  for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const d = await client.workflow.getHandle(workflowId, wf.runId).describe();
    out.push({ runId: wf.runId, events: d.historyLength, bytes: d.historySize ?? 0 });
  }
  return out;
}

function machine() {
  // The load average says how much else ran: on a shared host it moves the makespan more than anything measured.
  return { os: `${platform()} ${release()}`, cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg().map((l) => l.toFixed(1)).join(' ') };
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

async function main(): Promise<void> {
  const only = flag('--only') !== undefined ? Number(flag('--only')) : undefined;
  const workerProcesses = flag('--workers') !== undefined ? Number(flag('--workers')) : 0;
  if (!Number.isInteger(workerProcesses) || workerProcesses < 0 || workerProcesses > 16) throw new Error('--workers: a number of worker processes, 1-16');
  const scenarios: Scenario[] = [
    // Slow-ish reloads so device time, not scheduling overhead, dominates, as on real devices.
    { name: 'makespan', devices: 200, window: 20, lab: { bootMs: 3000, holdMs: 300, preemptDelayMs: 200 } },
    { name: 'scale', devices: 2000, window: 100, lab: { bootMs: 1000, holdMs: 200, preemptDelayMs: 100 } },
  ].filter((s) => only === undefined || s.devices === only);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const address = flag('--address');
  const server = address ? undefined : await startDevServer({ headless: true });
  const target: Target = {
    address: address ?? server!.address,
    server: address ? `Temporal at ${address}` : 'dev server (SQLite in memory)',
    namespace: flag('--namespace') ?? 'default',
    workerProcesses,
  };
  const connection = await Connection.connect({ address: target.address });
  // Our data converter: a 2,000-device report is compressed on the wire.
  const client = new Client({ connection, namespace: target.namespace, dataConverter: PLAIN_DATA_CONVERTER });
  const results: Result[] = [];
  try {
    for (const s of scenarios) {
      process.stderr.write(`running ${s.name}: ${s.devices} devices, window ${s.window}...\n`);
      results.push(await runScenario(s, target, client));
    }
  } finally {
    await connection.close();
    await server?.stop();
  }
  const m = machine();
  process.stdout.write(`\nmachine: ${m.os}, ${m.cpus}, ${m.memoryGB} GB, node ${m.node}, load average ${m.loadAverage}\n\n`);
  const header = ['scenario', 'server', 'workers', 'devices', 'window', 'makespan', 'lower bound', 'ratio', 'mean device', 'upgraded', 'runs', 'max events/run', 'max bytes/run', 'history warning', 'invariants', 'one reload each'];
  const rows = results.map((r) => [r.scenario, r.server, r.workers, r.devices, r.window, `${(r.makespanMs / 1000).toFixed(1)}s`, `${(r.lowerBoundMs / 1000).toFixed(1)}s`, `${r.ratio}x`, `${(r.meanDeviceMs / 1000).toFixed(2)}s`, r.upgraded, r.runs, r.maxEventsPerRun, r.maxBytesPerRun, r.historyWarning ? 'YES' : 'no', r.invariantsOk ? 'ok' : 'BREACH', r.reloadsOk ? 'ok' : 'NO'].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
  process.stdout.write(`\n${JSON.stringify({ machine: m, results }, null, 2)}\n`);
  if (results.some((r) => r.historyWarning || !r.invariantsOk || !r.reloadsOk || r.upgraded !== r.devices)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
