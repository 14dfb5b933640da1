import { describe, expect, it } from 'vitest';
import { buildPlan, lowerBoundMakespan } from '../../../src/plan/index';
import { DAY, HOUR, MONDAY, dev, openSites, pair, policy, site } from './fixtures';

const utc = (iso: string) => Date.parse(iso);
const nightly = { ams: site('ams', 'Europe/Amsterdam', [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '22:00', end: '02:00' }]) };
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => dev(`${prefix}${i + 1}`));

describe('simulated schedule', () => {
  it('splits pairs across waves and reports start/end per device and the makespan', () => {
    const plan = buildPlan([...pair('p'), ...pair('q'), dev('x'), dev('y')], openSites, policy({ window: 4 }), MONDAY);
    expect(plan.schedule.waves).toEqual([
      { index: 0, startMs: MONDAY, devices: ['pa', 'qa', 'x', 'y'] },
      { index: 1, startMs: MONDAY + HOUR, devices: ['pb', 'qb'] },
    ]);
    expect(plan.schedule.devices.find((d) => d.name === 'pb')).toEqual({ name: 'pb', startMs: MONDAY + HOUR, endMs: MONDAY + 2 * HOUR, wave: 1 });
    expect(plan.schedule.makespanMs).toBe(2 * HOUR);
    expect(lowerBoundMakespan(plan)).toBe(2 * HOUR);
  });

  it('holds everything else until the canaries are done (approval assumed instant)', () => {
    const plan = buildPlan(names('r', 5), openSites, policy({ window: 10, canary: { count: 2 } }), MONDAY);
    expect(plan.schedule.waves.map((w) => w.devices)).toEqual([['r1', 'r2'], ['r3', 'r4', 'r5']]);
    expect(plan.schedule.makespanMs).toBe(2 * HOUR);
  });

  it('starts a wave as soon as a slot frees up, not when the whole batch is done', () => {
    const devices = [dev('slow', 'ams', { expectedDurationMs: 3 * HOUR }), ...names('r', 3)];
    const plan = buildPlan(devices, openSites, policy({ window: 2 }), MONDAY);
    const starts = Object.fromEntries(plan.schedule.devices.map((d) => [d.name, (d.startMs - MONDAY) / HOUR]));
    expect(starts).toEqual({ slow: 0, r1: 0, r2: 1, r3: 2 });
    expect(plan.schedule.makespanMs).toBe(3 * HOUR);
  });

  it('waits for the site window and spills over to the next night', () => {
    const noon = MONDAY + 12 * HOUR;
    const plan = buildPlan(names('r', 10), nightly, policy({ window: 2, respectWindows: true }), noon);
    expect(plan.sites.ams).toMatchObject({ alwaysOpen: false, openAtPlanTime: false, nextOpeningMs: utc('2026-11-23T21:00:00Z') });
    const waveStarts = plan.schedule.waves.map((w) => new Date(w.startMs).toISOString());
    expect(waveStarts).toEqual([
      '2026-11-23T21:00:00.000Z',
      '2026-11-23T22:00:00.000Z',
      '2026-11-23T23:00:00.000Z',
      '2026-11-24T00:00:00.000Z',
      '2026-11-24T21:00:00.000Z',
    ]);
    expect(plan.schedule.makespanMs).toBe(utc('2026-11-24T22:00:00Z') - noon);
    expect(plan.schedule.unschedulable).toEqual([]);
  });

  it('records the window open at plan time', () => {
    const plan = buildPlan(names('r', 1), nightly, policy({ respectWindows: true }), utc('2026-11-23T22:00:00Z'));
    expect(plan.sites.ams).toMatchObject({ openAtPlanTime: true, currentWindowCloseMs: utc('2026-11-24T01:00:00Z') });
  });

  it('reports a device longer than any window as unschedulable and keeps it in the order', () => {
    const devices = [dev('big', 'ams', { expectedDurationMs: 5 * HOUR }), ...names('r', 2)];
    const plan = buildPlan(devices, nightly, policy({ respectWindows: true }), MONDAY);
    expect(plan.order).toContain('big');
    expect(plan.schedule.devices.map((d) => d.name)).toEqual(['r1', 'r2']);
    expect(plan.schedule.unschedulable).toEqual([
      { name: 'big', reason: 'no-window-long-enough', message: 'no maintenance window at site ams is long enough for 5 h in the next 336 h' },
    ]);
  });

  it('reports devices that would only start after the horizon', () => {
    const noon = MONDAY + 12 * HOUR;
    const plan = buildPlan(names('r', 6), nightly, policy({ window: 1, respectWindows: true, horizonMs: DAY }), noon);
    expect(plan.schedule.devices.map((d) => d.name)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(plan.schedule.unschedulable.map((u) => [u.name, u.reason])).toEqual([
      ['r5', 'beyond-horizon'],
      ['r6', 'beyond-horizon'],
    ]);
  });

  it('fits fewer devices into the short night of the spring-forward Sunday', () => {
    const sundays = { ams: site('ams', 'Europe/Amsterdam', [{ days: ['sun'], start: '01:00', end: '04:00' }]) };
    const plan = buildPlan(names('r', 4), sundays, policy({ window: 1, respectWindows: true }), utc('2026-03-28T12:00:00Z'));
    expect(plan.schedule.devices.map((d) => new Date(d.startMs).toISOString())).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      // 04:00 CEST is 02:00 UTC: the third device waits a week (01:00 CEST = 23:00 UTC).
      '2026-04-04T23:00:00.000Z',
      '2026-04-05T00:00:00.000Z',
    ]);
  });

  it('ignores windows entirely when respectWindows is false', () => {
    const plan = buildPlan(names('r', 3), nightly, policy({ window: 3, respectWindows: false }), MONDAY + 12 * HOUR);
    expect(plan.schedule.waves).toHaveLength(1);
    expect(plan.sites.ams?.alwaysOpen).toBe(true);
  });
});

describe('lowerBoundMakespan', () => {
  it('is total work / window for independent devices', () => {
    const plan = buildPlan(names('r', 10), openSites, policy({ window: 4 }), MONDAY);
    expect(lowerBoundMakespan(plan)).toBe(2.5 * HOUR);
    expect(plan.schedule.makespanMs).toBe(3 * HOUR);
  });

  it('is the serial chain of a redundancy group when that is longer', () => {
    const devices = ['g1', 'g2', 'g3'].map((n) => dev(n, 'ams', { redundancyGroup: 'g' }));
    const plan = buildPlan(devices, openSites, policy({ window: 10 }), MONDAY);
    expect(lowerBoundMakespan(plan)).toBe(3 * HOUR);
    expect(plan.schedule.makespanMs).toBe(3 * HOUR);
  });

  it('accounts for per-site and per-group limits and the longest device', () => {
    const siteBound = buildPlan(names('r', 6), openSites, policy({ window: 10, perSite: 2 }), MONDAY);
    expect(lowerBoundMakespan(siteBound)).toBe(3 * HOUR);
    const grouped = names('r', 4).map((d) => ({ ...d, groups: ['core'] }));
    expect(lowerBoundMakespan(buildPlan(grouped, openSites, policy({ window: 10, perGroup: { core: 1 } }), MONDAY))).toBe(4 * HOUR);
    const long = buildPlan([dev('big', 'ams', { expectedDurationMs: 9 * HOUR }), dev('r1')], openSites, policy({ window: 10 }), MONDAY);
    expect(lowerBoundMakespan(long)).toBe(9 * HOUR);
  });

  it('leaves out devices that cannot be scheduled', () => {
    const devices = [dev('big', 'ams', { expectedDurationMs: 5 * HOUR }), dev('r1')];
    const plan = buildPlan(devices, nightly, policy({ respectWindows: true }), MONDAY);
    expect(lowerBoundMakespan(plan)).toBe(HOUR);
  });
});
