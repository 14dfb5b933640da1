import type { Site } from '../../../src/inventory/types';
import type { PlanDevice, RolloutPolicy, RolloutState } from '../../../src/plan/index';
import { seededRandom } from '../../../src/lab/rng';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function dev(name: string, site = 'ams', extra: Partial<PlanDevice> = {}): PlanDevice {
  return { name, site, groups: [], ...extra };
}

/** A redundancy pair `${prefix}a` (standby) / `${prefix}b` (active) unless roles are given. */
export function pair(prefix: string, site = 'ams', roles: [PlanDevice['role'], PlanDevice['role']] = ['standby', 'active']): PlanDevice[] {
  return [
    dev(`${prefix}a`, site, { redundancyGroup: prefix, role: roles[0] }),
    dev(`${prefix}b`, site, { redundancyGroup: prefix, role: roles[1] }),
  ];
}

export function site(name: string, timezone = 'UTC', windows: Site['windows'] = []): Site {
  return { name, timezone, windows };
}

export const openSites: Record<string, Site> = {
  ams: site('ams', 'Europe/Amsterdam'),
  fra: site('fra', 'Europe/Berlin'),
  nyc: site('nyc', 'America/New_York'),
};

export function policy(extra: Partial<RolloutPolicy> = {}): RolloutPolicy {
  return { window: 4, expectedDeviceDurationMs: HOUR, respectWindows: false, ...extra };
}

export function state(extra: Partial<RolloutState> = {}): RolloutState {
  return { running: [], done: [], failed: [], skipped: [], approvedCanary: true, paused: false, ...extra };
}

/** Monday 2026-11-23 00:00 UTC. */
export const MONDAY = Date.UTC(2026, 10, 23);

/** The lab's seeded PRNG, so the "random" fleets are the same on every run. */
export const prng = seededRandom;
