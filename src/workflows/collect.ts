import { ActivityFailure, ApplicationFailure, continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CollectActivities } from '../activities/collect';
import {
  collectProgressQuery,
  DEFAULT_COLLECT_TIMINGS,
  runIdFromWorkflowId,
  type CollectBatchInput,
  type CollectBatchResult,
  type CollectInput,
  type CollectResult,
  type CollectTimings,
} from '../contracts/collect';
import { addBatch, emptySummary, failedBatch, planBatches, type BatchRange } from '../contracts/collect-batches';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';

/** Patch id: the batch's retry policy derives from the timings (the activity no longer retries devices itself). */
const BATCH_RETRY_FROM_TIMINGS = 'collect-batch-retry-from-timings';

/**
 * Fan-out collection: the devices are cut into batches, each batch is ONE
 * activity working on many devices at once (under the worker's session
 * limiter), and a window of batches runs in parallel. A batch heartbeats a
 * checkpoint, so a batch retried after a worker crash resumes where it was.
 * Device failures are data (recorded in the store and the summary), never
 * a batch failure. The workflow holds counts only and continues-as-new every
 * `batchesPerRun` batches, so 10,000 devices stay far below history limits.
 */
export async function collectWorkflow(raw: CollectInput): Promise<CollectResult> {
  const input: CollectInput = acceptInput('collectWorkflow', raw);
  const timings: CollectTimings = { ...DEFAULT_COLLECT_TIMINGS, ...input.timings };
  const total = input.devices?.length ?? input.deviceSet?.count ?? 0;
  const batches = planBatches(total, input.batchSize ?? 100);
  const runId = input.carry?.runId ?? runIdFromWorkflowId(workflowInfo().workflowId);

  const quick = proxyActivities<CollectActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 10, initialInterval: '1 second' },
  });
  // A batch hands devices with retryable errors to this retry (until attempt `deviceAttempts`), so the
  // pause and the attempts follow the collection's timings, with two attempts to spare for worker crashes.
  const retryFromTimings = patched(BATCH_RETRY_FROM_TIMINGS);
  const batchActivity = proxyActivities<CollectActivities>({
    startToCloseTimeout: timings.batchTimeoutMs,
    heartbeatTimeout: timings.heartbeatTimeoutMs,
    retry: retryFromTimings
      ? { maximumAttempts: timings.deviceAttempts + 2, initialInterval: Math.max(1, timings.retryDelayMs), backoffCoefficient: 2, maximumInterval: '30 seconds' }
      : { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '30 seconds' },
  });

  let startedAt = input.carry?.startedAt;
  if (!startedAt) {
    startedAt = new Date(workflowInfo().runStartTime.getTime()).toISOString();
    await quick.beginCollectRun({ store: input.store, meta: { runId, name: input.name, startedAt, devices: total, commands: input.commands ?? [`profile:${input.profile ?? 'health'}`] } });
  }
  let summary = input.carry?.summary ?? emptySummary(total, batches.length);
  const running = new Map<number, Promise<void>>();
  setHandler(collectProgressQuery, () => ({ runId, summary, running: [...running.keys()] }));

  const runBatch = async (b: BatchRange): Promise<void> => {
    const batchInput: CollectBatchInput = {
      runId,
      batch: b.index,
      store: input.store,
      concurrency: input.concurrencyPerBatch ?? 25,
      timings,
      ...(input.devices ? { devices: input.devices.slice(b.from, b.to) } : { deviceSet: { key: input.deviceSet!.key, from: b.from, to: b.to } }),
      ...(input.commands?.length ? { commands: input.commands } : { profile: input.profile ?? 'health' }),
    };
    let result: CollectBatchResult;
    try {
      result = await batchActivity.collectBatch(batchInput);
    } catch (err) {
      const names = input.devices ? input.devices.slice(b.from, b.to).map((d) => d.name) : Array.from({ length: b.to - b.from }, (_, i) => `#${b.from + i}`);
      const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
      const type = cause instanceof ApplicationFailure && cause.type ? cause.type : 'BatchFailed';
      result = failedBatch(b.index, names, type, `batch ${b.index} failed after its retries: ${(cause as Error).message}`);
    }
    summary = addBatch(summary, result);
  };

  // A sliding window of batches; before continuing as new, the in-flight ones finish.
  const parallel = Math.max(1, input.parallelBatches ?? 4);
  const perRun = Math.max(1, input.batchesPerRun ?? 40);
  let next = input.carry?.nextBatch ?? 0;
  let startedHere = 0;
  while (next < batches.length || running.size > 0) {
    const mayStart = startedHere < perRun && !workflowInfo().continueAsNewSuggested;
    while (mayStart && running.size < parallel && next < batches.length && startedHere < perRun) {
      const b = batches[next++]!;
      startedHere++;
      running.set(b.index, runBatch(b).finally(() => running.delete(b.index)));
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (next < batches.length) {
    await continueAsNew<typeof collectWorkflow>({ ...input, carry: { runId, startedAt, nextBatch: next, summary } });
  }

  const counts = { ok: summary.ok, failed: summary.failed, resumedBatches: summary.resumedBatches, resumedDevices: summary.resumedDevices, recollectedDevices: summary.recollectedDevices ?? 0 };
  const finishedAt = await quick.finishCollectRun({ store: input.store, runId, counts });
  return { runId, name: input.name, store: input.store, startedAt, finishedAt, summary };
}

failOnUnexpectedErrors(collectWorkflow);
