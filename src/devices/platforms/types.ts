import type { Platform } from '../../contracts/inventory';

/** Typed results of the show commands every platform can answer. */

/** What collection reads a show command's output as (its parser and the record fields it fills). */
export type CollectedShow = 'version' | 'redundancy' | 'bgp' | 'interfaces';

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

/** The two vPC roles; `none` until the peers have agreed (`none established`). */
export type VpcRoleName = 'primary' | 'secondary' | 'none';

/** A state that is either what the peers need or not; anything else is refused by the parser. */
export type Consistency = 'success' | 'failed';

export interface VpcPeerLink {
  id: number;
  port: string;
  up: boolean;
  /** As the device prints it, wrapped lines joined (`1,100-102,200-202`), `-` for none. */
  activeVlans: string;
}

export interface VpcMember {
  id: number;
  port: string;
  up: boolean;
  consistency: Consistency;
  /** The device's reason, wrapped lines joined with a space. */
  reason: string;
  activeVlans: string;
}

/** NX-OS `show vpc`: one switch's view of its vPC domain. */
export interface VpcState {
  /** Undefined when the device says `Not configured`. */
  domainId?: number;
  /** Configured role and, when the peers swapped (`primary, operational secondary`), the one in effect. */
  role: VpcRoleName;
  operationalRole: VpcRoleName;
  /** The device's phrase verbatim (`peer adjacency formed ok`, `peer link is down`). */
  peerStatus: string;
  peerAdjacent: boolean;
  keepaliveStatus: string;
  keepaliveAlive: boolean;
  consistency: Consistency;
  consistencyReason?: string;
  perVlanConsistency?: Consistency;
  type2Consistency?: Consistency;
  configuredVpcs: number;
  peerLinks: VpcPeerLink[];
  vpcs: VpcMember[];
}

export type PortChannelProtocol = 'LACP' | 'PAgP' | 'none';

/** What a member's flag says about it; `bundled` is the only state that carries traffic. */
export type MemberState = 'bundled' | 'down' | 'individual' | 'hot-standby' | 'suspended' | 'module-removed' | 'delay-lacp' | 'bfd-wait' | 'unsuitable' | 'waiting' | 'default-port' | 'min-links-not-met';

export interface PortChannelMember {
  port: string;
  /** The flag as printed (`P`, `D`, `bndl`, `hot-sby`). */
  flag: string;
  state: MemberState;
}

/** One row of NX-OS `show port-channel summary` or IOS/IOS-XE `show etherchannel summary`. */
export interface PortChannel {
  group: number;
  name: string;
  /** The channel's flags as printed (`SU`, `RD`). */
  flags: string;
  layer?: 'L2' | 'L3';
  /** `U`: up (NX-OS) / in use (IOS). */
  up: boolean;
  protocol: PortChannelProtocol;
  members: PortChannelMember[];
}

/** One member's LACP partner, from `show lacp neighbor`: which device the far end of the link is. */
export interface LacpNeighbor {
  /** `Po1`, whichever way the device names the channel. */
  channel: string;
  port: string;
  /** The partner's system as printed: a MAC on IOS (`001e.49ff.a3e6`), `priority,MAC` on NX-OS (`32768,5e-2-0-1-0-7`). */
  partnerSystem: string;
  partnerPort: string;
  /** The partner's flags as printed (`SA`). */
  flags: string;
  active: boolean;
  fastRate: boolean;
}
