import type { CanaryPolicy, PlanDevice, RedundancyRole } from './types';

const ROLE_RANK: Record<RedundancyRole, number> = { standby: 0, unknown: 1, active: 2 };

/** Explicit site order first, then the remaining sites in order of first appearance. */
export function resolveSiteOrder(devices: PlanDevice[], explicit: string[] = []): string[] {
  const present = new Set(devices.map((d) => d.site));
  const order = explicit.filter((s) => present.has(s));
  for (const d of devices) if (!order.includes(d.site)) order.push(d.site);
  return order;
}

/**
 * Devices by site order; inside a site, the members of a redundancy group
 * trade places so standby members come before active ones (draining a
 * standby costs nothing). Everything else keeps its input order.
 */
export function orderDevices(devices: PlanDevice[], siteOrder: string[]): PlanDevice[] {
  const result: PlanDevice[] = [];
  for (const site of siteOrder) {
    const atSite = devices.filter((d) => d.site === site);
    const byGroup = new Map<string, number[]>();
    atSite.forEach((d, i) => {
      if (d.redundancyGroup === undefined) return;
      const slots = byGroup.get(d.redundancyGroup) ?? [];
      slots.push(i);
      byGroup.set(d.redundancyGroup, slots);
    });
    const arranged = [...atSite];
    for (const slots of byGroup.values()) {
      const members = slots
        .map((i) => atSite[i] as PlanDevice)
        .map((d, k) => ({ d, k }))
        .sort((a, b) => ROLE_RANK[a.d.role ?? 'unknown'] - ROLE_RANK[b.d.role ?? 'unknown'] || a.k - b.k)
        .map((x) => x.d);
      slots.forEach((slot, k) => {
        arranged[slot] = members[k] as PlanDevice;
      });
    }
    result.push(...arranged);
  }
  return result;
}

/**
 * Canaries: the named ones, or the first `count` devices in plan order,
 * preferring devices whose outage costs nothing (non-redundant or standby),
 * then unknown roles, then active members, and avoiding two canaries from one
 * redundancy group. Returned in plan order.
 */
export function pickCanaries(ordered: PlanDevice[], policy: CanaryPolicy | undefined, groupSizes: Map<string, number>): string[] {
  if (!policy) return [];
  if (policy.devices && policy.devices.length > 0) {
    const named = new Set(policy.devices);
    return ordered.filter((d) => named.has(d.name)).map((d) => d.name);
  }
  const count = policy.count ?? 0;
  const chosen = new Set<string>();
  const groupsUsed = new Set<string>();
  for (let n = 0; n < count; n++) {
    let best: { device: PlanDevice; cost: number } | undefined;
    for (const device of ordered) {
      if (chosen.has(device.name)) continue;
      const cost = canaryCost(device, groupSizes, groupsUsed);
      if (!best || cost < best.cost) best = { device, cost };
    }
    if (!best) break;
    chosen.add(best.device.name);
    if (best.device.redundancyGroup !== undefined) groupsUsed.add(best.device.redundancyGroup);
  }
  return ordered.filter((d) => chosen.has(d.name)).map((d) => d.name);
}

function canaryCost(device: PlanDevice, groupSizes: Map<string, number>, groupsUsed: Set<string>): number {
  const group = device.redundancyGroup;
  if (group === undefined || (groupSizes.get(group) ?? 0) < 2) return 0;
  const roleCost = ROLE_RANK[device.role ?? 'unknown'];
  return roleCost + (groupsUsed.has(group) ? 3 : 0);
}
