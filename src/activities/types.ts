import type { DeviceAccess } from '../contracts/targets';
import type { BgpNeighbor, RedundancyEntry } from '../devices/platforms/types';

/**
 * Inputs and outputs of the device activities. Inputs carry the device and a
 * credential reference only (never a secret); outputs stay a few KB.
 */
export type { DeviceAccess };

export interface RunCommandsInput {
  device: DeviceAccess;
  commands: string[];
  timeoutMs?: number;
}
export interface RunCommandsResult {
  outputs: { command: string; output: string; truncated: boolean }[];
}

export interface Snapshot {
  device: string;
  takenAt: string;
  version: string;
  image?: string;
  uptimeSeconds?: number;
  /** Epoch ms the device booted, derived from its uptime (±1 min). */
  bootedAt?: number;
  redundancy: RedundancyEntry[];
  fileSystem: { name: string; freeBytes?: number; totalBytes?: number };
  bgp: Pick<BgpNeighbor, 'neighbor' | 'as' | 'state' | 'established' | 'prefixesReceived'>[];
  interfaces: { name: string; up: boolean }[];
}

/** An image as the worker can read it. */
export interface ImageRef {
  /** File name on the device, e.g. `cat9k_iosxe.17.12.04.SPA.bin`. */
  file: string;
  /** Where the worker reads it (local path or a name the image store resolves). */
  source: string;
  size: number;
  md5: string;
}

export interface StageImageInput {
  device: DeviceAccess;
  image: ImageRef;
  protocol?: 'scp' | 'sftp';
}
export interface StageImageResult {
  status: 'already-staged' | 'staged';
  bytesSent: number;
  md5: string;
}

export interface VerifyImageInput {
  device: DeviceAccess;
  file: string;
  md5: string;
}

export interface PriorityEntry {
  interface: string;
  group: number;
  priority: number;
}

export interface DrainInput {
  device: DeviceAccess;
  /** The other member(s) of the redundancy group, to confirm one became active. */
  peers?: DeviceAccess[];
  /** Priority to set on this member (default 50, below the usual 100). */
  lowPriority?: number;
  /** How long to wait for the peer to take over (default 60 s). */
  confirmTimeoutMs?: number;
  pollMs?: number;
}
export interface DrainResult {
  /** Priorities before the drain, to hand to restorePriority. */
  original: PriorityEntry[];
  alreadyDrained: boolean;
  activePeer?: string;
}

export interface RestorePriorityInput {
  device: DeviceAccess;
  priorities: PriorityEntry[];
}

export interface SetBootInput {
  device: DeviceAccess;
  file: string;
}

export interface ReloadInput {
  device: DeviceAccess;
  targetVersion: string;
  /** When the device booted before this change (Snapshot.bootedAt); a later boot means it already reloaded. */
  bootedAtBefore?: number;
  saveConfig?: boolean;
}
export interface ReloadResult {
  status: 'reloaded' | 'already-on-target' | 'already-reloaded' | 'reload-in-progress';
}

export interface WaitForReturnInput {
  device: DeviceAccess;
  expectVersion?: string;
  timeoutMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}
export interface WaitForReturnResult {
  version: string;
  uptimeSeconds?: number;
  attempts: number;
  waitedMs: number;
}

export interface BackupConfigInput {
  device: DeviceAccess;
  name: string;
}
export interface ApplyConfigInput {
  device: DeviceAccess;
  lines: string[];
}
export interface ApplyConfigResult {
  linesApplied: number;
}
