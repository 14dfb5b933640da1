import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { SessionLimiter } from '../devices/limiter';
import { collectPlan, dialectFor, type PlannedShow } from '../devices/platforms';
import type { Platform } from '../inventory/types';
import { openResultStore, type CollectedDevice, type CollectError, type ResultStoreRef, type RunCounts, type RunMeta } from '../results';
import type { CollectBatchInput, CollectBatchResult, CollectProfile, CollectTimings, CollectOutcome } from '../contracts/collect';
import type { DeviceTarget } from '../contracts/rollout';
import { BatchProgress } from './collect-checkpoint';
import { readDevice } from './collect-record';
import { describeFailure } from './failures';
import { deviceActivity, type DeviceRuntime } from './runtime';

export { pickAlternative } from '../devices/platforms';

/** The commands a device runs, resolved for its platform from its dialect, and what each is parsed as. */
export function commandsFor(platform: Platform, commands: string[] | undefined, profile: CollectProfile = 'health'): PlannedShow[] {
  return collectPlan(dialectFor(platform), commands, profile);
}

/** The failure type of a batch attempt that hands devices with retryable errors to Temporal's retry. */
export const DEVICES_TO_RETRY = 'DevicesToRetry';

/** Where one device's record goes, and who wants to know while its session is open. */
export interface DeviceSink {
  save(record: CollectedDevice): Promise<void>;
  /** A session is open and its device not stored yet (the batch's in-flight checkpoint). */
  sessionOpen?(device: string): void;
  /** That session stored its device or failed. */
  sessionDone?(device: string): void;
}

type Collected = { record: CollectedDevice } | { retry: CollectError };

/**
 * One device, one session, in this attempt of its batch. A retryable
 * failure (a dropped session, a refused connection, a timeout) before the
 * batch's last attempt is handed back: Temporal's retry of the batch brings
 * the device back with a fresh session. Any other failure, or one on the
 * last attempt, becomes the device's error record. A store failure is
 * thrown as it is.
 *
 * A collected record is stored before its session says goodbye. A crash
 * can then cut the session of a device already stored (it is not asked
 * again), but can never lose the record of a session that collected the
 * device and ended cleanly: it could only be collected twice if it were.
 */
async function collectOne(rt: DeviceRuntime, runId: string, device: DeviceTarget, plan: PlannedShow[], timings: CollectTimings, sink: DeviceSink, attempt: number): Promise<Collected> {
  let storeFailure: { error: unknown } | undefined;
  try {
    return await rt.session(device, async (s) => {
      sink.sessionOpen?.(device.name);
      try {
        const data = await readDevice(s, device, plan, timings.commandTimeoutMs);
        const record: CollectedDevice = { ...data, runId, collectedAt: new Date().toISOString(), attempts: attempt };
        try {
          await sink.save(record);
        } catch (error) {
          storeFailure = { error };
          throw error;
        }
        return { record };
      } finally {
        sink.sessionDone?.(device.name);
      }
    });
  } catch (err) {
    if (storeFailure) throw storeFailure.error;
    if (cancelled()) throw err;
    // The one failure policy decides the error's type and whether another session may succeed.
    const { type, message, retryable } = describeFailure(err, device.name);
    const error: CollectError = { type, message, retryable };
    if (error.retryable && attempt < timings.deviceAttempts) return { retry: error };
    const record: CollectedDevice = { device: device.name, site: device.site, platform: device.platform, runId, collectedAt: new Date().toISOString(), reachable: false, attempts: attempt, error };
    await sink.save(record);
    return { record };
  }
}

/** One device in one session, as `collectOne`; a device handed back to the batch's retry throws its error. */
export async function collectDevice(rt: DeviceRuntime, runId: string, device: DeviceTarget, plan: PlannedShow[], timings: CollectTimings, sink: DeviceSink, attempt = attemptNumber()): Promise<CollectedDevice> {
  const r = await collectOne(rt, runId, device, plan, timings, sink, attempt);
  if ('retry' in r) throw ApplicationFailure.retryable(`${device.name}: ${r.retry.message}`, r.retry.type);
  return r.record;
}

function outcomeOf(r: CollectedDevice): CollectOutcome {
  return r.error ? { device: r.device, ok: false, error: { type: r.error.type, message: r.error.message.slice(0, 300) } } : { device: r.device, ok: true };
}

/** Heartbeats often enough for the server to see progress well inside the timeout, rarely enough to cost nothing. */
function heartbeatEvery(timings: CollectTimings): number {
  return Math.max(100, Math.min(1_000, Math.floor(timings.heartbeatTimeoutMs / 10)));
}

/** The batch's lanes take session slots only; connection pacing is the worker's limiter's (inside `rt.session`). */
const UNPACED = Number.MAX_SAFE_INTEGER;

export function collectActivities(rt: DeviceRuntime) {
  /** Records the run in the store before any device is contacted. */
  async function beginCollectRun(input: { store: ResultStoreRef; meta: RunMeta }): Promise<void> {
    const store = openResultStore(input.store);
    const existing = await store.getRun(input.meta.runId);
    await store.putRun(existing ? { ...existing, ...input.meta, startedAt: existing.startedAt } : input.meta);
  }

  /** Marks the run finished; returns the time it did, for the workflow's result. */
  async function finishCollectRun(input: { store: ResultStoreRef; runId: string; counts: RunCounts }): Promise<string> {
    const store = openResultStore(input.store);
    const meta = await store.getRun(input.runId);
    const finishedAt = new Date().toISOString();
    if (meta) await store.putRun({ ...meta, finishedAt, counts: input.counts });
    return finishedAt;
  }

  /**
   * One batch: many devices at once inside one activity. The checkpoint
   * (BatchProgress) holds every stored device and the devices whose session
   * is open. A retry skips what the checkpoint or the store has (at most once
   * for everything stored), and collects again - and counts - the devices
   * the previous attempt had in flight and did not store (at least once for
   * sessions a crash cut; show commands are read-only). Devices with a
   * retryable error are handed to Temporal's retry of this activity: the
   * attempt ends with a retryable failure once the others are stored.
   */
  async function collectBatch(input: CollectBatchInput): Promise<CollectBatchResult> {
    const store = openResultStore(input.store);
    const batchRt = rt.resolvingSecretsOnce();
    listenForCancellation(input.concurrency);
    const devices = input.devices ?? (input.deviceSet ? await store.getDeviceSet<DeviceTarget>(input.deviceSet.key, input.deviceSet.from, input.deviceSet.to) : []);
    const names = devices.map((d) => d.name);
    const attempt = attemptNumber();
    const progress = await BatchProgress.start(store, input.runId, names, attempt, heartbeatEvery(input.timings));
    // A batch speaks to a handful of platforms: resolve each one's commands once, not per device.
    const plans = new Map<Platform, PlannedShow[]>();
    const planFor = (platform: Platform) => plans.get(platform) ?? plans.set(platform, commandsFor(platform, input.commands, input.profile)).get(platform)!;
    const sink: DeviceSink = {
      save: async (record) => {
        await store.put(input.runId, record.device, record);
        progress.stored(outcomeOf(record));
      },
      sessionOpen: (name) => progress.sessionOpen(name),
      sessionDone: (name) => progress.sessionDone(name),
    };
    const lanes = new SessionLimiter({ maxSessions: Math.max(1, input.concurrency), connectsPerSecond: UNPACED });
    const handedBack: { device: string; error: CollectError }[] = [];
    try {
      await Promise.all(
        devices
          .filter((d) => !progress.done.has(d.name))
          .map((d) =>
            lanes.run(async () => {
              if (cancelled()) return;
              const r = await collectOne(batchRt, input.runId, d, planFor(d.platform), input.timings, sink, attempt);
              if ('retry' in r) handedBack.push({ device: d.name, error: r.retry });
            }),
          ),
      );
    } finally {
      progress.stop();
    }
    if (cancelled()) throw new Error(`batch ${input.batch} cancelled after ${progress.done.size} of ${devices.length} devices`);
    if (handedBack.length) {
      progress.handBack(handedBack.map((h) => h.device));
      const some = handedBack.slice(0, 5).map((h) => `${h.device} (${h.error.type}: ${h.error.message.slice(0, 120)})`);
      throw ApplicationFailure.retryable(
        `batch ${input.batch} attempt ${attempt}: ${handedBack.length} device(s) to collect again on the batch's retry: ${some.join('; ')}${handedBack.length > some.length ? '; ...' : ''}`,
        DEVICES_TO_RETRY,
      );
    }
    return { batch: input.batch, resumed: progress.resumed, recollected: progress.cut.length, outcomes: names.map((n) => progress.done.get(n)!) };
  }

  // The run's first write fails fast, not forever, when the store cannot be written (ResultStoreUnwritable).
  return { beginCollectRun: deviceActivity(beginCollectRun), finishCollectRun: deviceActivity(finishCollectRun), collectBatch };
}

/** Every concurrent session listens for cancellation on the activity's one signal. */
function listenForCancellation(concurrency: number): void {
  try {
    setMaxListeners(concurrency + 10, Context.current().cancellationSignal);
  } catch {
    // not in an activity context
  }
}

function cancelled(): boolean {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false;
  }
}

function attemptNumber(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export type CollectActivities = ReturnType<typeof collectActivities>;
