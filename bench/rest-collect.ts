/**
 * Status collection of a 5,000-device cloud-managed fleet over the dashboard
 * REST client, against the simulator's per-organisation rate limit.
 *
 *   npx tsx bench/rest-collect.ts [--orgs 10] [--devices 5000] [--per-page 10] [--rate 10] [--requests-per-task 5] [--path client|temporal|both]
 *
 * Two paths: `client` walks each organisation's pages with the REST client
 * in this process; `temporal` runs dashboardStatusWorkflow on an in-memory
 * Temporal dev server: each organisation's pages travel in tasks of a few
 * requests (the worker's default budget), paced at the organisation's rate,
 * on per-organisation task queues whose server-side limit is rate / requests
 * per task; networks are walked in parallel so the budget stays busy.
 *
 * The floor is what the rate limit allows at best: requests per organisation
 * divided by the rate, organisations in parallel. The client's bucket starts
 * full (burst 10), so the first `burst` requests of each org are free and the
 * burst-adjusted floor is (requests - burst) / rate.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { DashboardClient, OrgRateLimiter, RateLimited, createDashboardAgent } from '../src/devices/rest';
import { startDashboardSim, type DashboardSim } from '../src/lab/dashboard';
import { startDevServer } from '../src/server/dev-server';
import { createNetopsWorker, workflowsEntry } from '../src/workers/create-worker';
import { createDashboardOrgWorkers } from '../src/workers/dashboard-workers';
import { DEFAULT_REQUESTS_PER_TASK } from '../src/devices/rest/task-budget';
import type { DashboardStatusReport } from '../src/contracts/dashboard';

interface Row {
  orgId: string;
  devices: number;
  requests: number;
  /** Activity tasks the requests travelled in (Temporal path only). */
  tasks?: number;
  wallMs: number;
  status429: number;
  maxPerSecond: number;
}

interface Config {
  orgs: number;
  devices: number;
  perPage: number;
  rate: number;
  burst: number;
  networksPerOrg: number;
  devicesPerNetwork: number;
  requestsPerTask: number;
  /** This process's share of the per-source-IP cap (requests/s across all organisations). */
  ipRate: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      orgs: { type: 'string', default: '10' },
      devices: { type: 'string', default: '5000' },
      'per-page': { type: 'string', default: '10' },
      rate: { type: 'string', default: '10' },
      burst: { type: 'string', default: '10' },
      'requests-per-task': { type: 'string', default: String(DEFAULT_REQUESTS_PER_TASK) },
      path: { type: 'string', default: 'both' },
      'ip-rate': { type: 'string', default: '100' },
    },
  });
  const orgs = Number(values.orgs);
  const devices = Number(values.devices);
  const networksPerOrg = 10;
  const cfg: Config = {
    orgs,
    devices,
    perPage: Number(values['per-page']),
    rate: Number(values.rate),
    burst: Number(values.burst),
    networksPerOrg,
    devicesPerNetwork: Math.ceil(devices / orgs / networksPerOrg),
    requestsPerTask: Number(values['requests-per-task']),
    ipRate: Number(values['ip-rate']),
  };
  const path = values.path ?? 'both';
  if (!['client', 'temporal', 'both'].includes(path)) throw new Error(`--path: "${path}" is not client, temporal or both`);
  const summaries: unknown[] = [];
  if (path !== 'temporal') summaries.push(await runPath('client', cfg, clientPath));
  if (path !== 'client') summaries.push(await runPath('temporal', cfg, temporalPath));
  console.log(JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2));
}

type PathRun = (sim: DashboardSim, cfg: Config) => Promise<{ wallMs: number; startedAt: number; perOrg: Array<{ orgId: string; devices: number; requests: number; tasks?: number; wallMs: number }>; cpu?: Record<string, ProcStats> }>;

/** CPU time and time spent runnable but waiting for a CPU, over all threads of a process (Linux schedstat; zeros elsewhere). */
interface ProcStats {
  cpuMs: number;
  runQueueWaitMs: number;
}

function procStats(pid: number): ProcStats {
  let cpuNs = 0;
  let waitNs = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      cpuNs += run ?? 0;
      waitNs += wait ?? 0;
    }
  } catch {
    // Not Linux, or the process is gone: no figures.
  }
  return { cpuMs: Math.round(cpuNs / 1e6), runQueueWaitMs: Math.round(waitNs / 1e6) };
}

function minus(a: ProcStats, b: ProcStats): ProcStats {
  return { cpuMs: a.cpuMs - b.cpuMs, runQueueWaitMs: a.runQueueWaitMs - b.runQueueWaitMs };
}

/**
 * Where the wall time went, from the simulator's log: before the first
 * request (workflow and activity task start-up), between requests beyond the
 * rate's spacing (the pacer and the hand-over between tasks: a gap longer
 * than 2.5 spacings is counted as a hand-over), and after the last request.
 */
function timeBreakdown(sim: DashboardSim, startedAt: number, wallMs: number, rate: number) {
  const spacing = 1000 / rate;
  const all = sim.log.entries.map((e) => e.at).sort((a, b) => a - b);
  const first = all[0] ?? startedAt;
  const last = all[all.length - 1] ?? startedAt;
  let paceExcessMs = 0;
  let handoverExcessMs = 0;
  let handovers = 0;
  for (const orgId of sim.orgIds) {
    const ts = sim.log.filter({ orgId }).map((e) => e.at).sort((a, b) => a - b);
    for (let i = 1; i < ts.length; i++) {
      const gap = (ts[i] as number) - (ts[i - 1] as number);
      if (gap > 2.5 * spacing) {
        handovers++;
        handoverExcessMs += gap - spacing;
      } else paceExcessMs += Math.max(0, gap - spacing);
    }
  }
  const orgs = sim.orgIds.length || 1;
  return {
    startToFirstRequestMs: Math.round(first - startedAt),
    requestSpanMs: Math.round(last - first),
    lastRequestToResultMs: Math.round(startedAt + wallMs - last),
    meanPacingExcessPerOrgMs: Math.round(paceExcessMs / orgs),
    meanHandoverExcessPerOrgMs: Math.round(handoverExcessMs / orgs),
    handoversPerOrg: Math.round((handovers / orgs) * 10) / 10,
  };
}

/** Runs one path against a fresh simulator (fresh budgets) and prints its table. */
async function runPath(name: string, cfg: Config, run: PathRun): Promise<unknown> {
  const sim = await startDashboardSim({ orgs: cfg.orgs, networksPerOrg: cfg.networksPerOrg, devicesPerNetwork: cfg.devicesPerNetwork, rateLimitPerSec: cfg.rate, seed: 2026, recordBodies: false });
  try {
    const load = { before: loadavg().map((l) => Number(l.toFixed(2))) };
    const { wallMs, perOrg, startedAt, cpu } = await run(sim, cfg);
    const loadAverage = { ...load, after: loadavg().map((l) => Number(l.toFixed(2))) };
    const rows: Row[] = perOrg.map((r) => ({
      ...r,
      status429: sim.log.filter({ orgId: r.orgId, status: 429 }).length,
      maxPerSecond: sim.log.maxInWindow(r.orgId, 1_000),
    }));
    const totalRequests = rows.reduce((n, r) => n + r.requests, 0);
    const maxRequestsPerOrg = Math.max(...rows.map((r) => r.requests));
    // Organisations run in parallel, each at its own rate: the slowest (largest) one sets the floor.
    const floorMs = (maxRequestsPerOrg / cfg.rate) * 1000;
    const burstFloorMs = (Math.max(0, maxRequestsPerOrg - cfg.burst) / cfg.rate) * 1000;
    const summary = {
      bench: 'rest-collect',
      path: name,
      machine: { os: `${platform()} ${release()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage },
      config: { orgs: cfg.orgs, devices: rows.reduce((n, r) => n + r.devices, 0), perPage: cfg.perPage, ratePerSecPerOrg: cfg.rate, burst: cfg.burst, ...(name === 'temporal' ? { requestsPerTask: cfg.requestsPerTask } : {}) },
      requests: totalRequests,
      ...(name === 'temporal' ? { tasks: rows.reduce((n, r) => n + (r.tasks ?? 0), 0) } : {}),
      wallMs: Math.round(wallMs),
      floorMs: Math.round(floorMs),
      burstAdjustedFloorMs: Math.round(burstFloorMs),
      ratioToFloor: Number((wallMs / floorMs).toFixed(3)),
      ratioToBurstAdjustedFloor: Number((wallMs / burstFloorMs).toFixed(3)),
      status429: rows.reduce((n, r) => n + r.status429, 0),
      maxRequestsInAnySecondPerOrg: Math.max(...rows.map((r) => r.maxPerSecond)),
      timeBreakdown: timeBreakdown(sim, startedAt, wallMs, cfg.rate),
      ...(cpu ? { cpuDuringRun: cpu } : {}),
    };
    console.log(`\n== ${name} path`);
    printTable(rows);
    const tb = summary.timeBreakdown;
    console.log(
      `load ${loadAverage.before.join(' ')} -> ${loadAverage.after.join(' ')} | first request after ${tb.startToFirstRequestMs} ms, span ${tb.requestSpanMs} ms, result ${tb.lastRequestToResultMs} ms after the last | per org: pacing excess ${tb.meanPacingExcessPerOrgMs} ms, ${tb.handoversPerOrg} hand-overs costing ${tb.meanHandoverExcessPerOrgMs} ms beyond the spacing`,
    );
    if (cpu) console.log(`cpu during the run: ${Object.entries(cpu).map(([k, v]) => `${k} ${v.cpuMs} ms on cpu, ${v.runQueueWaitMs} ms runnable waiting for a cpu`).join(' | ')}`);
    console.log(`wall ${summary.wallMs} ms | floor ${summary.floorMs} ms (x${summary.ratioToFloor}) | burst-adjusted floor ${summary.burstAdjustedFloorMs} ms (x${summary.ratioToBurstAdjustedFloor}) | 429s ${summary.status429} | max/s per org ${summary.maxRequestsInAnySecondPerOrg}`);
    return summary;
  } finally {
    await sim.stop();
  }
}

const clientPath: PathRun = async (sim, cfg) => {
  const limiter = new OrgRateLimiter({ ratePerSec: cfg.rate, burst: cfg.burst, ipRatePerSec: cfg.ipRate });
  const agent = createDashboardAgent({ connections: 4 });
  const client = new DashboardClient({ baseUrl: sim.url, apiKey: () => sim.apiKey, limiter, dispatcher: agent });
  try {
    const started = performance.now();
    const startedAt = performance.timeOrigin + started;
    const perOrg = await Promise.all(
      sim.orgIds.map(async (orgId) => {
        const t0 = performance.now();
        let count = 0;
        let requests = 0;
        let from: string | undefined;
        let done = false;
        while (!done) {
          try {
            for await (const page of client.pages<{ serial: string }>({ orgId, path: `/organizations/${orgId}/devices/availabilities`, perPage: cfg.perPage, from })) {
              requests++;
              count += page.items.length;
              from = page.next;
            }
            done = true;
          } catch (err) {
            // The limiter already holds the org for Retry-After; resume after the last page (the 429 is counted below).
            if (!(err instanceof RateLimited)) throw err;
          }
        }
        return { orgId, devices: count, requests, wallMs: performance.now() - t0 };
      }),
    );
    return { wallMs: performance.now() - started, startedAt, perOrg };
  } finally {
    await client.close();
    await agent.close();
  }
};

/**
 * The same collection as a workflow. The dev server, bundle and workers are
 * set up before the clock starts; the wall time is the workflow's, start to result.
 */
const temporalPath: PathRun = async (sim, cfg) => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await startDevServer({ headless: true });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const taskQueue = 'bench-rest-collect';
  process.env.NETOPS_BENCH_DASHBOARD_KEY = sim.apiKey;
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsEntry(), logger: new DefaultLogger('ERROR') });
    const worker = await createNetopsWorker({ connection: nativeConnection, taskQueue, activities: {}, workflowBundle: { codePath: writeBundle(bundle.code) } });
    const orgWorkers = await createDashboardOrgWorkers({ connection: nativeConnection, taskQueue, requestsPerTask: cfg.requestsPerTask, ipRatePerSec: cfg.ipRate, orgs: sim.orgIds.map((orgId) => ({ orgId, ratePerSec: cfg.rate })) });
    const running = Promise.all([worker.run(), orgWorkers.run()]);
    try {
      const client = new Client({ connection });
      const cpuBefore = { server: procStats(server.pid), bench: procStats(process.pid) };
      const started = performance.now();
      const report = (await client.workflow.execute('dashboardStatusWorkflow', {
        taskQueue,
        workflowId: `bench-status-${Date.now()}`,
        args: [{ dashboard: { baseUrl: sim.url, apiKey: { kind: 'env', name: 'NETOPS_BENCH_DASHBOARD_KEY' } }, orgIds: sim.orgIds, perPage: cfg.perPage, concurrencyPerOrg: cfg.networksPerOrg }],
      })) as DashboardStatusReport;
      const wallMs = performance.now() - started;
      const cpu = { server: minus(procStats(server.pid), cpuBefore.server), 'worker+sim': minus(procStats(process.pid), cpuBefore.bench) };
      if (report.failedOrgs.length > 0) throw new Error(`organisations failed: ${report.orgs.filter((o) => o.error).map((o) => `${o.orgId}: ${o.error}`).join('; ')}`);
      const perOrg = report.orgs.map((o) => {
        const times = sim.log.filter({ orgId: o.orgId }).map((e) => e.at);
        return { orgId: o.orgId, devices: o.total, requests: o.requests, ...(o.tasks !== undefined ? { tasks: o.tasks } : {}), wallMs: Math.max(...times) - Math.min(...times) };
      });
      return { wallMs, startedAt: performance.timeOrigin + started, perOrg, cpu };
    } finally {
      worker.shutdown();
      orgWorkers.shutdown();
      await running;
      await orgWorkers.close();
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
    await server.stop();
  }
};

function writeBundle(code: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'netops-bench-')), 'workflows.js');
  writeFileSync(file, code);
  return file;
}

function printTable(rows: Row[]): void {
  const header = ['org', 'devices', 'requests', 'tasks', 'wall ms', '429s', 'max/1s'];
  const body = rows.map((r) => [r.orgId, String(r.devices), String(r.requests), r.tasks === undefined ? '-' : String(r.tasks), String(Math.round(r.wallMs)), String(r.status429), String(r.maxPerSecond)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
