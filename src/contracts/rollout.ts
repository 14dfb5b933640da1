import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Device, Site } from '../inventory/types';
import type { RolloutPolicy } from '../plan';
import type { FirmwareJob } from './dashboard';
import { TIMING_PRESETS } from './timing-presets';

/**
 * The rollout's contract with its clients (CLI, NetopsClient, other services):
 * input, report, progress, and the updates that steer it. Everything here is
 * plain JSON with references instead of secrets.
 */

/**
 * One device as a rollout needs it: where it is, how to log in (by reference),
 * where it sits. The inventory device without its free-form `data` and tags.
 */
export type DeviceTarget = Pick<
  Device,
  'name' | 'host' | 'port' | 'platform' | 'site' | 'groups' | 'redundancyGroup' | 'credentials' | 'hostKey' | 'hostKeyCheck' | 'knownHostsFile'
>;

/** A cloud-managed network, rolled out through a dashboard API rather than SSH. */
export interface NetworkTarget {
  kind: 'network';
  name: string;
  /** The organisation; used as the "site" for limits and ordering. */
  site: string;
  groups: string[];
  redundancyGroup?: string;
  orgId: string;
  networkId: string;
}

/** Anything a rollout can work through one by one: a device over SSH, or a network over REST. */
export type RolloutTarget = DeviceTarget | NetworkTarget;

export function isDeviceTarget(t: RolloutTarget): t is DeviceTarget {
  return !('kind' in t);
}

/** The image to install, known by name, size and hash; the worker reads the bytes from `path`. */
export interface ImageSpec {
  fileName: string;
  /** Version the image boots into (compared with `show version`). */
  version: string;
  md5: string;
  sizeBytes: number;
  /** Where the worker finds the file; never sent to a device. */
  path: string;
}

/** Waits and polls of the device procedure; real defaults, small values in tests and the lab. */
export interface DeviceTimings {
  /** How long a reloaded device may take to come back before it counts as lost. */
  reloadTimeoutMs: number;
  /** First poll interval while waiting for a device to return (doubles up to `pollMaxMs`). */
  pollInitialMs: number;
  pollMaxMs: number;
  /** How long to wait for the peer to become active after a drain. */
  drainTimeoutMs: number;
  /** Settle time after the device is back before the post-check (protocols converge). */
  settleMs: number;
  /** Timeout of one staging attempt (large images on slow links need more). */
  stageTimeoutMs: number;
  /** A long activity that stops heartbeating this long is retried on another worker. */
  heartbeatTimeoutMs: number;
  /**
   * Longest a short device step (a snapshot, setting the boot variable, sending
   * reload) may take; also how long a step lost with a crashed worker waits
   * before it is retried elsewhere. Optional: inputs from before it existed
   * must still replay (see `stepTimeout`).
   */
  stepTimeoutMs?: number;
}

/** The `real` preset: what the workflows fall back to where an input says nothing. */
export const DEFAULT_DEVICE_TIMINGS: DeviceTimings = { ...TIMING_PRESETS.real };

/** The step timeout, with the default for inputs recorded before the field existed. */
export function stepTimeout(t: DeviceTimings): number {
  return t.stepTimeoutMs ?? DEFAULT_DEVICE_TIMINGS.stepTimeoutMs ?? 120_000;
}

export interface FailureBudget {
  /** Failures tolerated; one more stops the rollout. */
  count?: number;
  /** Failures tolerated as a percentage of the selected devices (rounded down). */
  percent?: number;
}

export interface UpgradeJob {
  kind: 'upgrade';
  image: ImageSpec;
  /** Roll back (boot the previous image and reload) when the post-check fails. */
  rollbackOnFailedPostCheck: boolean;
}

/** Post-change checks of a config push; the pushed lines are always checked. */
export interface ConfigVerify {
  /** No HSRP/VRRP group of the device may be degraded that was healthy before. */
  redundancy: boolean;
  /** No interface may be down that was up before. */
  interfaces: boolean;
  /** No BGP neighbour may be down that was established before. */
  bgp: boolean;
  /** Wait after applying before the checks (protocols converge). */
  settleMs: number;
}

/** Push configuration lines: per device, deduplicated (`lineSets` once, `lineSetOf[device]` an index). */
export interface ConfigJob {
  kind: 'config';
  /** Short name of the change, e.g. the template file name. */
  label: string;
  lineSets: string[][];
  lineSetOf: Record<string, number>;
  verify?: ConfigVerify;
  /** Copy running to startup after a verified change. */
  saveAfter: boolean;
}

export interface RolloutSettings extends RolloutPolicy {
  failureBudget: FailureBudget;
  /** After the canaries, wait for `approve` before the rest (default: yes when there are canaries). */
  requireApproval: boolean;
  /** Run the pre-checks only and report what would fail; change nothing. */
  dryRun: boolean;
  timings: DeviceTimings;
  /** Continue-as-new after this many history events (Temporal's own suggestion also counts). */
  historyEventLimit?: number;
  /**
   * How long a device held by another operation (its `device/<name>` id is
   * taken) is waited for before it is reported `busy`; default
   * DEFAULT_BUSY_WAIT_MS. Optional: inputs from before it existed must replay.
   */
  busyWaitMs?: number;
}

export const DEFAULT_BUSY_WAIT_MS = 30 * 60_000;

/**
 * What a rollout does to each target. Each kind has its per-target child
 * workflow (see rollout-jobs.ts); the engine (window, pairs, canary, budget,
 * controls) is the same for all of them.
 */
export type RolloutJob = UpgradeJob | FirmwareJob | ConfigJob;

export interface RolloutInput {
  /** Human-chosen name; the workflow id is `rollout/<name>`. */
  name: string;
  job: RolloutJob;
  devices: RolloutTarget[];
  sites: Record<string, Site>;
  settings: RolloutSettings;
  /** Set only by continue-as-new: the state so far. */
  carried?: CarriedState;
}

export type DeviceOutcome =
  | 'upgraded'
  | 'changed'
  | 'unchanged'
  | 'already-current'
  | 'rolled-back'
  | 'failed'
  | 'skipped'
  | 'busy'
  | 'aborted'
  | 'ready'
  | 'would-fail';

/** What every per-target child workflow returns (or carries in its failure's details). */
export interface DeviceJobResult {
  device: string;
  outcome: DeviceOutcome;
  versionBefore?: string;
  versionAfter?: string;
  notes: string[];
  error?: DeviceError;
}

export interface DeviceError {
  type: string;
  message: string;
  hint?: string;
}

/** One device's line in the report. */
export interface DeviceReport {
  name: string;
  outcome: DeviceOutcome;
  versionBefore?: string;
  versionAfter?: string;
  startedAtMs?: number;
  durationMs?: number;
  attempts: number;
  canary: boolean;
  error?: DeviceError;
  /** Notes a person should read (skipped why, drained which peer, ...). */
  notes?: string[];
}

/** `blocked`: nothing can start until the operator retries or skips a device (e.g. a failed member holds its peer). */
export type RolloutStatus = 'planning' | 'running' | 'awaiting-approval' | 'paused' | 'blocked' | 'stopping' | 'completed' | 'failed' | 'aborted';

export interface RolloutReport {
  name: string;
  status: RolloutStatus;
  targetVersion: string;
  dryRun: boolean;
  startedAtMs: number;
  endedAtMs: number;
  counts: Record<DeviceOutcome, number>;
  devices: DeviceReport[];
  /** Why the rollout stopped early, when it did. */
  stopReason?: string;
  approval?: ApprovalRecord;
}

export type DeviceState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** A device whose `device/<name>` id another operation holds: the rollout tries again until `untilMs`. */
export interface BusyWait {
  /** What holds it: `rollout/<name>` when the holder belongs to a rollout, else its workflow id. */
  holder: string;
  sinceMs: number;
  untilMs: number;
  /** The next start attempt. */
  retryAtMs: number;
  tries: number;
}

/** How the canary gate was opened, kept in the progress and the report. */
export interface ApprovalRecord {
  by: 'operator' | 'automatic';
  atMs: number;
  /** The operator approved although these canaries did not succeed (`approve --despite-failed-canary`). */
  despiteFailedCanary: boolean;
  failedCanaries: string[];
  reason?: string;
}

export interface DeviceProgress {
  name: string;
  state: DeviceState;
  site: string;
  redundancyGroup?: string;
  canary: boolean;
  outcome?: DeviceOutcome;
  /** Why a pending device is not running yet (paused, redundancy, maintenance-window, `busy in rollout/x`, ...). */
  waitingFor?: string;
  /** For `waitingFor: redundancy`: the peers that hold it back (running, failed or busy). */
  heldBy?: string[];
  /** Set while the device waits for another operation to release it. */
  busy?: BusyWait;
  error?: DeviceError;
  versionBefore?: string;
  versionAfter?: string;
  attempts: number;
}

export interface RolloutProgress {
  name: string;
  status: RolloutStatus;
  targetVersion: string;
  dryRun: boolean;
  total: number;
  pending: number;
  running: number;
  done: number;
  failed: number;
  skipped: number;
  failureBudget: number;
  /** Failures that spend the budget (`failed` less the busy devices); absent from workers before it existed. */
  failuresCounted?: number;
  canary: string[];
  approved: boolean;
  approval?: ApprovalRecord;
  paused: boolean;
  stopReason?: string;
  /** Run of this rollout: grows by one at each continue-as-new. */
  generation: number;
  devices: DeviceProgress[];
}

/** State carried across continue-as-new, so the next run resumes exactly. */
export interface CarriedState {
  generation: number;
  startedAtMs: number;
  /**
   * The plan is rebuilt from the input, these roles and this instant (it is
   * deterministic), rather than carried: at thousands of devices carrying it
   * would double the payload.
   */
  plannedAtMs: number;
  roles: Record<string, 'active' | 'standby' | 'unknown'>;
  devices: Record<string, DeviceProgress>;
  reports: Record<string, DeviceReport>;
  approved: boolean;
  approval?: ApprovalRecord;
  paused: boolean;
  stopReason?: string;
}

export interface ControlAnswer {
  ok: true;
  message: string;
}

export const progressQuery = defineQuery<RolloutProgress>('progress');
export interface ReasonArgs {
  reason?: string;
}
export interface ApproveArgs extends ReasonArgs {
  /** Open the gate although a canary did not succeed; recorded in the rollout. */
  despiteFailedCanary?: boolean;
}
export interface DeviceArgs {
  device: string;
  reason?: string;
}

export const pauseUpdate = defineUpdate<ControlAnswer, [ReasonArgs]>('pause');
export const resumeUpdate = defineUpdate<ControlAnswer, [ReasonArgs]>('resume');
export const approveUpdate = defineUpdate<ControlAnswer, [ApproveArgs]>('approve');
export const abortUpdate = defineUpdate<ControlAnswer, [ReasonArgs]>('abort');
export const retryDeviceUpdate = defineUpdate<ControlAnswer, [DeviceArgs]>('retryDevice');
export const skipDeviceUpdate = defineUpdate<ControlAnswer, [DeviceArgs]>('skipDevice');

export function rolloutWorkflowId(name: string): string {
  return `rollout/${name}`;
}

export function deviceWorkflowId(device: string): string {
  return `device/${device}`;
}
