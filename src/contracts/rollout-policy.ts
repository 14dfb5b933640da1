/** HSRP/VRRP role of a device at plan time; 'unknown' when nobody asked the device yet. */
export type RedundancyRole = 'active' | 'standby' | 'unknown';

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
