import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ControlRejected, NetopsClient } from '../../src/client/netops-client';
import { freePort } from '../../src/server/free-port';
import type { RolloutProgress, RolloutReport } from '../../src/contracts/rollout';
import { evaluateChaos, type Check } from './checks';
import { startChaosFleet, TO_VERSION, type ChaosFleet } from './fleet';
import { Prng } from './prng';
import { ChaosServer } from './server';
import { WorkerPool } from './worker-pool';

export interface ChaosOptions {
  devices: number;
  sites: number;
  workers: number;
  window: number;
  seed: number;
  /** Share of devices whose connection is cut once (mid-command or mid-transfer). */
  dropRate: number;
  /** Off for the baseline: same fleet and faults, no kills. */
  kills: boolean;
  /** A worker is SIGKILLed every [min, max] ms (seeded), while the rollout runs. */
  workerKillEveryMs: [number, number];
  /**
   * Kill again while an earlier replacement is still starting (all workers may
   * be down at once). Off by default: the next kill waits until the last
   * replacement polls, so one worker at a time is lost, as in a rolling failure.
   */
  overlapKills?: boolean;
  /** Stop killing workers after this many (default: no limit). */
  maxWorkerKills?: number;
  /** Fewest worker kills the run must have managed for it to count. */
  minWorkerKills: number;
  /** Kill the server once when this share of the devices has rebooted ([min, max], seeded). */
  serverKillAt?: [number, number];
  failureBudget: number;
  imageBytes: number;
  timeoutMs: number;
  temporalCli?: string;
  /** Progress lines for a person watching. */
  log?: (line: string) => void;
  /** Every line the worker processes print. */
  onWorkerLine?: (line: string) => void;
}

export const FULL_CHAOS: ChaosOptions = {
  devices: 100,
  sites: 2,
  workers: 3,
  window: 10,
  seed: 1,
  dropRate: 0.05,
  kills: true,
  workerKillEveryMs: [5_000, 15_000],
  minWorkerKills: 2,
  serverKillAt: [0.3, 0.6],
  failureBudget: 10,
  imageBytes: 512 * 1024,
  timeoutMs: 15 * 60_000,
};

export interface KillRecord {
  atMs: number;
  what: 'worker' | 'server';
  detail: string;
  /** How long until the replacement was serving again. */
  backAfterMs?: number;
}

export interface ChaosResult {
  seed: number;
  kills: boolean;
  devices: number;
  workers: number;
  overlapKills: boolean;
  status: string;
  /** From the rollout's start to its end, by the workflow's clock. */
  makespanMs: number;
  upgraded: number;
  failed: Array<{ name: string; type: string; message: string }>;
  skipped: string[];
  reloads: Record<string, number>;
  killLog: KillRecord[];
  faults: { authFailure: string; neverReturns: string; corrupt: string; drops: string[]; fired: Record<string, number> };
  checks: Check[];
  ok: boolean;
}

/**
 * One chaos run: its own dev server (SQLite), N worker processes on one task
 * queue, a faulty lab in this process, a rollout over all of it, and (unless
 * `kills` is off) worker SIGKILLs at seeded random moments plus one server
 * SIGKILL-and-restart. An operator loop skips the peers a failed device
 * holds, as a person would. Everything it started is stopped before it returns.
 */
export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const log = opts.log ?? (() => undefined);
  const rng = new Prng(opts.seed);
  const dir = mkdtempSync(join(tmpdir(), 'netops-chaos-'));
  let fleet: ChaosFleet | undefined;
  let server: ChaosServer | undefined;
  let pool: WorkerPool | undefined;
  let connection: Connection | undefined;
  const stopping = { done: false };
  const background: Promise<void>[] = [];
  try {
    fleet = await startChaosFleet({ dir, devices: opts.devices, sites: opts.sites, dropRate: opts.dropRate, rng, imageBytes: opts.imageBytes });
    log(`lab: ${opts.devices} devices; auth failure ${fleet.plan.authFailure}, never returns ${fleet.plan.neverReturns}, corrupt transfer ${fleet.plan.corrupt}, drops on ${fleet.plan.drops.join(' ')}`);
    server = new ChaosServer({ dbFile: join(dir, 'temporal.db'), port: await freePort(), ...(opts.temporalCli ? { cliPath: opts.temporalCli } : {}) });
    await server.start();
    const taskQueue = `chaos-${opts.seed}`;
    const unexpectedExits: string[] = [];
    pool = new WorkerPool({ address: server.address, taskQueue, size: opts.workers, ...(opts.onWorkerLine ? { onLine: opts.onWorkerLine } : {}) });
    await pool.startAll();
    log(`server ${server.address}; ${opts.workers} workers polling ${taskQueue}`);
    const watched = new WeakSet<object>();
    const watchWorkers = (p: WorkerPool) => {
      p.slots.forEach((w) => {
        if (!w || watched.has(w)) return;
        watched.add(w);
        void w.exited.then((how) => {
          if (stopping.done || how === 'SIGKILL' || p.slots[w.slot] !== w) return;
          unexpectedExits.push(`w${w.slot} exited (${String(how)})`);
          log(`worker ${w.slot} exited on its own (${String(how)}); starting another`);
          void p.restart(w.slot).then(() => watchWorkers(p), () => undefined);
        });
      });
    };
    watchWorkers(pool);

    connection = await Connection.connect({ address: server.address });
    const netops = new NetopsClient(new Client({ connection, namespace: 'default' }), taskQueue);
    const name = `chaos-${opts.seed}-${opts.kills ? 'kills' : 'baseline'}`;
    const input = await fleet.input(name, { window: opts.window, failureBudget: { count: opts.failureBudget } });
    const t0 = Date.now();
    await netops.startRollout(input);
    log(`rollout ${name} started`);

    const killLog: KillRecord[] = [];
    background.push(operator(netops, name, stopping, log));
    if (opts.kills) {
      background.push(workerMonkey(pool, server, rng, opts, stopping, killLog, t0, log, () => watchWorkers(pool!)));
      if (opts.serverKillAt) background.push(serverKiller(fleet, server, rng, opts.serverKillAt, stopping, killLog, t0, log));
    }

    const report = await resultThroughOutages(netops, name, opts.timeoutMs);
    stopping.done = true;
    await Promise.all(background);
    log(`rollout ${name} ${report.status} after ${((report.endedAtMs - report.startedAtMs) / 1000).toFixed(1)} s`);

    const devices = fleet.lab.devices.map((d) => ({ name: d.name, version: d.version, reloads: d.reloadCount }));
    const checks = evaluateChaos({
      report,
      plan: fleet.plan,
      devices,
      events: fleet.lab.events,
      targetVersion: TO_VERSION,
      fired: fleet.fired,
      workerKills: opts.kills ? pool.kills : 0,
      expectedWorkerKills: opts.kills ? opts.minWorkerKills : 0,
      serverKills: server.kills,
      expectedServerKills: opts.kills && opts.serverKillAt ? 1 : 0,
      unexpectedWorkerExits: unexpectedExits,
    });
    return {
      seed: opts.seed,
      kills: opts.kills,
      devices: opts.devices,
      workers: opts.workers,
      overlapKills: opts.overlapKills ?? false,
      status: report.status,
      makespanMs: report.endedAtMs - report.startedAtMs,
      upgraded: report.devices.filter((d) => d.outcome === 'upgraded').length,
      failed: report.devices.filter((d) => d.outcome === 'failed').map((d) => ({ name: d.name, type: d.error?.type ?? '?', message: d.error?.message ?? '' })),
      skipped: report.devices.filter((d) => d.outcome === 'skipped').map((d) => d.name),
      reloads: Object.fromEntries(devices.map((d) => [d.name, d.reloads])),
      killLog,
      faults: {
        authFailure: fleet.plan.authFailure,
        neverReturns: fleet.plan.neverReturns,
        corrupt: fleet.plan.corrupt,
        drops: fleet.plan.drops,
        fired: Object.fromEntries(fleet.fired),
      },
      checks,
      ok: checks.every((c) => c.ok),
    };
  } finally {
    stopping.done = true;
    await Promise.all(background.map((b) => b.catch(() => undefined)));
    await pool?.stopAll();
    await connection?.close().catch(() => undefined);
    await server?.stop();
    await fleet?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sleeps up to `ms`, waking early when the run is over. */
async function nap(ms: number, stopping: { done: boolean }): Promise<void> {
  const until = Date.now() + ms;
  while (!stopping.done && Date.now() < until) await sleep(Math.min(200, until - Date.now()));
}

/** What an operator does with a blocked rollout: skip the pending peers of failed devices, so the rest can finish. */
async function operator(netops: NetopsClient, name: string, stopping: { done: boolean }, log: (l: string) => void): Promise<void> {
  while (!stopping.done) {
    let p: RolloutProgress | undefined;
    try {
      p = await netops.progress(name);
    } catch {
      // the server is down or restarting; ask again
    }
    if (p?.status === 'blocked') {
      for (const failed of p.devices.filter((d) => d.state === 'failed' && d.redundancyGroup)) {
        for (const peer of p.devices.filter((d) => d.redundancyGroup === failed.redundancyGroup && d.name !== failed.name && d.state === 'pending')) {
          try {
            await netops.skipDevice(name, peer.name, `its peer ${failed.name} failed (${failed.error?.type ?? 'error'})`);
            log(`operator: skipped ${peer.name}, held by failed ${failed.name} (${failed.error?.type ?? 'error'})`);
          } catch (err) {
            if (!(err instanceof ControlRejected)) log(`operator: skip ${peer.name} failed: ${(err as Error).message.split('\n')[0]}`);
          }
        }
      }
    }
    await nap(500, stopping);
  }
}

/** Kills one polling worker every few seconds (seeded) and starts its replacement at once; see `overlapKills`. */
async function workerMonkey(
  pool: WorkerPool,
  server: ChaosServer,
  rng: Prng,
  opts: ChaosOptions,
  stopping: { done: boolean },
  killLog: KillRecord[],
  t0: number,
  log: (l: string) => void,
  rewatch: () => void,
): Promise<void> {
  const restarts: Promise<void>[] = [];
  let kills = 0;
  while (!stopping.done && (opts.maxWorkerKills === undefined || kills < opts.maxWorkerKills)) {
    await nap(rng.int(opts.workerKillEveryMs[0], opts.workerKillEveryMs[1]), stopping);
    if (stopping.done) break;
    if (server.down) continue;
    const live = pool.slots.filter((w) => w?.polling && w.child.exitCode === null && w.child.signalCode === null).map((w) => w!.slot);
    if (live.length === 0) continue;
    const slot = rng.pick(live);
    const at = Date.now();
    await pool.kill(slot);
    kills++;
    const record: KillRecord = { atMs: at - t0, what: 'worker', detail: `w${slot} SIGKILL` };
    killLog.push(record);
    log(`chaos: SIGKILL worker ${slot} at ${((at - t0) / 1000).toFixed(1)} s`);
    const back = pool.restart(slot).then(
      () => {
        record.backAfterMs = Date.now() - at;
        log(`chaos: worker ${slot} polling again after ${(record.backAfterMs / 1000).toFixed(1)} s`);
        rewatch();
      },
      (err: unknown) => log(`chaos: worker ${slot} did not come back: ${(err as Error).message}`),
    );
    restarts.push(back);
    if (!opts.overlapKills) await back;
  }
  await Promise.all(restarts);
}

/** SIGKILLs the server once, when a seeded share of the devices has rebooted, and starts it again on the same port and file. */
async function serverKiller(
  fleet: ChaosFleet,
  server: ChaosServer,
  rng: Prng,
  at: [number, number],
  stopping: { done: boolean },
  killLog: KillRecord[],
  t0: number,
  log: (l: string) => void,
): Promise<void> {
  const share = at[0] + rng.next() * (at[1] - at[0]);
  const threshold = Math.max(1, Math.round(share * fleet.lab.devices.length));
  while (!stopping.done && fleet.lab.devices.filter((d) => d.reloadCount > 0).length < threshold) await sleep(100);
  if (stopping.done) return;
  const killedAt = Date.now();
  await server.kill();
  log(`chaos: SIGKILL server at ${((killedAt - t0) / 1000).toFixed(1)} s (${threshold} devices rebooted)`);
  await sleep(rng.int(1_000, 3_000));
  await server.start();
  const record: KillRecord = { atMs: killedAt - t0, what: 'server', detail: `process group SIGKILL after ${threshold} reboots`, backAfterMs: Date.now() - killedAt };
  killLog.push(record);
  log(`chaos: server back after ${(record.backAfterMs! / 1000).toFixed(1)} s`);
}

/** The client's long poll may see the server's outage; ask again until the report arrives. */
async function resultThroughOutages(netops: NetopsClient, name: string, timeoutMs: number): Promise<RolloutReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), Math.max(1, deadline - Date.now()));
    });
    try {
      return await Promise.race([netops.result(name), timedOut]);
    } catch (err) {
      if (Date.now() >= deadline) throw new Error(`rollout ${name} did not end within ${timeoutMs} ms: ${(err as Error).message}`);
      await sleep(500);
    } finally {
      clearTimeout(timer);
    }
  }
}
