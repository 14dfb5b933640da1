import type { Platform } from '../../inventory/types';

/** Typed results of the show commands every platform can answer. */

export interface VersionInfo {
  version: string;
  /** Boot image as the device reports it (e.g. `bootflash:cat9k.17.09.04a.SPA.bin`). */
  image?: string;
  hostname?: string;
  /** The uptime phrase as printed, e.g. `1 week, 2 days, 3 hours, 4 minutes`. */
  uptime?: string;
  uptimeSeconds?: number;
}

export type RedundancyState = 'Active' | 'Standby' | 'Listen' | 'Speak' | 'Learn' | 'Init' | 'Master' | 'Backup' | 'Unknown';

export interface RedundancyEntry {
  interface: string;
  group: number;
  priority: number;
  preempt: boolean;
  state: RedundancyState;
  /** `local` when this device is the active/master, else the active's address. */
  active?: string;
  standby?: string;
  virtualIp?: string;
}

export interface FileEntry {
  name: string;
  size: number;
  directory: boolean;
}

export interface FileSystemInfo {
  fileSystem: string;
  files: FileEntry[];
  totalBytes?: number;
  freeBytes?: number;
}

export interface HashResult {
  file?: string;
  /** Lower-case hex digest, or undefined when the device could not compute it. */
  md5?: string;
  /** The device's own error line (missing file, etc.). */
  error?: string;
}

export interface InterfaceBrief {
  interface: string;
  /** `unassigned` or an address (FRR: with prefix length). */
  address: string;
  status: string;
  protocol: string;
  up: boolean;
}

export interface BgpNeighbor {
  neighbor: string;
  as: string;
  upDown: string;
  /** The State/PfxRcd column verbatim (`Idle (Admin)`, `Active`, `12`). */
  state: string;
  established: boolean;
  prefixesReceived?: number;
}

export type { Platform };
