import { CancellationScope, patched, proxyActivities } from '@temporalio/workflow';
import type { DeviceActivities } from '../activities';
import type { VpcPreCheckResult } from '../activities/vpc';
import type { DeviceTarget, DeviceTimings, IsolationPolicy } from '../contracts/rollout';
import { DEVICE_RETRY } from './device-failure';

/**
 * A mode change applies a whole maintenance profile (NX-OS warns it can take
 * five minutes): a long start-to-close, while the activity heartbeats every
 * second, so a lost worker is noticed after the heartbeat timeout. Both
 * steps are idempotent.
 */
function gir(t: DeviceTimings) {
  return proxyActivities<DeviceActivities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: t.heartbeatTimeoutMs, retry: { ...DEVICE_RETRY, maximumAttempts: 3 } });
}

/** Upgrades started before the isolation policy existed only ever drained: they replay that way. */
export const ISOLATION_PATCH = 'isolation-policy';

/** Platforms with a maintenance mode of their own (GIR); others fall back to the drain. */
const HAS_MAINTENANCE_MODE: ReadonlySet<string> = new Set(['nxos', 'iosxe']);

/**
 * What this device gets before its reload: `drain` when the input says
 * nothing (the behaviour before the policy), `isolate` only where the
 * platform has a maintenance mode (otherwise the drain, and a note says so).
 */
export function effectiveIsolation(policy: IsolationPolicy | undefined, device: DeviceTarget): { policy: IsolationPolicy; note?: string } {
  if (policy === undefined || policy === 'drain') return { policy: 'drain' };
  if (!patched(ISOLATION_PATCH)) return { policy: 'drain' };
  if (policy === 'isolate' && !HAS_MAINTENANCE_MODE.has(device.platform)) return { policy: 'drain', note: `${device.platform} has no maintenance mode: drained instead of isolated` };
  return { policy };
}

/** Maintenance mode, confirmed on the partner (HSRP/VRRP active, vPC operational primary with every vPC up). */
export async function isolateDevice(device: DeviceTarget, peers: DeviceTarget[], vpc: VpcPreCheckResult | undefined, timings: DeviceTimings): Promise<string[]> {
  const vpcPartner = vpc?.partner ? peers.find((p) => p.name === vpc.partner) : undefined;
  const r = await gir(timings).isolate.executeWithOptions({ summary: `isolate ${device.name} (maintenance mode)` }, [
    { device, peers, ...(vpcPartner ? { vpcPartner } : {}), confirmTimeoutMs: timings.drainTimeoutMs, pollMs: Math.min(timings.pollInitialMs, 1000) },
  ]);
  return [`isolated (maintenance mode)${r.confirmed.length ? `: ${r.confirmed.join(', ')}` : ''}`];
}

/** Back to normal mode after the reload (idempotent). */
export async function leaveIsolation(device: DeviceTarget, timings: DeviceTimings): Promise<void> {
  await gir(timings).restoreIsolation.executeWithOptions({ summary: `normal mode ${device.name}` }, [{ device }]);
}

/** Back to normal mode; neither failure nor abort may skip it (run from a `finally`). */
export async function restoreFromIsolation(device: DeviceTarget, timings: DeviceTimings, notes: string[]): Promise<void> {
  await CancellationScope.nonCancellable(async () => {
    try {
      await leaveIsolation(device, timings);
    } catch (err) {
      notes.push(`could not bring ${device.name} back to normal mode: ${(err as Error).message}`);
    }
  });
}
