import type { Site } from '../contracts/inventory';
import type { RedundancyRole } from '../contracts/rollout-policy';

// The policy a rollout is started with crosses the client/workflow boundary:
// it is defined in contracts/, the plan's own shapes are here.
export type { CanaryPolicy, RedundancyRole, RolloutPolicy } from '../contracts/rollout-policy';

/** What the planner needs to know about one device (a projection of inventory `Device`). */
export interface PlanDevice {
  name: string;
  site: string;
  /** Inventory groups, used for the per-group concurrency limits. */
  groups: string[];
  /** Members sharing this id form one HSRP/VRRP redundancy group. */
  redundancyGroup?: string;
  role?: RedundancyRole;
  /** Overrides `RolloutPolicy.expectedDeviceDurationMs` for this device. */
  expectedDurationMs?: number;
}

/** The policy with every default filled in, as stored in the plan. */
export interface ResolvedPolicy {
  window: number;
  perSite?: number;
  perGroup?: Record<string, number> | number;
  maxUnavailablePerRedundancyGroup: number;
  siteConcurrency: number;
  expectedDeviceDurationMs: number;
  respectWindows: boolean;
  horizonMs: number;
}

export interface PlannedDevice {
  name: string;
  site: string;
  groups: string[];
  redundancyGroup?: string;
  role: RedundancyRole;
  durationMs: number;
  canary: boolean;
}

export interface RedundancyGroupInfo {
  name: string;
  /** Members in plan order. */
  members: string[];
  /** How many members may be out of service at once (1 for a group with one selected member). */
  maxUnavailable: number;
}

/** A site's maintenance windows as seen from the planning instant. */
export interface SiteWindowInfo {
  site: Site;
  /** No windows (or windows not respected): work may start at any time. */
  alwaysOpen: boolean;
  openAtPlanTime: boolean;
  /** When the window open at plan time closes. */
  currentWindowCloseMs?: number;
  /** The next window opening at or after plan time (plan time itself when open). */
  nextOpeningMs?: number;
}

export interface ScheduledDevice {
  name: string;
  startMs: number;
  endMs: number;
  /** Index into `schedule.waves`. */
  wave: number;
}

/** Devices started at the same simulated instant. */
export interface Wave {
  index: number;
  startMs: number;
  devices: string[];
}

export type UnschedulableReason = 'no-window-long-enough' | 'beyond-horizon' | 'blocked';

export interface UnschedulableDevice {
  name: string;
  reason: UnschedulableReason;
  message: string;
}

export interface SimulatedSchedule {
  startMs: number;
  /** In start order. */
  devices: ScheduledDevice[];
  waves: Wave[];
  /** From plan time to the end of the last scheduled device. */
  makespanMs: number;
  unschedulable: UnschedulableDevice[];
}

/** Plain JSON data: safe in a workflow input, a query result or continue-as-new. */
export interface Plan {
  version: 1;
  plannedAtMs: number;
  policy: ResolvedPolicy;
  devices: Record<string, PlannedDevice>;
  /** Every device, in the order they are offered to the scheduler. */
  order: string[];
  canary: string[];
  siteOrder: string[];
  redundancyGroups: RedundancyGroupInfo[];
  sites: Record<string, SiteWindowInfo>;
  schedule: SimulatedSchedule;
  warnings: string[];
}

/** What the rollout workflow knows at any moment; every device is in at most one list. */
export interface RolloutState {
  running: string[];
  done: string[];
  failed: string[];
  skipped: string[];
  /**
   * Waiting for another operation to release them: not offered, not in
   * flight, but down for their redundancy group (the other operation may have
   * taken them out of service).
   */
  busy?: string[];
  approvedCanary: boolean;
  paused: boolean;
}

export type BlockReason =
  | 'paused'
  | 'canary-gate'
  | 'window-full'
  | 'site-limit'
  | 'group-limit'
  | 'redundancy'
  | 'site-order'
  | 'maintenance-window';
