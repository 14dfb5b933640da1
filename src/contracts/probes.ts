import type { RedundancyRole } from './rollout-policy';
import type { DeviceTarget } from './targets';

/** Inputs and answers of the small read-only workflows: reachability and the `rollout plan` roles probe. */

export interface ProbeTarget {
  name: string;
  host: string;
  port: number;
}

export interface ProbeResult {
  name: string;
  ok: boolean;
  /** The first line the device sent (an SSH server sends its version banner). */
  banner?: string;
  error?: string;
}

export interface ProbeInput {
  targets: ProbeTarget[];
  timeoutMs?: number;
}

export interface ProbeReport {
  reachable: string[];
  unreachable: Array<{ name: string; error: string }>;
}

export interface RolesProbeInput {
  devices: DeviceTarget[];
}

/** A device's role as `rollout plan` shows it: unknown always says why. */
export interface RoleAnswer {
  role: RedundancyRole;
  /** Why the role is unknown (unreachable, no group configured, a state that is neither). */
  why?: string;
  /** What a known role rests on when it is not the HSRP/VRRP state (a vPC member's place in the order). */
  basis?: string;
}

/** The workflow id of one `rollout plan` probe. */
export function rolesProbeWorkflowId(suffix: string): string {
  return `roles-probe/${suffix}`;
}

export interface RedundancyDiscoveryInput {
  devices: DeviceTarget[];
}

/** The workflow id of one discovery or cross-check (`netops inventory discover`, the pre-rollout cross-check). */
export function redundancyDiscoveryWorkflowId(suffix: string): string {
  return `discover/${suffix}`;
}
