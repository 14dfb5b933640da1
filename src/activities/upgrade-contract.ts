import type { DeviceTarget, ImageSpec } from '../workflows/rollout-api';

/**
 * What the device procedures need from activities: types only, so workflows
 * can `import type` them. Every activity is idempotent (run twice, the work
 * happens once) and takes references, never secrets.
 */

export interface RedundancyGroupState {
  interface: string;
  group: number;
  priority: number;
  preempt: boolean;
  state: string;
}

/** What a device looked like at one moment; compared before and after a change. */
export interface DeviceSnapshot {
  device: string;
  reachable: boolean;
  version?: string;
  image?: string;
  uptimeSeconds?: number;
  freeBytes?: number;
  redundancy: RedundancyGroupState[];
  /** True when this device is the active/master of any of its groups. */
  isActive: boolean;
  /** True when each of its groups has an active member (itself or a peer). */
  redundancyHealthy: boolean;
  bgpEstablished: string[];
  interfacesUp: string[];
  takenAtMs: number;
}

export interface StageResult {
  /** The file was already there with the right hash. */
  skipped: boolean;
  bytesSent: number;
}

export interface DrainResult {
  /** False when the device was not active anywhere: nothing was changed. */
  drained: boolean;
  /** Priorities before the drain, to be put back by `restorePriority`. */
  saved: Array<{ interface: string; group: number; priority: number; preempt: boolean }>;
}

export interface ReloadResult {
  reloaded: boolean;
  /** Why nothing was done, when nothing was. */
  reason?: string;
}

export interface UpgradeActivities {
  snapshot(device: DeviceTarget): Promise<DeviceSnapshot>;
  stageImage(device: DeviceTarget, image: ImageSpec): Promise<StageResult>;
  verifyImage(device: DeviceTarget, image: ImageSpec): Promise<void>;
  drain(device: DeviceTarget, opts: { timeoutMs: number }): Promise<DrainResult>;
  restorePriority(device: DeviceTarget, saved: DrainResult['saved']): Promise<void>;
  setBootAndSave(device: DeviceTarget, bootFile: string): Promise<void>;
  reload(device: DeviceTarget, opts: { targetVersion: string; notIfUptimeBelowSeconds?: number }): Promise<ReloadResult>;
  waitForReturn(device: DeviceTarget, opts: { timeoutMs: number; pollInitialMs: number; pollMaxMs: number }): Promise<DeviceSnapshot>;
}

export type RedundancyRole = 'active' | 'standby' | 'unknown';

/** Activities of the rollout itself (not of one device). */
export interface RolloutActivities {
  /** Current HSRP/VRRP role of each device that has a redundancy group; a device that cannot be asked is `unknown`. */
  redundancyRoles(devices: DeviceTarget[]): Promise<Record<string, RedundancyRole>>;
}
