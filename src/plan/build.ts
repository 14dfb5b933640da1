import type { Site } from '../contracts/inventory';
import { PlanError } from './errors';
import { SiteCalendar } from './site-calendar';
import { orderDevices, pickCanaries, resolveSiteOrder } from './order';
import { simulateSchedule } from './simulate';
import type {
  Plan,
  PlanDevice,
  PlannedDevice,
  RedundancyGroupInfo,
  ResolvedPolicy,
  RolloutPolicy,
  SiteWindowInfo,
} from './types';
import { findPlanProblems } from './validate';

export const DEFAULT_HORIZON_MS = 14 * 86_400_000;

/** Sites as the inventory holds them (a map by name) or as a list. */
export type SiteInput = Record<string, Site> | Site[];

function siteMap(sites: SiteInput): Record<string, Site> {
  if (!Array.isArray(sites)) return sites;
  const map: Record<string, Site> = {};
  for (const s of sites) map[s.name] = s;
  return map;
}

function resolvePolicy(policy: RolloutPolicy): ResolvedPolicy {
  const resolved: ResolvedPolicy = {
    window: policy.window,
    maxUnavailablePerRedundancyGroup: policy.maxUnavailablePerRedundancyGroup ?? 1,
    siteConcurrency: policy.siteConcurrency ?? 1,
    expectedDeviceDurationMs: policy.expectedDeviceDurationMs,
    respectWindows: policy.respectWindows,
    horizonMs: policy.horizonMs ?? DEFAULT_HORIZON_MS,
  };
  if (policy.perSite !== undefined) resolved.perSite = policy.perSite;
  if (policy.perGroup !== undefined) {
    resolved.perGroup =
      typeof policy.perGroup === 'number'
        ? policy.perGroup
        : Object.fromEntries(Object.entries(policy.perGroup).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return resolved;
}

/**
 * Validates the input (throwing a `PlanError` listing every problem), orders
 * the devices (canaries, then site by site, standby before active inside each
 * redundancy group) and simulates the schedule from `nowMs`.
 */
export function buildPlan(devices: PlanDevice[], sites: SiteInput, policy: RolloutPolicy, nowMs: number): Plan {
  const siteDefs = siteMap(sites);
  const problems = findPlanProblems(devices, siteDefs, policy, nowMs);
  if (problems.length > 0) throw new PlanError(problems);

  const resolved = resolvePolicy(policy);
  const warnings: string[] = [];
  const siteOrder = resolveSiteOrder(devices, policy.siteOrder);
  const unusedInOrder = (policy.siteOrder ?? []).filter((s) => !siteOrder.includes(s));
  if (unusedInOrder.length > 0) warnings.push(`site order names site(s) with no selected device: ${unusedInOrder.join(', ')}`);

  const groupSizes = new Map<string, number>();
  for (const d of devices) if (d.redundancyGroup !== undefined) groupSizes.set(d.redundancyGroup, (groupSizes.get(d.redundancyGroup) ?? 0) + 1);

  const base = orderDevices(devices, siteOrder);
  const canary = pickCanaries(base, policy.canary, groupSizes);
  const canarySet = new Set(canary);
  const order = [...canary, ...base.filter((d) => !canarySet.has(d.name)).map((d) => d.name)];

  const planned: Record<string, PlannedDevice> = {};
  for (const d of base) {
    const p: PlannedDevice = {
      name: d.name,
      site: d.site,
      groups: [...d.groups],
      role: d.role ?? 'unknown',
      durationMs: d.expectedDurationMs ?? resolved.expectedDeviceDurationMs,
      canary: canarySet.has(d.name),
    };
    if (d.redundancyGroup !== undefined) p.redundancyGroup = d.redundancyGroup;
    planned[d.name] = p;
  }

  const redundancyGroups: RedundancyGroupInfo[] = [];
  for (const name of order) {
    const group = planned[name]?.redundancyGroup;
    if (group === undefined || redundancyGroups.some((g) => g.name === group)) continue;
    const members = order.filter((n) => planned[n]?.redundancyGroup === group);
    const maxUnavailable = members.length >= 2 ? resolved.maxUnavailablePerRedundancyGroup : 1;
    if (members.length < 2) {
      warnings.push(`redundancy group ${group} has only one selected member (${members.join(', ')}); its peers are not part of this rollout`);
    }
    redundancyGroups.push({ name: group, members, maxUnavailable });
  }

  const siteInfo: Record<string, SiteWindowInfo> = {};
  for (const name of siteOrder) {
    const defined = siteDefs[name];
    if (!defined) warnings.push(`site ${name} has no definition; treating it as always open in UTC`);
    const site: Site = defined ?? { name, timezone: 'UTC', windows: [] };
    const calendar = new SiteCalendar(site, resolved.respectWindows);
    const current = calendar.intervalAt(nowMs);
    const info: SiteWindowInfo = { site, alwaysOpen: calendar.alwaysOpen, openAtPlanTime: current !== undefined };
    if (current && Number.isFinite(current.closeMs)) info.currentWindowCloseMs = current.closeMs;
    const next = calendar.nextOpening(nowMs);
    if (next !== undefined) info.nextOpeningMs = next;
    siteInfo[name] = info;
  }

  const plan: Plan = {
    version: 1,
    plannedAtMs: nowMs,
    policy: resolved,
    devices: planned,
    order,
    canary,
    siteOrder,
    redundancyGroups,
    sites: siteInfo,
    schedule: { startMs: nowMs, devices: [], waves: [], makespanMs: 0, unschedulable: [] },
    warnings,
  };
  plan.schedule = simulateSchedule(plan, nowMs);
  return plan;
}
