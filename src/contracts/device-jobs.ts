import type { ConfigVerify, DeviceJobResult, ImageSpec, IsolationPolicy } from './rollout';
import type { DeviceTimings } from './device-timings';
import type { DeviceTarget } from './targets';

/** Inputs of the per-device child workflows a rollout starts (`device/<name>`). */

export interface DeviceUpgradeInput {
  rollout: string;
  device: DeviceTarget;
  /** The other members of its redundancy group: a drain is confirmed on them. */
  peers: DeviceTarget[];
  image: ImageSpec;
  timings: DeviceTimings;
  dryRun: boolean;
  rollbackOnFailedPostCheck: boolean;
  /** Absent: `drain` (inputs from before the policy existed). */
  isolation?: IsolationPolicy;
}

export type DeviceUpgradeResult = DeviceJobResult;

export interface DeviceConfigInput {
  rollout: string;
  device: DeviceTarget;
  label: string;
  lines: string[];
  verify: ConfigVerify;
  saveAfter: boolean;
  dryRun: boolean;
  timings: DeviceTimings;
  /** Name of the restore point: a flash file (IOS-XE), a checkpoint (NX-OS), the worker's copy of the running config (FRR). */
  backupName: string;
}
