import type { Site } from '../inventory/types';

/** HSRP/VRRP role of a device at plan time; 'unknown' when nobody asked the device yet. */
export type RedundancyRole = 'active' | 'standby' | 'unknown';

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

export interface CanaryPolicy {
  /** Pick this many canaries automatically (standby / non-redundant first). */
  count?: number;
  /** Named canaries; when `count` is also given it must equal the number of names. */
  devices?: string[];
}

export interface RolloutPolicy {
  canary?: CanaryPolicy;
  /** Max devices in flight overall. */
  window: number;
  /** Max devices in flight per site. */
  perSite?: number;
  /** Max devices in flight per inventory group: one limit for every group, or per named group. */
  perGroup?: Record<string, number> | number;
  /** Max members of one redundancy group out of service at once; default 1, must stay below the group size. */
  maxUnavailablePerRedundancyGroup?: number;
  /** Sites in the order they are worked on; unnamed sites follow in order of first appearance. */
  siteOrder?: string[];
  /** How many sites may be in progress at once; default 1 (strictly one site after the other). */
  siteConcurrency?: number;
  expectedDeviceDurationMs: number;
  /** Only start a device when it can finish inside its site's current maintenance window. */
  respectWindows: boolean;
  /** How far ahead the simulated schedule looks for a window; default 14 days. */
  horizonMs?: number;
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
