/**
 * Types of the device lab. The lab is "the world outside" the project, so it
 * keeps its own copies of the few shapes it shares (platform names) instead
 * of importing project code.
 */

export const LAB_PLATFORMS = ['iosxe', 'nxos', 'frr'] as const;
export type LabPlatform = (typeof LAB_PLATFORMS)[number];

/** Durations the simulation uses; all in milliseconds. */
export interface LabTimings {
  /** How long a reloading device refuses connections before it is back. */
  bootMs: number;
  /** How long a standby waits without hellos from the active before it takes over. */
  holdMs: number;
  /** Delay of a preemption when `preempt` has no explicit `delay minimum`. */
  preemptDelayMs: number;
  /** Extra latency added to every command's reply. */
  commandLatencyMs: number;
  /** Configured seconds (e.g. `preempt delay minimum 30`) are multiplied by this to get ms. */
  secondMs: number;
  /** Delay of the `slow-banner` fault. */
  slowBannerMs: number;
  /** Delay of the `slow-command` fault. */
  slowCommandMs: number;
  /** Period of the `flapping` fault. */
  flapMs: number;
  /** How long two vPC peers take to form their adjacency once both are up with the peer-link up. */
  vpcFormMs: number;
}

export type FaultKind =
  | 'auth-failure'
  | 'slow-banner'
  | 'slow-command'
  | 'hang-command'
  | 'drop-mid-command'
  | 'drop-mid-transfer'
  | 'corrupt-transfer'
  | 'max-sessions'
  | 'reload-never-returns'
  | 'flapping'
  | 'vpc-peer-link-down'
  | 'vpc-consistency-failure';

/** A fault injected into one device; see README section of the report for semantics. */
export type LabFault =
  | { kind: 'auth-failure' }
  | { kind: 'slow-banner'; delayMs?: number }
  /** Applies to commands matching `match` (substring), or every command. */
  | { kind: 'slow-command'; delayMs?: number; match?: string }
  | { kind: 'hang-command'; match?: string }
  | { kind: 'drop-mid-command'; match?: string }
  /** Drops the connection after `afterBytes` bytes of a transfer (default: half of it). */
  | { kind: 'drop-mid-transfer'; afterBytes?: number }
  /** Flips a byte of every received file, so its MD5 no longer matches. */
  | { kind: 'corrupt-transfer' }
  /** Refuses new connections beyond `limit` concurrent ones (like sshd MaxStartups). */
  | { kind: 'max-sessions'; limit: number }
  | { kind: 'reload-never-returns' }
  /** The redundancy state of this device flaps every `periodMs`. */
  | { kind: 'flapping'; periodMs?: number }
  /** The vPC peer-link of this device's domain is down (cable cut); the keepalive still works. */
  | { kind: 'vpc-peer-link-down' }
  /** A global type-1 mismatch in this device's vPC domain (default: STP Mode, Rapid-PVST against MST). */
  | { kind: 'vpc-consistency-failure'; parameter?: string };

export interface LabCredentials {
  username: string;
  password: string;
  enableSecret: string;
}

export type RedundancyState = 'active' | 'standby' | 'listen' | 'init';

/** One device as the topology describes it. */
export interface LabDeviceSpec {
  name: string;
  platform: LabPlatform;
  site: string;
  redundancyGroup?: string;
  /** HSRP/VRRP priority; the default is 110 for the first member of a group and 100 for the others. */
  priority?: number;
  /** Version of the image it boots initially, e.g. '17.9.4a'. */
  version?: string;
  tags?: string[];
  faults?: LabFault[];
  /** Flash capacity in bytes. */
  flashBytes?: number;
  /** NX-OS: the vPC domain this switch belongs to; the two switches with the same id are peers. */
  vpcDomain?: number;
  /**
   * A downstream (access) switch: the two switches its port channel's members
   * land on, one member each (a vPC pair).
   */
  uplinks?: [string, string];
}

export interface LabTopology {
  sites: string[];
  devices: LabDeviceSpec[];
}
