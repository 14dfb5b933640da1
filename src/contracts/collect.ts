import { queryDefinition } from './handler-definitions';
import type { ResultStoreRef } from './result-store-ref';
import type { DeviceTarget } from './targets';

/**
 * The collection's contract with its clients. Inputs carry device targets
 * (credential references only) or a reference to a device set in the
 * result store; outputs carry counts, a capped failure list and the store
 * reference, never raw device output.
 */

/** Named command sets, expanded per platform by the worker from the platform dialects. */
export const COLLECT_PROFILES = ['health'] as const;
export type CollectProfile = (typeof COLLECT_PROFILES)[number];

export interface CollectTimings {
  /** A batch that stops heartbeating this long is retried (on another worker) from its checkpoint. */
  heartbeatTimeoutMs: number;
  /** Longest one batch may run, retries inside it included. */
  batchTimeoutMs: number;
  /**
   * Attempts of a batch before a device's retryable error (a drop, a
   * refusal, a timeout) is recorded: until then the batch hands such devices
   * to Temporal's retry of the batch activity, which collects only them.
   */
  deviceAttempts: number;
  /** First pause before a batch's retry (doubles each time, at most 30 s). */
  retryDelayMs: number;
  /** Per-command timeout on the device. */
  commandTimeoutMs: number;
}

export const DEFAULT_COLLECT_TIMINGS: CollectTimings = {
  heartbeatTimeoutMs: 30_000,
  batchTimeoutMs: 30 * 60_000,
  deviceAttempts: 3,
  retryDelayMs: 1_000,
  commandTimeoutMs: 60_000,
};

export interface CollectInput {
  /** Names the run; the workflow id is collect/<name> (a schedule appends its fire time). */
  name: string;
  /** Inline targets (small fleets), or `deviceSet` for ones too large for a workflow input. */
  devices?: DeviceTarget[];
  deviceSet?: { key: string; count: number };
  /** Commands to run, e.g. `show version`; `a|b|c` picks the one each platform speaks. Default: the `health` profile. */
  commands?: string[];
  profile?: CollectProfile;
  /** Devices per batch activity (default 100). */
  batchSize?: number;
  /** Devices worked on at once inside one batch (default 25), under the worker's session limiter. */
  concurrencyPerBatch?: number;
  /** Batches running at once (default 4). */
  parallelBatches?: number;
  store: ResultStoreRef;
  timings?: Partial<CollectTimings>;
  /** Continue-as-new after this many batches finish in one run (default 40), to keep histories short. */
  batchesPerRun?: number;
  /** @internal State carried across continue-as-new. */
  carry?: CollectCarry;
}

export interface CollectCarry {
  runId: string;
  startedAt: string;
  nextBatch: number;
  summary: CollectSummary;
}

export const MAX_LISTED_FAILURES = 50;

export interface DeviceFailure {
  device: string;
  type: string;
  message: string;
}

export interface CollectSummary {
  devices: number;
  ok: number;
  failed: number;
  /** Failed devices by error type. */
  byError: Record<string, number>;
  /** The first MAX_LISTED_FAILURES failures; the store has all of them. */
  failures: DeviceFailure[];
  batchesDone: number;
  batches: number;
  /** Batches that were retried and resumed from a checkpoint, and the devices they did not collect again. */
  resumedBatches: number;
  resumedDevices: number;
  /**
   * Devices collected again by a retried batch because a crash cut their
   * session before they were stored (read-only show commands, run twice).
   * Absent in summaries of runs started before it was counted.
   */
  recollectedDevices?: number;
}

export interface CollectResult {
  runId: string;
  name: string;
  store: ResultStoreRef;
  startedAt: string;
  finishedAt: string;
  summary: CollectSummary;
}

/** What a batch activity gets: its slice of devices, inline or by range of a stored set. */
export interface CollectBatchInput {
  runId: string;
  batch: number;
  store: ResultStoreRef;
  devices?: DeviceTarget[];
  deviceSet?: { key: string; from: number; to: number };
  commands?: string[];
  profile?: CollectProfile;
  concurrency: number;
  timings: CollectTimings;
}

/** A device's outcome as the workflow sees it: one line, no data. */
export interface CollectOutcome {
  device: string;
  ok: boolean;
  error?: { type: string; message: string };
}

export interface CollectBatchResult {
  batch: number;
  outcomes: CollectOutcome[];
  /** Devices skipped because the checkpoint (heartbeat or store) said they were done. */
  resumed: number;
  /** Devices collected again because an earlier attempt's crash cut their session before they were stored (absent from older workers). */
  recollected?: number;
}

export interface CollectProgress {
  runId: string;
  summary: CollectSummary;
  running: number[];
}

export const collectProgressQuery = queryDefinition<CollectProgress>('collectProgress');

export const COLLECT_ID_PREFIX = 'collect/';

export function collectWorkflowId(name: string): string {
  return `${COLLECT_ID_PREFIX}${name}`;
}

/**
 * The run id (the store key) from the workflow id: `collect/nightly` ->
 * `nightly`, and a schedule's `collect/nightly-2026-11-23T04:00:00Z` ->
 * `nightly-2026-11-23T040000Z`, a safe directory name.
 */
export function runIdFromWorkflowId(workflowId: string): string {
  const bare = workflowId.startsWith(COLLECT_ID_PREFIX) ? workflowId.slice(COLLECT_ID_PREFIX.length) : workflowId;
  const safe = bare.replace(/[^A-Za-z0-9._-]/g, '').replace(/^[^A-Za-z0-9]+/, '');
  return (safe || 'run').slice(0, 200);
}
