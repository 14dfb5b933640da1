import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { showRedundancy } from '../devices/operations';
import { heartbeat, type DeviceRuntime } from './runtime';
import type { DeviceRef } from './types';

export type RedundancyRole = 'active' | 'standby' | 'unknown';

/**
 * Activities of a rollout as a whole, not of one device. One activity asks
 * many devices at once (under the worker's session limits) so a rollout of
 * thousands of devices does not cost thousands of history events to plan.
 */
export function rolloutActivities(rt: DeviceRuntime) {
  /** The HSRP/VRRP role of each device; a device that cannot be asked is `unknown` (the planner copes). */
  const redundancyRoles = async (devices: DeviceRef[]): Promise<Record<string, RedundancyRole>> => {
    // Every concurrent session listens for this activity's cancellation.
    allowListeners(devices.length);
    const roles: Record<string, RedundancyRole> = {};
    let done = 0;
    await Promise.all(
      devices.map(async (device) => {
        try {
          const entries = await rt.session(device, (s) => showRedundancy(s));
          roles[device.name] = entries.some((e) => e.state === 'Active' || e.state === 'Master')
            ? 'active'
            : entries.some((e) => e.state === 'Standby' || e.state === 'Backup' || e.state === 'Listen')
              ? 'standby'
              : 'unknown';
        } catch {
          roles[device.name] = 'unknown';
        }
        heartbeat({ done: ++done, of: devices.length });
      }),
    );
    return roles;
  };
  return { redundancyRoles };
}

function allowListeners(n: number): void {
  try {
    setMaxListeners(n + 10, Context.current().cancellationSignal);
  } catch {
    // not in an activity (benchmarks, scripts)
  }
}

export type RolloutActivities = ReturnType<typeof rolloutActivities>;
