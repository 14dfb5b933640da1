import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/index';
import { MONDAY, dev, openSites, pair, policy } from './fixtures';

describe('plan order', () => {
  it('works site by site in order of first appearance, stable inside a site', () => {
    const plan = buildPlan([dev('f1', 'fra'), dev('a1', 'ams'), dev('f2', 'fra'), dev('a2', 'ams')], openSites, policy(), MONDAY);
    expect(plan.siteOrder).toEqual(['fra', 'ams']);
    expect(plan.order).toEqual(['f1', 'f2', 'a1', 'a2']);
  });

  it('follows an explicit site order and appends unnamed sites', () => {
    const devices = [dev('f1', 'fra'), dev('a1', 'ams'), dev('n1', 'nyc')];
    const plan = buildPlan(devices, openSites, policy({ siteOrder: ['nyc'] }), MONDAY);
    expect(plan.siteOrder).toEqual(['nyc', 'fra', 'ams']);
    expect(plan.order).toEqual(['n1', 'f1', 'a1']);
  });

  it('puts the standby member of a pair before the active one, keeping the pair slots', () => {
    const devices = [dev('x'), ...pair('p', 'ams', ['active', 'standby']), dev('y')];
    const plan = buildPlan(devices, openSites, policy(), MONDAY);
    expect(plan.order).toEqual(['x', 'pb', 'pa', 'y']);
  });

  it('orders k-member groups standby, unknown, active', () => {
    const devices = [
      dev('g1', 'ams', { redundancyGroup: 'g', role: 'active' }),
      dev('g2', 'ams', { redundancyGroup: 'g' }),
      dev('g3', 'ams', { redundancyGroup: 'g', role: 'standby' }),
      dev('g4', 'ams', { redundancyGroup: 'g', role: 'standby' }),
    ];
    const plan = buildPlan(devices, openSites, policy({ maxUnavailablePerRedundancyGroup: 2 }), MONDAY);
    expect(plan.order).toEqual(['g3', 'g4', 'g2', 'g1']);
    expect(plan.redundancyGroups).toEqual([{ name: 'g', members: ['g3', 'g4', 'g2', 'g1'], maxUnavailable: 2 }]);
  });

  it('puts named canaries first, in plan order, whatever order they were named in', () => {
    const devices = [dev('a1'), dev('a2'), dev('f1', 'fra'), dev('f2', 'fra')];
    const plan = buildPlan(devices, openSites, policy({ canary: { devices: ['f2', 'a2'] } }), MONDAY);
    expect(plan.canary).toEqual(['a2', 'f2']);
    expect(plan.order).toEqual(['a2', 'f2', 'a1', 'f1']);
    expect(plan.devices.f2?.canary).toBe(true);
    expect(plan.devices.a1?.canary).toBe(false);
  });

  it('picks canaries by count from the first site, never an active member when a standby or single device exists', () => {
    const devices = [...pair('p', 'ams', ['active', 'standby']), dev('solo'), dev('f1', 'fra')];
    const plan = buildPlan(devices, openSites, policy({ canary: { count: 2 } }), MONDAY);
    expect(plan.canary).toEqual(['pb', 'solo']);
    expect(plan.canary).not.toContain('pa');
  });

  it('avoids making both members of a pair canaries when other devices exist', () => {
    const devices = [...pair('p', 'ams', ['standby', 'standby']), ...pair('q', 'ams', ['unknown', 'unknown'])];
    const plan = buildPlan(devices, openSites, policy({ canary: { count: 2 } }), MONDAY);
    expect(plan.canary).toEqual(['pa', 'qa']);
  });

  it('takes an active member as canary only when nothing else is left', () => {
    const plan = buildPlan(pair('p'), openSites, policy({ canary: { count: 2 } }), MONDAY);
    expect(plan.canary).toEqual(['pa', 'pb']);
  });

  it('treats a redundancy group with one selected member as a single device and says so', () => {
    const plan = buildPlan([dev('lone', 'ams', { redundancyGroup: 'g', role: 'active' }), dev('x')], openSites, policy({ canary: { count: 1 } }), MONDAY);
    expect(plan.canary).toEqual(['lone']);
    expect(plan.redundancyGroups).toEqual([{ name: 'g', members: ['lone'], maxUnavailable: 1 }]);
    expect(plan.warnings[0]).toMatch(/redundancy group g has only one selected member \(lone\)/);
  });

  it('is deterministic: same input gives the same plan, and site-map or pair-member order does not matter', () => {
    const devices = [...pair('p', 'ams'), dev('a1'), ...pair('q', 'fra'), dev('f1', 'fra')];
    const p = policy({ canary: { count: 1 }, perGroup: { core: 1, edge: 2 }, window: 2 });
    const a = buildPlan(devices, openSites, p, MONDAY);
    expect(buildPlan(devices, openSites, p, MONDAY)).toEqual(a);

    const reversedSites = Object.fromEntries(Object.entries(openSites).reverse());
    const swapped = [devices[1]!, devices[0]!, devices[2]!, devices[4]!, devices[3]!, devices[5]!];
    const b = buildPlan(swapped, reversedSites, { ...p, perGroup: { edge: 2, core: 1 } }, MONDAY);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('gives each device its own expected duration when set', () => {
    const plan = buildPlan([dev('slow', 'ams', { expectedDurationMs: 5_000 }), dev('fast')], openSites, policy({ expectedDeviceDurationMs: 1_000 }), MONDAY);
    expect(plan.devices.slow?.durationMs).toBe(5_000);
    expect(plan.devices.fast?.durationMs).toBe(1_000);
    expect(plan.devices.fast?.role).toBe('unknown');
  });

  it('is plain JSON that survives a round trip (workflow input, continue-as-new)', () => {
    const plan = buildPlan([...pair('p'), dev('f1', 'fra')], openSites, policy({ canary: { count: 1 } }), MONDAY);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});
