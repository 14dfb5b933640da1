import { describe, expect, it } from 'vitest';
import { SiteCalendar, buildPlan, lowerBoundMakespan, nextStartable } from '../../../src/plan/index';
import type { Plan, PlanDevice, RolloutPolicy, RolloutState } from '../../../src/plan/index';
import type { Site, Weekday } from '../../../src/inventory/types';
import { MIN, MONDAY, prng } from './fixtures';

const ZONES: Record<string, string> = { ams: 'Europe/Amsterdam', nyc: 'America/New_York', sgp: 'Asia/Singapore', syd: 'Australia/Sydney' };
const SITE_NAMES = Object.keys(ZONES);
const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** A random fleet: singles, pairs and (when `groupSize` is 3) triples across a few sites. */
function fleet(r: Rand, groupSize: 2 | 3): PlanDevice[] {
  const devices: PlanDevice[] = [];
  const n = int(r, 3, 40);
  let group = 0;
  while (devices.length < n) {
    const siteName = pick(r, SITE_NAMES);
    const groups = ['core', 'edge', 'dist'].filter(() => r() < 0.4);
    const size = r() < 0.5 ? groupSize : 1;
    const id = `g${group++}`;
    for (let m = 0; m < size; m++) {
      const d: PlanDevice = { name: `d${devices.length}`, site: siteName, groups };
      if (size > 1) {
        d.redundancyGroup = id;
        d.role = pick(r, ['active', 'standby', 'unknown'] as const);
      }
      if (r() < 0.5) d.expectedDurationMs = int(r, 1, 12) * 10 * MIN;
      devices.push(d);
    }
  }
  return devices;
}

function randomPolicy(r: Rand, devices: PlanDevice[], groupSize: 2 | 3): RolloutPolicy {
  const p: RolloutPolicy = { window: int(r, 1, 8), expectedDeviceDurationMs: int(r, 1, 6) * 10 * MIN, respectWindows: false };
  if (groupSize === 3) p.maxUnavailablePerRedundancyGroup = int(r, 1, 2);
  if (r() < 0.4) p.perSite = int(r, 1, 3);
  if (r() < 0.3) p.perGroup = r() < 0.5 ? int(r, 1, 3) : { core: int(r, 1, 2) };
  if (r() < 0.5) p.siteConcurrency = int(r, 1, 3);
  if (r() < 0.5) p.canary = { count: int(r, 0, Math.min(3, devices.length)) };
  return p;
}

function openSiteMap(): Record<string, Site> {
  return Object.fromEntries(SITE_NAMES.map((s) => [s, { name: s, timezone: ZONES[s] as string, windows: [] }]));
}

/** Checks the limits at every instant something starts in the simulated schedule. */
function assertScheduleRespectsLimits(plan: Plan): void {
  const { policy } = plan;
  const maxDown = new Map(plan.redundancyGroups.map((g) => [g.name, g.maxUnavailable]));
  for (const wave of plan.schedule.waves) {
    const t = wave.startMs;
    const inFlight = plan.schedule.devices.filter((s) => s.startMs <= t && t < s.endMs).map((s) => plan.devices[s.name]!);
    expect(inFlight.length).toBeLessThanOrEqual(policy.window);
    const count = (key: (d: (typeof inFlight)[number]) => string[]) => {
      const m = new Map<string, number>();
      for (const d of inFlight) for (const k of key(d)) m.set(k, (m.get(k) ?? 0) + 1);
      return m;
    };
    for (const [group, n] of count((d) => (d.redundancyGroup ? [d.redundancyGroup] : []))) {
      expect(n, `redundancy group ${group} at ${t}`).toBeLessThanOrEqual(maxDown.get(group) ?? 1);
      const size = plan.redundancyGroups.find((g) => g.name === group)!.members.length;
      if (size > 1) expect(n).toBeLessThan(size);
    }
    if (policy.perSite !== undefined) for (const n of count((d) => [d.site]).values()) expect(n).toBeLessThanOrEqual(policy.perSite);
    if (typeof policy.perGroup === 'number') for (const n of count((d) => d.groups).values()) expect(n).toBeLessThanOrEqual(policy.perGroup);
    const sitesBusy = new Set(inFlight.filter((d) => !d.canary).map((d) => d.site));
    expect(sitesBusy.size).toBeLessThanOrEqual(policy.siteConcurrency);
  }
}

// Hundreds of plans each: CPU-bound, so on a loaded host they outlast vitest's
// 5 s default. The limit is generous on purpose; speed lives in bench/.
describe('random fleets (seeded)', { timeout: 60_000 }, () => {
  it('never has both members of a pair in flight, under every window size, and schedules every device', () => {
    const r = prng(42);
    for (let trial = 0; trial < 40; trial++) {
      const devices = fleet(r, 2);
      for (let window = 1; window <= 6; window++) {
        const plan = buildPlan(devices, openSiteMap(), { ...randomPolicy(r, devices, 2), window }, MONDAY);
        assertScheduleRespectsLimits(plan);
        expect(plan.schedule.unschedulable).toEqual([]);
        expect(plan.schedule.devices.map((d) => d.name).sort()).toEqual(devices.map((d) => d.name).sort());
        expect(plan.schedule.makespanMs).toBeGreaterThanOrEqual(lowerBoundMakespan(plan));
      }
    }
  });

  it('keeps k-member groups to their k-1 (or lower) limit', () => {
    const r = prng(7);
    for (let trial = 0; trial < 80; trial++) {
      const devices = fleet(r, 3);
      const plan = buildPlan(devices, openSiteMap(), randomPolicy(r, devices, 3), MONDAY);
      assertScheduleRespectsLimits(plan);
      expect(plan.schedule.devices).toHaveLength(devices.length);
    }
  });

  it('gives the same plan for the same input', () => {
    const r = prng(99);
    for (let trial = 0; trial < 20; trial++) {
      const devices = fleet(r, 2);
      const p = randomPolicy(r, devices, 2);
      expect(JSON.stringify(buildPlan(devices, openSiteMap(), p, MONDAY))).toBe(JSON.stringify(buildPlan(devices, openSiteMap(), p, MONDAY)));
    }
  });

  it('with random maintenance windows, starts devices only when they fit and accounts for every device', () => {
    const r = prng(2026);
    for (let trial = 0; trial < 25; trial++) {
      const devices = fleet(r, 2);
      const sites: Record<string, Site> = {};
      for (const s of SITE_NAMES) {
        const windows = Array.from({ length: int(r, 0, 2) }, () => ({
          days: DAYS.filter(() => r() < 0.5).concat(['sat']),
          start: `${String(int(r, 0, 23)).padStart(2, '0')}:00`,
          end: `${String(int(r, 0, 23)).padStart(2, '0')}:30`,
        }));
        sites[s] = { name: s, timezone: ZONES[s] as string, windows };
      }
      const plan = buildPlan(devices, sites, { ...randomPolicy(r, devices, 2), respectWindows: true }, MONDAY);
      assertScheduleRespectsLimits(plan);
      for (const s of plan.schedule.devices) {
        const d = plan.devices[s.name]!;
        expect(new SiteCalendar(sites[d.site]!).fits(s.startMs, d.durationMs), `${s.name} at ${new Date(s.startMs).toISOString()}`).toBe(true);
      }
      const accounted = [...plan.schedule.devices.map((d) => d.name), ...plan.schedule.unschedulable.map((u) => u.name)];
      expect(accounted.sort()).toEqual(devices.map((d) => d.name).sort());
    }
  });

  it('driven like the workflow with random failures, retries and skips, never takes a pair down and finishes', () => {
    const r = prng(1234);
    for (let trial = 0; trial < 60; trial++) {
      const groupSize = r() < 0.5 ? 2 : 3;
      const devices = fleet(r, groupSize);
      const plan = buildPlan(devices, openSiteMap(), randomPolicy(r, devices, groupSize), MONDAY);
      const st: RolloutState = { running: [], done: [], failed: [], skipped: [], approvedCanary: false, paused: false };
      const maxDown = new Map(plan.redundancyGroups.map((g) => [g.name, g.maxUnavailable]));
      for (let step = 0; step < 10_000; step++) {
        if (plan.canary.every((c) => st.done.includes(c) || st.skipped.includes(c))) st.approvedCanary = true;
        st.running.push(...nextStartable(plan, st, MONDAY));
        for (const g of plan.redundancyGroups) {
          const down = [...st.running, ...st.failed].filter((n) => plan.devices[n]?.redundancyGroup === g.name).length;
          expect(down).toBeLessThanOrEqual(maxDown.get(g.name) ?? 1);
          if (g.members.length > 1) expect(down).toBeLessThan(g.members.length);
        }
        if (st.running.length > 0 && (st.failed.length === 0 || r() < 0.7)) {
          const i = Math.floor(r() * st.running.length);
          const [name] = st.running.splice(i, 1) as [string];
          (r() < 0.2 ? st.failed : st.done).push(name);
        } else if (st.failed.length > 0) {
          const [name] = st.failed.splice(0, 1) as [string];
          if (r() < 0.5) st.skipped.push(name); // else: retried, back to pending
        } else {
          break;
        }
      }
      expect(st.done.length + st.skipped.length, `trial ${trial} finished`).toBe(devices.length);
    }
  });
});
