import type { Site } from '../contracts/inventory';
import { WEEKDAYS } from '../contracts/inventory';
import { isValidTimeZone, parseHhMm } from './local-time';
import type { PlanDevice, RolloutPolicy } from './types';

const ROLES = ['active', 'standby', 'unknown'];

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

function isPositiveDuration(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}

/** Every problem with a plan's input, as one sentence each; empty when the input is usable. */
export function findPlanProblems(
  devices: PlanDevice[],
  sites: Record<string, Site>,
  policy: RolloutPolicy,
  nowMs: number,
): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(nowMs)) problems.push(`the planning time must be epoch milliseconds, got ${String(nowMs)}`);
  if (devices.length === 0) problems.push('no devices selected: the rollout would do nothing');
  problems.push(...deviceProblems(devices, sites, policy));
  problems.push(...policyProblems(devices, policy));
  problems.push(...redundancyProblems(devices, policy));
  problems.push(...canaryProblems(devices, policy));
  return problems;
}

function deviceProblems(devices: PlanDevice[], sites: Record<string, Site>, policy: RolloutPolicy): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const d of devices) {
    if (typeof d.name !== 'string' || d.name.length === 0) {
      problems.push('a device has no name');
      continue;
    }
    if (seen.has(d.name) && !reported.has(d.name)) {
      problems.push(`device "${d.name}" is listed more than once`);
      reported.add(d.name);
    }
    seen.add(d.name);
    if (typeof d.site !== 'string' || d.site.length === 0) problems.push(`device "${d.name}" has no site`);
    else if (!sites[d.site] && policy.respectWindows) {
      problems.push(`device "${d.name}" is at site "${d.site}", which has no definition (time zone, windows) to respect`);
    }
    if (!Array.isArray(d.groups)) problems.push(`device "${d.name}" has no groups list (use [] for none)`);
    if (d.role !== undefined && !ROLES.includes(d.role)) {
      problems.push(`device "${d.name}" has role "${String(d.role)}"; expected active, standby or unknown`);
    }
    if (d.expectedDurationMs !== undefined && !isPositiveDuration(d.expectedDurationMs)) {
      problems.push(`device "${d.name}" has expected duration ${String(d.expectedDurationMs)} ms; it must be > 0`);
    }
  }
  const usedSites = new Set(devices.map((d) => d.site));
  for (const name of [...usedSites].sort()) {
    const site = sites[name];
    if (site) problems.push(...siteProblems(name, site));
  }
  return problems;
}

function siteProblems(name: string, site: Site): string[] {
  const problems: string[] = [];
  if (!isValidTimeZone(site.timezone)) {
    problems.push(`site "${name}" has time zone "${String(site.timezone)}", which is not an IANA zone (e.g. Europe/Amsterdam)`);
  }
  (site.windows ?? []).forEach((w, i) => {
    const where = `site "${name}" window ${i + 1}`;
    if (!Array.isArray(w.days) || w.days.length === 0) problems.push(`${where} has no days`);
    else {
      const bad = w.days.filter((day) => !(WEEKDAYS as readonly string[]).includes(day));
      if (bad.length > 0) problems.push(`${where} has unknown day(s) ${bad.join(', ')}; use ${WEEKDAYS.join(', ')}`);
    }
    if (parseHhMm(w.start) === undefined) problems.push(`${where} start "${String(w.start)}" is not HH:MM`);
    if (parseHhMm(w.end) === undefined) problems.push(`${where} end "${String(w.end)}" is not HH:MM`);
  });
  return problems;
}

function policyProblems(devices: PlanDevice[], policy: RolloutPolicy): string[] {
  const problems: string[] = [];
  if (!isPositiveInt(policy.window)) problems.push(`window must be a whole number >= 1, got ${String(policy.window)}`);
  if (policy.perSite !== undefined && !isPositiveInt(policy.perSite)) {
    problems.push(`per-site limit must be a whole number >= 1, got ${String(policy.perSite)}`);
  }
  if (typeof policy.perGroup === 'number') {
    if (!isPositiveInt(policy.perGroup)) problems.push(`per-group limit must be a whole number >= 1, got ${policy.perGroup}`);
  } else if (policy.perGroup) {
    for (const [group, limit] of Object.entries(policy.perGroup).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!isPositiveInt(limit)) problems.push(`per-group limit for "${group}" must be a whole number >= 1, got ${String(limit)}`);
    }
  }
  if (policy.siteConcurrency !== undefined && !isPositiveInt(policy.siteConcurrency)) {
    problems.push(`site concurrency must be a whole number >= 1, got ${String(policy.siteConcurrency)}`);
  }
  if (!isPositiveDuration(policy.expectedDeviceDurationMs)) {
    problems.push(`expected device duration must be > 0 ms, got ${String(policy.expectedDeviceDurationMs)}`);
  }
  if (policy.horizonMs !== undefined && !isPositiveDuration(policy.horizonMs)) {
    problems.push(`planning horizon must be > 0 ms, got ${String(policy.horizonMs)}`);
  }
  if (policy.siteOrder) {
    const dup = policy.siteOrder.filter((s, i) => policy.siteOrder?.indexOf(s) !== i);
    if (dup.length > 0) problems.push(`site order names ${[...new Set(dup)].join(', ')} more than once`);
  }
  return problems;
}

function redundancyProblems(devices: PlanDevice[], policy: RolloutPolicy): string[] {
  const limit = policy.maxUnavailablePerRedundancyGroup;
  if (limit === undefined) return [];
  if (!isPositiveInt(limit)) return [`max unavailable per redundancy group must be a whole number >= 1, got ${String(limit)}`];
  const sizes = new Map<string, number>();
  for (const d of devices) {
    if (d.redundancyGroup !== undefined) sizes.set(d.redundancyGroup, (sizes.get(d.redundancyGroup) ?? 0) + 1);
  }
  const tooSmall = [...sizes].filter(([, k]) => k >= 2 && limit >= k).sort(([a], [b]) => (a < b ? -1 : 1));
  if (tooSmall.length === 0) return [];
  const list = tooSmall.map(([g, k]) => `${g} (${k} members)`).join(', ');
  return [`max unavailable per redundancy group is ${limit}, which would take every member of ${list} down at once; use at most k-1 for a k-member group`];
}

function canaryProblems(devices: PlanDevice[], policy: RolloutPolicy): string[] {
  const canary = policy.canary;
  if (!canary) return [];
  const problems: string[] = [];
  const names = new Set(devices.map((d) => d.name));
  if (canary.count !== undefined) {
    if (!Number.isInteger(canary.count) || canary.count < 0) {
      problems.push(`canary count must be a whole number >= 0, got ${String(canary.count)}`);
    } else if (canary.count > devices.length) {
      problems.push(`canary count ${canary.count} is larger than the ${devices.length} selected device(s)`);
    }
  }
  if (canary.devices) {
    const unknown = canary.devices.filter((n) => !names.has(n));
    if (unknown.length > 0) problems.push(`canary device(s) not in the selection: ${unknown.join(', ')}`);
    const dup = canary.devices.filter((n, i) => canary.devices?.indexOf(n) !== i);
    if (dup.length > 0) problems.push(`canary device(s) named more than once: ${[...new Set(dup)].join(', ')}`);
    if (canary.count !== undefined && Number.isInteger(canary.count) && canary.count !== canary.devices.length) {
      problems.push(`canary count ${canary.count} does not match the ${canary.devices.length} named canary device(s)`);
    }
  }
  return problems;
}
