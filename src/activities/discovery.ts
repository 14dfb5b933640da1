import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { showInterfaces, showRedundancy, showVpc } from '../devices/operations';
import type { DeviceTarget } from '../contracts/rollout';
import type { DeviceFacts } from '../inventory/discover';
import { heartbeat, type DeviceRuntime } from './runtime';

/**
 * What each device says about its partners, for `netops inventory discover`
 * and the cross-check before a rollout: its HSRP/VRRP groups with the
 * addresses it names as active and standby, its own interface addresses
 * (how its peers name it), and its vPC domain. Read-only, one session per
 * device, many devices at once under the worker's session limits. A device
 * that cannot be asked, or whose tables cannot be read, is reported with the
 * reason: the grouping treats it as unknown, never as "no partner".
 */
export function discoveryActivities(rt: DeviceRuntime) {
  const redundancyFacts = async (devices: DeviceTarget[]): Promise<DeviceFacts[]> => {
    allowListeners(devices.length);
    let done = 0;
    return Promise.all(
      devices.map(async (device): Promise<DeviceFacts> => {
        try {
          return await rt.session(device, async (s) => {
            const groups = await showRedundancy(s);
            const interfaces = await showInterfaces(s);
            const vpc = await showVpc(s);
            const protocol = device.platform === 'frr' ? ('vrrp' as const) : ('hsrp' as const);
            return {
              name: device.name,
              site: device.site,
              addresses: interfaces.map((i) => i.address.split('/')[0]!).filter((a) => a !== '' && a !== 'unassigned'),
              groups: groups.map((g) => ({
                protocol,
                interface: g.interface,
                group: g.group,
                state: g.state,
                ...(g.virtualIp ? { virtualIp: g.virtualIp } : {}),
                ...(g.active ? { active: g.active } : {}),
                ...(g.standby ? { standby: g.standby } : {}),
              })),
              ...(vpc?.domainId !== undefined ? { vpc: { domainId: vpc.domainId, role: vpc.role, operationalRole: vpc.operationalRole, peerAdjacent: vpc.peerAdjacent } } : {}),
            };
          });
        } catch (err) {
          return { name: device.name, site: device.site, addresses: [], groups: [], error: (err as Error).message.split('\n')[0] ?? 'no answer' };
        } finally {
          heartbeat({ done: ++done, of: devices.length });
        }
      }),
    );
  };
  return { redundancyFacts };
}

function allowListeners(n: number): void {
  try {
    setMaxListeners(n + 10, Context.current().cancellationSignal);
  } catch {
    // not in an activity (benchmarks, scripts)
  }
}

export type DiscoveryActivities = ReturnType<typeof discoveryActivities>;
