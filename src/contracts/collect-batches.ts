import { MAX_LISTED_FAILURES, type CollectBatchResult, type CollectSummary, type CollectOutcome } from './collect';

/**
 * Pure pieces of the collection: how devices are cut into batches, how a
 * retried batch merges what its earlier attempt already did, and how batch
 * results add up to the run's summary. Deterministic, so the workflow and
 * the activity can both use them.
 */

export interface BatchRange {
  index: number;
  from: number;
  to: number;
}

export function planBatches(devices: number, batchSize: number): BatchRange[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const out: BatchRange[] = [];
  for (let from = 0, index = 0; from < devices; from += batchSize, index++) out.push({ index, from, to: Math.min(devices, from + batchSize) });
  return out;
}

/** The heartbeat checkpoint of a batch. The optional fields are absent in heartbeats of older workers. */
export interface BatchCheckpoint {
  /** Outcomes of devices already collected and stored. */
  done: CollectOutcome[];
  /** Devices with a session open (and not yet stored) when the heartbeat was taken. */
  inFlight?: string[];
  /** Devices whose session an earlier attempt's crash cut, carried so a third attempt still counts them. */
  cut?: string[];
  /**
   * Set in the last heartbeat of an attempt that ended on purpose, handing
   * these devices (a retryable failure each: a dropped session, a refusal)
   * to Temporal's retry of the batch; the next attempt is then no resume.
   */
  retry?: string[];
}

/**
 * Merges the previous attempt's heartbeat with what the store already holds
 * (a heartbeat is throttled and may lag the last stored device), so a
 * retried batch skips both. A device in both keeps the heartbeat's outcome.
 */
export function mergeCheckpoint(heartbeat: BatchCheckpoint | undefined, stored: CollectOutcome[], batchDevices: string[]): Map<string, CollectOutcome> {
  const inBatch = new Set(batchDevices);
  const done = new Map<string, CollectOutcome>();
  for (const o of stored) if (inBatch.has(o.device)) done.set(o.device, o);
  for (const o of heartbeat?.done ?? []) if (inBatch.has(o.device)) done.set(o.device, o);
  return done;
}

/**
 * The devices of this batch whose session a crash of an earlier attempt cut
 * before they were stored: in flight in its last heartbeat and not done now,
 * plus those earlier attempts had already found. The retry collects them
 * again. A heartbeat is throttled, so a session opened after the last one
 * reached the server is collected again without being counted here.
 */
export function cutByCrash(heartbeat: BatchCheckpoint | undefined, done: ReadonlyMap<string, CollectOutcome>, batchDevices: string[]): string[] {
  const cut = new Set(heartbeat?.cut ?? []);
  for (const d of heartbeat?.inFlight ?? []) if (!done.has(d)) cut.add(d);
  return batchDevices.filter((d) => cut.has(d));
}

export function emptySummary(devices: number, batches: number): CollectSummary {
  return { devices, ok: 0, failed: 0, byError: {}, failures: [], batchesDone: 0, batches, resumedBatches: 0, resumedDevices: 0, recollectedDevices: 0 };
}

/** Adds one finished batch to the summary (returns a new object; the failure list stays capped). */
export function addBatch(summary: CollectSummary, result: CollectBatchResult): CollectSummary {
  const next: CollectSummary = { ...summary, byError: { ...summary.byError }, failures: [...summary.failures], batchesDone: summary.batchesDone + 1 };
  for (const o of result.outcomes) {
    if (o.ok) {
      next.ok++;
      continue;
    }
    next.failed++;
    const type = o.error?.type ?? 'Error';
    next.byError[type] = (next.byError[type] ?? 0) + 1;
    if (next.failures.length < MAX_LISTED_FAILURES) next.failures.push({ device: o.device, type, message: (o.error?.message ?? '').slice(0, 300) });
  }
  const recollected = result.recollected ?? 0;
  // A retry that found only cut sessions (nothing stored yet) still resumed from a checkpoint.
  if (result.resumed > 0 || recollected > 0) {
    next.resumedBatches++;
    next.resumedDevices += result.resumed;
  }
  // A summary carried over from a run that predates the count starts it at 0.
  next.recollectedDevices = (summary.recollectedDevices ?? 0) + recollected;
  return next;
}

/** A batch that failed as a whole (after its retries) counts each of its devices as failed with that error. */
export function failedBatch(batch: number, devices: string[], type: string, message: string): CollectBatchResult {
  return { batch, resumed: 0, outcomes: devices.map((device) => ({ device, ok: false, error: { type, message } })) };
}
