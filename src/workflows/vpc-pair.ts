import { patched, type ActivityInterfaceFor } from '@temporalio/workflow';
import type { DeviceActivities } from '../activities';
import type { VpcPreCheckResult } from '../activities/vpc';
import type { DeviceTarget, DeviceTimings } from '../contracts/rollout';

type Activities = ActivityInterfaceFor<DeviceActivities>;

/** Upgrades recorded before the vPC checks existed replay without them. */
export const VPC_PAIR_PATCH = 'vpc-pair-checks';

/**
 * How long a reloaded vPC peer may take to re-form its domain with every vPC
 * up: NX-OS holds vPCs down for its delay-restore timer (30 s by default)
 * after the peer-link comes up, so a few drain timeouts.
 */
export function vpcConvergeTimeout(t: DeviceTimings): number {
  return 5 * t.drainTimeoutMs;
}

/**
 * The vPC pre-check of an NX-OS device: whether it is in a vPC domain, its
 * partner among the inventory peers, and why it may not leave now. Other
 * platforms, and histories from before the check, skip it.
 */
export async function vpcPairPreCheck(device: DeviceTarget, peers: DeviceTarget[], quick: Activities): Promise<VpcPreCheckResult | undefined> {
  if (device.platform !== 'nxos' || !patched(VPC_PAIR_PATCH)) return undefined;
  return quick.vpcPreCheck.executeWithOptions({ summary: `vPC pre-check ${device.name}` }, [{ device, peers }]);
}

/** After the reload: hold the partner back until the pair has re-formed with every vPC that was up, up on both. */
export async function waitVpcPair(device: DeviceTarget, peers: DeviceTarget[], vpc: VpcPreCheckResult | undefined, timings: DeviceTimings, waiting: Activities): Promise<void> {
  const partner = vpc?.member ? peers.find((p) => p.name === vpc.partner) : undefined;
  if (!vpc || !partner) return;
  await waiting.waitVpcConverged.executeWithOptions({ summary: `wait for vPC domain ${vpc.domainId} (${device.name}, ${partner.name})` }, [
    { device, partner, vpcIds: vpc.upVpcs, timeoutMs: vpcConvergeTimeout(timings), pollMs: Math.min(timings.pollInitialMs, 2_000) },
  ]);
}
