import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { showRedundancy, showVpc } from '../devices/operations';
import { isActiveState } from '../devices/platforms/parsers/redundancy';
import type { RedundancyEntry, VpcState } from '../devices/platforms/types';
import { describeFailure } from './failures';
import { heartbeat, type DeviceRuntime } from './runtime';
import type { DeviceAccess } from './types';
import { describeVpcRole, vpcGoesFirst } from './vpc-readiness';

import type { RoleAnswer } from '../contracts/probes';
import type { RedundancyRole } from '../contracts/rollout-policy';

export type { RoleAnswer } from '../contracts/probes';

/**
 * A vPC member's place in the order decides over its HSRP/VRRP state: with
 * vPC both gateways forward, while reloading the wrong switch first leaves
 * the pair in roles it is not configured for. In the planner's terms the
 * switch that goes first is `standby`.
 */
export function roleFor(entries: RedundancyEntry[], vpc: VpcState | undefined): RoleAnswer {
  if (vpc?.domainId === undefined) return roleFromEntries(entries);
  const first = vpcGoesFirst(vpc);
  return { role: first ? 'standby' : 'active', basis: `${describeVpcRole(vpc)}: ${first ? 'goes first' : 'goes after its vPC peer'} (Cisco's vPC upgrade order)` };
}

/** Active when any group is active/master; standby when any is standby/backup/listen; else unknown, with the states seen. */
export function roleFromEntries(entries: RedundancyEntry[]): RoleAnswer {
  if (entries.some((e) => isActiveState(e.state))) return { role: 'active' };
  if (entries.some((e) => e.state === 'Standby' || e.state === 'Backup' || e.state === 'Listen')) return { role: 'standby' };
  if (entries.length === 0) return { role: 'unknown', why: 'no HSRP/VRRP group is configured on the device' };
  return { role: 'unknown', why: `its groups are in ${entries.map((e) => `${e.interface} group ${e.group} ${e.state}`).join(', ')}` };
}

/**
 * Activities of a rollout as a whole, not of one device. One activity asks
 * many devices at once (under the worker's session limits) so a rollout of
 * thousands of devices does not cost thousands of history events to plan.
 */
export function rolloutActivities(rt: DeviceRuntime) {
  /** The HSRP/VRRP role of each device; a device that cannot be asked is `unknown` (the planner copes). */
  const redundancyRoles = async (devices: DeviceAccess[]): Promise<Record<string, RedundancyRole>> => {
    const answers = await redundancyRoleReport(devices);
    return Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, a.role]));
  };
  /** The role of each device, and for every unknown one the reason (what `rollout plan` prints). */
  const redundancyRoleReport = async (devices: DeviceAccess[]): Promise<Record<string, RoleAnswer>> => {
    // Every concurrent session listens for this activity's cancellation.
    allowListeners(devices.length);
    const roles: Record<string, RoleAnswer> = {};
    let done = 0;
    await Promise.all(
      devices.map(async (device) => {
        try {
          roles[device.name] = await rt.session(device, async (s) => roleFor(await showRedundancy(s), await showVpc(s)));
        } catch (err) {
          // The failure policy's message: secret-free, whatever was thrown.
          roles[device.name] = { role: 'unknown', why: `could not ask it: ${describeFailure(err).message.split('\n')[0]}` };
        }
        heartbeat({ done: ++done, of: devices.length });
      }),
    );
    return roles;
  };
  return { redundancyRoles, redundancyRoleReport };
}

function allowListeners(n: number): void {
  try {
    setMaxListeners(n + 10, Context.current().cancellationSignal);
  } catch {
    // not in an activity (benchmarks, scripts)
  }
}

export type RolloutActivities = ReturnType<typeof rolloutActivities>;
