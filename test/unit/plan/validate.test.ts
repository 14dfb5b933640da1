import { describe, expect, it } from 'vitest';
import { PlanError, buildPlan } from '../../../src/plan/index';
import type { PlanDevice, RolloutPolicy } from '../../../src/plan/index';
import type { Site } from '../../../src/inventory/types';
import { MONDAY, dev, openSites, pair, policy, site } from './fixtures';

function problemsOf(devices: PlanDevice[], p: RolloutPolicy, sites: Record<string, Site> = openSites): string[] {
  try {
    buildPlan(devices, sites, p, MONDAY);
  } catch (err) {
    expect(err).toBeInstanceOf(PlanError);
    return (err as PlanError).problems;
  }
  throw new Error('expected a PlanError');
}

describe('plan input validation', () => {
  it('names unknown canary devices', () => {
    const problems = problemsOf([dev('r1'), dev('r2')], policy({ canary: { devices: ['r1', 'r9', 'r8'] } }));
    expect(problems).toEqual(['canary device(s) not in the selection: r9, r8']);
  });

  it('rejects a window below 1 and fractional limits', () => {
    expect(problemsOf([dev('r1')], policy({ window: 0 }))).toEqual(['window must be a whole number >= 1, got 0']);
    expect(problemsOf([dev('r1')], policy({ window: 1.5 }))[0]).toMatch(/window must be a whole number/);
    expect(problemsOf([dev('r1')], policy({ perSite: 0 }))[0]).toMatch(/per-site limit/);
    expect(problemsOf([dev('r1')], policy({ perGroup: { core: 0 } }))[0]).toMatch(/per-group limit for "core"/);
    expect(problemsOf([dev('r1')], policy({ siteConcurrency: 0 }))[0]).toMatch(/site concurrency/);
  });

  it('refuses a redundancy limit that would take a whole group down', () => {
    const devices = [...pair('p1'), ...pair('p2'), dev('t1', 'ams', { redundancyGroup: 'tri' }), dev('t2', 'ams', { redundancyGroup: 'tri' }), dev('t3', 'ams', { redundancyGroup: 'tri' })];
    const problems = problemsOf(devices, policy({ maxUnavailablePerRedundancyGroup: 2 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('p1 (2 members), p2 (2 members)');
    expect(problems[0]).not.toContain('tri');
    expect(problemsOf(devices, policy({ maxUnavailablePerRedundancyGroup: 0 }))[0]).toMatch(/>= 1/);
  });

  it('accepts k-1 for a k-member group', () => {
    const devices = ['t1', 't2', 't3'].map((n) => dev(n, 'ams', { redundancyGroup: 'tri' }));
    expect(() => buildPlan(devices, openSites, policy({ maxUnavailablePerRedundancyGroup: 2 }), MONDAY)).not.toThrow();
  });

  it('rejects a canary count larger than the selection, or not matching named canaries', () => {
    expect(problemsOf([dev('r1'), dev('r2')], policy({ canary: { count: 3 } }))).toEqual([
      'canary count 3 is larger than the 2 selected device(s)',
    ]);
    expect(problemsOf([dev('r1'), dev('r2')], policy({ canary: { count: 1, devices: ['r1', 'r2'] } }))[0]).toMatch(
      /does not match the 2 named/,
    );
    expect(problemsOf([dev('r1')], policy({ canary: { count: -1 } }))[0]).toMatch(/canary count must be/);
  });

  it('reports duplicate device names once each', () => {
    expect(problemsOf([dev('r1'), dev('r1'), dev('r1'), dev('r2')], policy())).toEqual(['device "r1" is listed more than once']);
  });

  it('rejects a bad time zone and malformed windows on sites in use', () => {
    const sites = {
      mars: site('mars', 'Mars/Olympus', [{ days: ['mon', 'funday' as never], start: '25:00', end: '2:00' }]),
      unused: site('unused', 'Nowhere/Else'),
    };
    const problems = problemsOf([dev('r1', 'mars')], policy({ respectWindows: true }), sites);
    expect(problems).toEqual([
      'site "mars" has time zone "Mars/Olympus", which is not an IANA zone (e.g. Europe/Amsterdam)',
      'site "mars" window 1 has unknown day(s) funday; use mon, tue, wed, thu, fri, sat, sun',
      'site "mars" window 1 start "25:00" is not HH:MM',
      'site "mars" window 1 end "2:00" is not HH:MM',
    ]);
  });

  it('requires a site definition only when windows are respected', () => {
    expect(problemsOf([dev('r1', 'lon')], policy({ respectWindows: true }))[0]).toMatch(/site "lon", which has no definition/);
    const plan = buildPlan([dev('r1', 'lon')], openSites, policy({ respectWindows: false }), MONDAY);
    expect(plan.warnings).toContain('site lon has no definition; treating it as always open in UTC');
  });

  it('rejects bad durations, roles, an empty selection and a bad clock', () => {
    expect(problemsOf([dev('r1', 'ams', { expectedDurationMs: 0 })], policy())[0]).toMatch(/r1" has expected duration 0/);
    expect(problemsOf([dev('r1', 'ams', { role: 'primary' as never })], policy())[0]).toMatch(/role "primary"/);
    expect(problemsOf([dev('r1')], policy({ expectedDeviceDurationMs: -5 }))[0]).toMatch(/expected device duration/);
    expect(problemsOf([{ name: 'r1', site: 'ams' } as PlanDevice], policy())[0]).toMatch(/r1" has no groups list/);
    expect(problemsOf([], policy())).toEqual(['no devices selected: the rollout would do nothing']);
    expect(() => buildPlan([dev('r1')], openSites, policy(), Number.NaN)).toThrow(/epoch milliseconds/);
  });

  it('collects every problem into one error message', () => {
    let message = '';
    try {
      buildPlan([dev('r1'), dev('r1')], openSites, policy({ window: 0, canary: { devices: ['zz'] } }), MONDAY);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('invalid rollout plan (3 problems)');
    expect(message).toContain('  - window must be a whole number >= 1, got 0');
    expect(message).toContain('  - canary device(s) not in the selection: zz');
  });

  it('rejects a site order that names a site twice, warns about sites without devices', () => {
    expect(problemsOf([dev('r1')], policy({ siteOrder: ['ams', 'ams'] }))).toEqual(['site order names ams more than once']);
    const plan = buildPlan([dev('r1')], openSites, policy({ siteOrder: ['fra', 'ams'] }), MONDAY);
    expect(plan.warnings).toContain('site order names site(s) with no selected device: fra');
  });
});
