import { describe, expect, it } from 'vitest';
import { buildPlan, evaluateStartable, nextStartable, nextWakeUpMs } from '../../../src/plan/index';
import { DAY, HOUR, MONDAY, dev, openSites, pair, policy, site, state } from './fixtures';

const utc = (iso: string) => Date.parse(iso);

describe('nextStartable: concurrency limits', () => {
  it('fills the window in plan order and no further', () => {
    const plan = buildPlan(['r1', 'r2', 'r3', 'r4', 'r5'].map((n) => dev(n)), openSites, policy({ window: 3 }), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['r1', 'r2', 'r3']);
    expect(nextStartable(plan, state({ running: ['r1', 'r2'] }), MONDAY)).toEqual(['r3']);
    expect(nextStartable(plan, state({ running: ['r1', 'r2', 'r3'] }), MONDAY)).toEqual([]);
    expect(nextStartable(plan, state({ done: ['r1', 'r2', 'r3'], running: ['r4'] }), MONDAY)).toEqual(['r5']);
  });

  it('respects the per-site limit with sites overlapping', () => {
    const devices = [dev('a1'), dev('a2'), dev('a3'), dev('f1', 'fra'), dev('f2', 'fra')];
    const plan = buildPlan(devices, openSites, policy({ window: 10, perSite: 2, siteConcurrency: 2 }), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['a1', 'a2', 'f1', 'f2']);
    expect(evaluateStartable(plan, state(), MONDAY).blocked).toEqual({ a3: 'site-limit' });
  });

  it('respects per-group limits given as one number for every group', () => {
    const devices = [dev('c1', 'ams', { groups: ['core'] }), dev('c2', 'ams', { groups: ['core'] }), dev('e1', 'ams', { groups: ['edge'] }), dev('e2', 'ams', { groups: ['edge'] })];
    const plan = buildPlan(devices, openSites, policy({ window: 10, perGroup: 1 }), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['c1', 'e1']);
  });

  it('respects per-group limits by name and leaves other groups unlimited', () => {
    const devices = [
      dev('c1', 'ams', { groups: ['core', 'ams-all'] }),
      dev('c2', 'ams', { groups: ['core', 'ams-all'] }),
      dev('e1', 'ams', { groups: ['edge', 'ams-all'] }),
      dev('e2', 'ams', { groups: ['edge', 'ams-all'] }),
    ];
    const plan = buildPlan(devices, openSites, policy({ window: 10, perGroup: { core: 1 } }), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['c1', 'e1', 'e2']);
    expect(nextStartable(plan, state({ running: ['c1'] }), MONDAY)).toEqual(['e1', 'e2']);
    expect(nextStartable(plan, state({ done: ['c1'] }), MONDAY)).toEqual(['c2', 'e1', 'e2']);
  });

  it('ignores names in the state that are not in the plan', () => {
    const plan = buildPlan([dev('r1'), dev('r2')], openSites, policy({ window: 1 }), MONDAY);
    expect(nextStartable(plan, state({ running: ['ghost'] }), MONDAY)).toEqual(['r1']);
  });
});

describe('nextStartable: redundancy groups', () => {
  it('never starts the second member of a pair while the first is running, for any window', () => {
    const plan = buildPlan([...pair('p'), ...pair('q')], openSites, policy({ window: 10 }), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['pa', 'qa']);
    expect(evaluateStartable(plan, state(), MONDAY).blocked).toEqual({ pb: 'redundancy', qb: 'redundancy' });
    expect(nextStartable(plan, state({ running: ['qa'], done: ['pa'] }), MONDAY)).toEqual(['pb']);
  });

  it('counts a failed member as down: its peer is not taken until it is retried, skipped or done', () => {
    const plan = buildPlan([...pair('p'), dev('x')], openSites, policy({ window: 10 }), MONDAY);
    const failed = state({ failed: ['pa'] });
    expect(nextStartable(plan, failed, MONDAY)).toEqual(['x']);
    expect(evaluateStartable(plan, failed, MONDAY).blocked.pb).toBe('redundancy');
    // Operator skips the failed member (it is left alone, so it is up): the peer may go.
    expect(nextStartable(plan, state({ skipped: ['pa'], done: ['x'] }), MONDAY)).toEqual(['pb']);
    // Operator retries it: the failed member leaves `failed` and is offered again first.
    expect(nextStartable(plan, state({ done: ['x'] }), MONDAY)).toEqual(['pa']);
  });

  it('allows k-1 of a k-member group down and no more, counting failed members', () => {
    const devices = ['g1', 'g2', 'g3', 'g4'].map((n) => dev(n, 'ams', { redundancyGroup: 'g' }));
    const plan = buildPlan(devices, openSites, policy({ window: 10, maxUnavailablePerRedundancyGroup: 3 }), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['g1', 'g2', 'g3']);
    expect(nextStartable(plan, state({ failed: ['g1'], running: ['g2'] }), MONDAY)).toEqual(['g3']);
    expect(nextStartable(plan, state({ failed: ['g1', 'g2'], running: ['g3'] }), MONDAY)).toEqual([]);
  });

  it('holds a busy member back without taking a window slot, and keeps its peer up', () => {
    const plan = buildPlan([...pair('p'), dev('x'), dev('y')], openSites, policy({ window: 2 }), MONDAY);
    const busy = state({ busy: ['pa'] });
    // pa is not offered (the rollout tries it again itself) and does not fill the window.
    expect(nextStartable(plan, busy, MONDAY)).toEqual(['x', 'y']);
    expect(evaluateStartable(plan, busy, MONDAY).blocked.pb).toBe('redundancy');
    expect(evaluateStartable(plan, busy, MONDAY).blocked.pa).toBeUndefined();
    // Its retry is due: it is offered again, first.
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['pa', 'x']);
  });

  it('keeps a site open while its only work left is a busy device (one site at a time)', () => {
    const plan = buildPlan([dev('a1'), dev('f1', 'fra')], openSites, policy({ window: 4, siteOrder: ['ams', 'fra'] }), MONDAY);
    expect(evaluateStartable(plan, state({ busy: ['a1'] }), MONDAY)).toEqual({ start: [], blocked: { f1: 'site-order' } });
    expect(nextStartable(plan, state({ done: ['a1'] }), MONDAY)).toEqual(['f1']);
  });

  it('lets the single selected member of a group go (its peers are not in the rollout)', () => {
    const plan = buildPlan([dev('lone', 'ams', { redundancyGroup: 'g' })], openSites, policy(), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['lone']);
  });
});

describe('nextStartable: canary gate, pause and progress', () => {
  const devices = [dev('a1'), dev('a2'), dev('a3'), dev('a4')];

  it('starts only canaries until the canary is approved', () => {
    const plan = buildPlan(devices, openSites, policy({ window: 10, canary: { count: 1 } }), MONDAY);
    const before = state({ approvedCanary: false });
    expect(nextStartable(plan, before, MONDAY)).toEqual(['a1']);
    expect(nextStartable(plan, { ...before, running: ['a1'] }, MONDAY)).toEqual([]);
    expect(nextStartable(plan, { ...before, done: ['a1'] }, MONDAY)).toEqual([]);
    expect(evaluateStartable(plan, { ...before, done: ['a1'] }, MONDAY).blocked.a2).toBe('canary-gate');
    expect(nextStartable(plan, state({ approvedCanary: true, done: ['a1'] }), MONDAY)).toEqual(['a2', 'a3', 'a4']);
  });

  it('has no gate when there are no canaries', () => {
    const plan = buildPlan(devices, openSites, policy({ window: 2 }), MONDAY);
    expect(nextStartable(plan, state({ approvedCanary: false }), MONDAY)).toEqual(['a1', 'a2']);
  });

  it('starts nothing while paused', () => {
    const plan = buildPlan(devices, openSites, policy({ window: 2 }), MONDAY);
    const decision = evaluateStartable(plan, state({ paused: true, running: ['a1'] }), MONDAY);
    expect(decision.start).toEqual([]);
    expect(decision.blocked).toEqual({ a2: 'paused', a3: 'paused', a4: 'paused' });
  });

  it('does not restart done, failed, skipped or running devices', () => {
    const plan = buildPlan(devices, openSites, policy({ window: 10 }), MONDAY);
    expect(nextStartable(plan, state({ done: ['a1'], failed: ['a2'], skipped: ['a3'] }), MONDAY)).toEqual(['a4']);
    expect(nextStartable(plan, state({ running: ['a4'], done: ['a1', 'a2', 'a3'] }), MONDAY)).toEqual([]);
  });
});

describe('nextStartable: site order', () => {
  const devices = [dev('a1'), dev('a2'), dev('f1', 'fra'), dev('n1', 'nyc')];

  it('works one site at a time by default: the next site waits until the previous one is finished', () => {
    const plan = buildPlan(devices, openSites, policy({ window: 10 }), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['a1', 'a2']);
    expect(evaluateStartable(plan, state({ running: ['a2'], done: ['a1'] }), MONDAY).blocked).toEqual({ f1: 'site-order', n1: 'site-order' });
    expect(nextStartable(plan, state({ done: ['a1', 'a2'] }), MONDAY)).toEqual(['f1']);
  });

  it('treats failed and skipped devices as finished for site progress', () => {
    const plan = buildPlan(devices, openSites, policy({ window: 10 }), MONDAY);
    expect(nextStartable(plan, state({ failed: ['a1'], skipped: ['a2'] }), MONDAY)).toEqual(['f1']);
  });

  it('overlaps sites up to siteConcurrency', () => {
    const plan = buildPlan(devices, openSites, policy({ window: 10, siteConcurrency: 2 }), MONDAY);
    expect(nextStartable(plan, state(), MONDAY)).toEqual(['a1', 'a2', 'f1']);
    expect(nextStartable(plan, state({ done: ['a1', 'a2'], running: ['f1'] }), MONDAY)).toEqual(['n1']);
  });

  it('lets canaries from a later site run first', () => {
    const plan = buildPlan(devices, openSites, policy({ window: 10, canary: { devices: ['n1'] } }), MONDAY);
    expect(plan.order[0]).toBe('n1');
    expect(nextStartable(plan, state({ approvedCanary: false }), MONDAY)).toEqual(['n1']);
    expect(nextStartable(plan, state({ done: ['n1'] }), MONDAY)).toEqual(['a1', 'a2']);
  });
});

describe('nextStartable: maintenance windows', () => {
  // Amsterdam: every night 22:00-02:00 local (21:00-01:00 UTC in winter).
  const sites = {
    ams: site('ams', 'Europe/Amsterdam', [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '22:00', end: '02:00' }]),
    nyc: site('nyc', 'America/New_York', [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '01:00', end: '05:00' }]),
  };

  it('starts nothing outside the window and tells when to wake up', () => {
    const plan = buildPlan([dev('a1')], sites, policy({ respectWindows: true }), MONDAY + 12 * HOUR);
    const s = state();
    expect(nextStartable(plan, s, MONDAY + 12 * HOUR)).toEqual([]);
    expect(evaluateStartable(plan, s, MONDAY + 12 * HOUR).blocked).toEqual({ a1: 'maintenance-window' });
    expect(nextWakeUpMs(plan, s, MONDAY + 12 * HOUR)).toBe(utc('2026-11-23T21:00:00Z'));
    expect(nextStartable(plan, s, utc('2026-11-23T21:00:00Z'))).toEqual(['a1']);
  });

  it('does not start a device whose duration would overrun the current window', () => {
    const plan = buildPlan([dev('a1', 'ams', { expectedDurationMs: 2 * HOUR }), dev('a2')], sites, policy({ respectWindows: true }), MONDAY);
    // The window closes at 01:00 UTC.
    const late = utc('2026-11-23T23:30:00Z');
    expect(nextStartable(plan, state(), utc('2026-11-23T23:00:00Z'))).toEqual(['a1', 'a2']);
    expect(nextStartable(plan, state(), utc('2026-11-23T23:00:00Z') + 1)).toEqual(['a2']);
    expect(nextStartable(plan, state(), late)).toEqual(['a2']);
    expect(nextStartable(plan, state(), utc('2026-11-24T00:00:00Z') + 1)).toEqual([]);
    // a1 needs two hours: the next chance is Tuesday night.
    expect(nextWakeUpMs(plan, state({ running: ['a2'] }), late)).toBe(utc('2026-11-24T21:00:00Z'));
  });

  it('checks each site against its own time zone at the same instant', () => {
    const plan = buildPlan([dev('a1'), dev('n1', 'nyc')], sites, policy({ respectWindows: true, siteConcurrency: 2 }), MONDAY);
    // 22:00 UTC Monday: 23:00 in Amsterdam (open), 17:00 in New York (closed).
    expect(nextStartable(plan, state(), utc('2026-11-23T22:00:00Z'))).toEqual(['a1']);
    // 07:00 UTC Tuesday: 08:00 in Amsterdam (closed), 02:00 in New York (open).
    expect(nextStartable(plan, state(), utc('2026-11-24T07:00:00Z'))).toEqual(['n1']);
  });

  it('has no wake-up when nothing waits for a window', () => {
    const plan = buildPlan([dev('a1')], sites, policy({ respectWindows: true }), MONDAY);
    expect(nextWakeUpMs(plan, state({ done: ['a1'] }), MONDAY)).toBeUndefined();
    expect(nextWakeUpMs(plan, state(), MONDAY + 2 * DAY + 22 * HOUR)).toBeUndefined();
  });
});
