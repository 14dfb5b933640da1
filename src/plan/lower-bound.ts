import type { Plan, PlannedDevice } from './types';

function sumBy(devices: PlannedDevice[], key: (d: PlannedDevice) => string | undefined): Map<string, number> {
  const sums = new Map<string, number>();
  for (const d of devices) {
    const k = key(d);
    if (k !== undefined) sums.set(k, (sums.get(k) ?? 0) + d.durationMs);
  }
  return sums;
}

/**
 * A makespan no schedule can beat, ignoring windows and the canary pause:
 * the largest of total work / window, each redundancy group's work / its
 * unavailability limit (a pair is a serial chain), each site's work / the
 * per-site limit, each limited inventory group's work / its limit, and the
 * longest single device. Devices the plan could not schedule are left out.
 */
export function lowerBoundMakespan(plan: Plan): number {
  const excluded = new Set(plan.schedule.unschedulable.map((u) => u.name));
  const devices = plan.order.map((n) => plan.devices[n]).filter((d): d is PlannedDevice => d !== undefined && !excluded.has(d.name));
  if (devices.length === 0) return 0;
  const { policy } = plan;
  const total = devices.reduce((s, d) => s + d.durationMs, 0);
  let bound = Math.max(total / policy.window, ...devices.map((d) => d.durationMs));

  const limits = new Map(plan.redundancyGroups.map((g) => [g.name, g.maxUnavailable]));
  for (const [group, work] of sumBy(devices, (d) => d.redundancyGroup)) {
    bound = Math.max(bound, work / (limits.get(group) ?? 1));
  }
  if (policy.perSite !== undefined) {
    for (const work of sumBy(devices, (d) => d.site).values()) bound = Math.max(bound, work / policy.perSite);
  }
  if (policy.perGroup !== undefined) {
    const groupWork = new Map<string, number>();
    for (const d of devices) for (const g of d.groups) groupWork.set(g, (groupWork.get(g) ?? 0) + d.durationMs);
    for (const [group, work] of groupWork) {
      const limit = typeof policy.perGroup === 'number' ? policy.perGroup : policy.perGroup[group];
      if (limit !== undefined) bound = Math.max(bound, work / limit);
    }
  }
  return Math.ceil(bound);
}
