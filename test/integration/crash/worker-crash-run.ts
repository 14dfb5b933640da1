import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { makeLabImage, type Lab, type LabEvent, type StartLabOptions } from '../../../src/lab';
import { NetopsClient } from '../../../src/client/netops-client';
import { deviceWorkflowId } from '../../../src/contracts/rollout';
import { startCli, type LongRunning } from '../../support/cli-process';
import { startLabFixture, TO_VERSION, type LabFixture } from '../../support/rollout-fixture';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { expectCleanRollout, onFirstLabEvent, priorities, uniqueTopology } from './crash-support';

export interface WorkerCrashCase {
  phase: string;
  /** The lab event that shows the phase is under way on some device. */
  trigger: (e: LabEvent) => boolean;
  /** Waits, after the trigger, until the moment to kill; without it the kill happens inside the event itself. */
  settle?: (env: TemporalTestEnv, event: LabEvent) => Promise<void>;
  lab?: StartLabOptions;
  /** The rollout's isolation policy (default: the drain). */
  isolation?: 'isolate' | 'none';
}

export interface WorkerCrashOutcome {
  lab: Lab;
  /** The device whose step was interrupted. */
  device: string;
  /** From the kill to the replacement worker polling (it bundles the workflows first). */
  workerReadyAfterMs: number;
  /** From the kill to the next SSH session the new worker opened to that device. */
  retryAfterMs: number;
  /** Activities the server still thought running right after the kill, as `device: type`. */
  inFlight: string[];
  /** From the kill to the rollout's end. */
  finishedAfterMs: number;
}

/** Owns every process and lab a crash case starts, so a failing case still cleans up. */
/**
 * A runner for the test file: connects to the suite's server before its
 * tests, stops each case's workers and lab after it, and disconnects after
 * the file. Registers its own hooks.
 */
export function useWorkerCrashRunner(): { run(c: WorkerCrashCase): Promise<WorkerCrashOutcome> } {
  let env: TemporalTestEnv | undefined;
  let runner: WorkerCrashRunner | undefined;
  beforeAll(async () => {
    env = await connectTestEnv();
    runner = new WorkerCrashRunner(env);
  });
  afterEach(async () => {
    await runner?.close();
  });
  afterAll(async () => {
    await env?.close();
  });
  return {
    run: (c) => {
      if (!runner) throw new Error('useWorkerCrashRunner: used outside a test');
      return runner.run(c);
    },
  };
}

export class WorkerCrashRunner {
  private readonly workers: LongRunning[] = [];
  private readonly fixtures: LabFixture[] = [];

  constructor(private readonly env: TemporalTestEnv) {}

  async run(c: WorkerCrashCase): Promise<WorkerCrashOutcome> {
    const id = randomUUID().slice(0, 6);
    const fx = await startLabFixture({ topology: uniqueTopology(`w${c.phase.slice(0, 3)}${id}`), ...c.lab });
    this.fixtures.push(fx);
    // A bigger image keeps a transfer in flight long enough to be cut.
    writeFileSync(fx.imagePath, makeLabImage(TO_VERSION, 4 * 1024 * 1024));
    const before = priorities(fx.lab);
    const taskQueue = `worker-crash-${id}`;
    const first = await this.startWorker(taskQueue);
    const netops = new NetopsClient(this.env.client, taskQueue);
    const name = `worker-crash-${c.phase}-${id}`;

    let killedAt = 0;
    let killedAtT = 0;
    const kill = () => {
      first.child.kill('SIGKILL');
      killedAt = Date.now();
      killedAtT = fx.lab.log.now();
    };
    const triggered = onFirstLabEvent(fx.lab, c.trigger, c.settle ? () => undefined : kill);
    const input = await fx.input(name, { window: 4 });
    if (c.isolation && input.job.kind === 'upgrade') input.job = { ...input.job, isolation: c.isolation };
    await netops.startRollout(input);
    const ended = netops.result(name).then((r) => {
      throw new Error(`the rollout ended (${r.status}: ${r.stopReason ?? 'no reason'}) before the ${c.phase} it was to be killed in`);
    });
    ended.catch(() => undefined);
    const event = await Promise.race([triggered, ended]).catch(async (err: Error) => {
      const progress = await netops.progress(name).catch((e: Error) => e.message);
      throw new Error(`${err.message}\nrollout progress: ${JSON.stringify(progress)}\nworker output:\n${first.output()}`);
    });
    const device = 'device' in event ? event.device : '?';
    if (c.settle) {
      await c.settle(this.env, event);
      kill();
    }
    const signal = await new Promise<NodeJS.Signals | null>((r) => (first.child.exitCode !== null || first.child.signalCode ? r(first.child.signalCode) : first.child.once('exit', (_code, s) => r(s))));
    expect(signal, 'the first worker died of the SIGKILL, not of its own accord').toBe('SIGKILL');
    const inFlight = await pendingActivities(this.env.client, fx.lab.devices.map((d) => d.name));
    expect(fx.lab.devices.every((d) => d.reloadCount === 1 && d.version === TO_VERSION), 'the kill came before the end').toBe(false);

    await this.startWorker(taskQueue);
    const workerReadyAfterMs = Math.round(fx.lab.log.now() - killedAtT);
    const report = await netops.result(name);
    const finishedAfterMs = Date.now() - killedAt;
    const retry = fx.lab.events.find((e) => e.t > killedAtT && e.type === 'session.open' && e.device === device);
    expectCleanRollout(fx.lab, report, before);
    return { lab: fx.lab, device, inFlight, workerReadyAfterMs, retryAfterMs: retry ? Math.round(retry.t - killedAtT) : Number.NaN, finishedAfterMs };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.stop('SIGKILL')));
    await Promise.all(this.fixtures.splice(0).map((f) => f.stop()));
  }

  private async startWorker(taskQueue: string): Promise<LongRunning> {
    const w = startCli(['worker', '--address', this.env.address, '--task-queue', taskQueue]);
    this.workers.push(w);
    await w.waitFor(/worker polling task queue/, 60_000);
    return w;
  }
}

/** One line per case in the test output: the numbers the report quotes. */
export function logOutcome(phase: string, o: WorkerCrashOutcome): void {
  console.info(`[worker-crash] ${phase}: a new worker polled ${(o.workerReadyAfterMs / 1000).toFixed(1)} s after the kill; ${o.device} was contacted again ${(o.retryAfterMs / 1000).toFixed(1)} s after the kill; the rollout ended ${(o.finishedAfterMs / 1000).toFixed(1)} s after it; lost with the worker: ${o.inFlight.join(', ') || 'nothing'}`);
}

async function pendingActivities(client: Client, devices: string[]): Promise<string[]> {
  const lists = await Promise.all(
    devices.map(async (name) => {
      const d = await client.workflow.getHandle(deviceWorkflowId(name)).describe().catch(() => undefined);
      if (!d || d.status.name !== 'RUNNING') return [];
      return (d.raw.pendingActivities ?? []).map((a) => `${name}: ${a.activityType?.name ?? '?'}`);
    }),
  );
  return lists.flat();
}

/**
 * The interrupted step is retried once the server notices its loss (after
 * `timeoutMs`) and a worker is there to take it, plus the retry's backoff
 * (1 s) and some room for a loaded machine.
 */
export function expectRetriedWithin(o: WorkerCrashOutcome, timeoutMs: number): void {
  expect(o.retryAfterMs).toBeLessThan(Math.max(o.workerReadyAfterMs, timeoutMs) + 8_000);
}
