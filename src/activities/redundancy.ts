import { RedundancyNotConfirmed } from '../devices/errors';
import { setPriority, showRedundancy } from '../devices/operations';
import { isActiveState } from '../devices/platforms/parsers/redundancy';
import type { RedundancyEntry } from '../devices/platforms/types';
import { deviceActivity, heartbeat, previousHeartbeat, sleep, type DeviceRuntime } from './runtime';
import type { DeviceAccess, DrainInput, DrainResult, PriorityEntry, RestorePriorityInput } from './types';

const isActive = (e: RedundancyEntry): boolean => isActiveState(e.state);
/**
 * What names one redundancy group across its members: the group number and
 * the virtual IP they share. Interface names are each device's own (one
 * member's `eth1` is the other's `ens5`), so they identify nothing here.
 */
const groupKey = (e: Pick<RedundancyEntry, 'group' | 'virtualIp'>): string => `group ${e.group} (${e.virtualIp ?? 'no virtual IP'})`;

export function redundancyActivities(rt: DeviceRuntime) {
  const groupsOf = (device: DeviceAccess) => rt.session(device, (s) => showRedundancy(s));

  /**
   * Moves the active role to the peer: lowers this member's priority in every
   * group, then polls until this member is no longer active and (when peers
   * are given) a peer is active for each group. The original priorities are
   * recorded in the first heartbeat, so a retry after a crash still returns
   * the true originals rather than the lowered values.
   */
  const drain = deviceActivity(async (input: DrainInput): Promise<DrainResult> => {
    const low = input.lowPriority ?? 50;
    const pollMs = input.pollMs ?? 1_000;
    const recorded = previousHeartbeat<{ original: PriorityEntry[] }>()?.original;
    // One session reads and lowers; polls use fresh ones, never nested, so
    // drains can never deadlock each other on the worker's session limit.
    const first = await rt.session(input.device, async (s) => {
      const entries = await showRedundancy(s);
      const original: PriorityEntry[] = recorded ?? entries.map((e) => ({ interface: e.interface, group: e.group, priority: e.priority }));
      heartbeat({ original });
      const alreadyDrained = entries.every((e) => e.priority === low && !isActive(e));
      const toLower = entries.filter((e) => e.priority !== low);
      if (toLower.length > 0) await setPriority(s, toLower, low);
      return { entries, original, alreadyDrained };
    });
    const { original, alreadyDrained } = first;
    if (first.entries.length === 0) return { original, alreadyDrained: true };

    const deadline = Date.now() + (input.confirmTimeoutMs ?? 60_000);
    let last = 'no poll yet';
    for (let attempt = 1; ; attempt++) {
      const own = await groupsOf(input.device);
      const stillActive = own.filter(isActive);
      let activePeer: string | undefined;
      let peerMissing: string[] = [];
      if (stillActive.length === 0 && input.peers?.length) {
        const wanted = new Set(own.map(groupKey));
        for (const peer of input.peers) {
          const theirs = (await groupsOf(peer)).filter(isActive).map(groupKey);
          theirs.forEach((k) => wanted.delete(k));
          if (theirs.length > 0) activePeer = peer.name;
        }
        peerMissing = [...wanted];
      }
      if (stillActive.length === 0 && peerMissing.length === 0) return { original, alreadyDrained, ...(activePeer ? { activePeer } : {}) };
      last = stillActive.length > 0 ? `still active for ${stillActive.map((e) => `${e.interface} ${groupKey(e)}`).join(', ')}` : `no peer active for ${peerMissing.join(', ')}`;
      heartbeat({ original, attempt, last });
      if (Date.now() + pollMs > deadline) throw new RedundancyNotConfirmed(input.device.name, last);
      await sleep(pollMs);
    }
  });

  /** Puts the recorded priorities back (idempotent: setting a priority twice is harmless). */
  const restorePriority = deviceActivity(async ({ device, priorities }: RestorePriorityInput): Promise<{ restored: number }> =>
    rt.session(device, async (s) => {
      const byPriority = new Map<number, PriorityEntry[]>();
      for (const p of priorities) byPriority.set(p.priority, [...(byPriority.get(p.priority) ?? []), p]);
      for (const [priority, entries] of byPriority) await setPriority(s, entries, priority);
      return { restored: priorities.length };
    }),
  );

  return { drain, restorePriority };
}
