import type { FirmwareJob } from './dashboard';
import type { DeviceTimings } from './device-timings';
import { queryDefinition, updateDefinition } from './handler-definitions';
import type { Site } from './inventory';
import type { RedundancyRole, RolloutPolicy } from './rollout-policy';
import type { RolloutTarget } from './targets';

// Targets and timings have their own modules (the dashboard contract needs
// them too); they are re-exported here for the rollout's clients.
export { isDeviceTarget, type DeviceTarget, type NetworkTarget, type RolloutTarget } from './targets';
export { DEFAULT_DEVICE_TIMINGS, stepTimeout, type DeviceTimings } from './device-timings';

/**
 * The rollout's contract with its clients (CLI, NetopsClient, other services):
 * input, report, progress, and the updates that steer it. Everything here is
 * plain JSON with references instead of secrets.
 */

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
  /** How a device leaves the forwarding path before its reload; absent: `drain`. */
  isolation?: IsolationPolicy;
}

/**
 * `isolate`: the platform's maintenance mode (NX-OS/IOS-XE GIR), confirmed on
 * the partner, undone after; `drain`: lower the HSRP/VRRP priority of an
 * active member (the behaviour before the policy existed); `none`: reload as is.
 */
export const ISOLATION_POLICIES = ['isolate', 'drain', 'none'] as const;
export type IsolationPolicy = (typeof ISOLATION_POLICIES)[number];

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
 * What a rollout does to each target. Each kind is declared once, in the table
 * of job kinds (contracts/job-kinds.ts, and its child workflow in
 * workflows/jobs.ts); the engine (window, pairs, canary, budget,
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
  error?: ReportedError;
}

/**
 * A device's error as plain data in progress and reports (the thrown classes
 * are devices/errors.ts's DeviceError and its kin; this is what they become).
 */
export interface ReportedError {
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
  error?: ReportedError;
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
  error?: ReportedError;
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
  roles: Record<string, RedundancyRole>;
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

export const progressQuery = queryDefinition<RolloutProgress>('progress');
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

export const pauseUpdate = updateDefinition<ControlAnswer, [ReasonArgs]>('pause');
export const resumeUpdate = updateDefinition<ControlAnswer, [ReasonArgs]>('resume');
export const approveUpdate = updateDefinition<ControlAnswer, [ApproveArgs]>('approve');
export const abortUpdate = updateDefinition<ControlAnswer, [ReasonArgs]>('abort');
export const retryDeviceUpdate = updateDefinition<ControlAnswer, [DeviceArgs]>('retryDevice');
export const skipDeviceUpdate = updateDefinition<ControlAnswer, [DeviceArgs]>('skipDevice');

export function rolloutWorkflowId(name: string): string {
  return `rollout/${name}`;
}

export function deviceWorkflowId(device: string): string {
  return `device/${device}`;
}
