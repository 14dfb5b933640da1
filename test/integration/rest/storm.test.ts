import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusSliceResult } from '../../../src/activities/rest';
import { taskBudget } from '../../../src/devices/rest/task-budget';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from '../dashboard/contract';
import { activitiesFor, networkRef, runActivity } from './helpers';

const schedule = { product: 'switch' as const, toVersion: { id: '3017', shortName: 'MS 17.1.4' }, time: '2999-01-01T00:00:00Z' };

describe('429 storms', () => {
  let sim: DashboardSim;
  let org: string;
  let network: string;
  beforeEach(async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 1, devicesPerNetwork: 6, rateLimitPerSec: 10, seed: 21, productTypes: ['switch'] });
    org = sim.orgIds[0] as string;
    network = sim.networkIds(org)[0] as string;
  });
  afterEach(async () => {
    assertContract(sim.log.entries);
    await sim.stop();
  });

  it('a short storm is waited out inside the activity, heartbeating, with exactly one write', async () => {
    const acts = activitiesFor({ maxInlineWaitMs: 5_000 });
    sim.setFault({ kind: 'storm', durationMs: 1_500 });
    const run = await runActivity(acts.scheduleFirmwareUpgrade, [networkRef(sim, org, network), schedule]);
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ alreadyScheduled: false, ours: true });
    expect(sim.log.filter({ status: 429 }).length).toBeGreaterThanOrEqual(1);
    const writes = sim.log.filter({ method: 'PUT' });
    expect(writes.filter((e) => e.status < 300)).toHaveLength(1);
    expect(writes.filter((e) => e.status !== 429)).toHaveLength(1);
    expect(run.heartbeats.length).toBeGreaterThan(1);
  });

  it('a long Retry-After fails the attempt with nextRetryDelay set to it, without writing', async () => {
    const acts = activitiesFor({ maxInlineWaitMs: 1_000 });
    sim.setFault({ kind: 'storm', durationMs: 60_000, retryAfterSec: 45 });
    const run = await runActivity(acts.scheduleFirmwareUpgrade, [networkRef(sim, org, network), schedule]);
    expect(run.error).toMatchObject({ type: 'RateLimited', nonRetryable: false });
    const delay = (run.error as { nextRetryDelay?: unknown }).nextRetryDelay;
    expect(delay).toBe(45_000);
    expect(sim.log.filter({ method: 'PUT' })).toHaveLength(0);
  });

  it('a status slice that meets a 429 stops, hands back its cursor and the Retry-After; the next slice goes on from there', async () => {
    await sim.stop();
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 2, devicesPerNetwork: 100, rateLimitPerSec: 10, seed: 22 });
    org = sim.orgIds[0] as string;
    const acts = activitiesFor({ taskBudgets: new Map([[org, taskBudget(10, 5)]]) });
    const { dashboard } = networkRef(sim, org, 'x');
    const input = { lanes: [{}], spare: [], maxLanes: 1, perPage: 20, maxListed: 500 };
    const walking = runActivity(acts.collectStatusSlice, [dashboard, org, input]);
    // The storm starts once the second page is answered (requests go 100 ms apart).
    while (sim.log.filter({ status: 200 }).length < 2) await new Promise((r) => setTimeout(r, 5));
    sim.setFault({ kind: 'storm', durationMs: 1_000, retryAfterSec: 1 });
    const cut = (await walking).result as StatusSliceResult;
    expect(cut.retryAfterMs).toBe(1_000);
    expect(cut.requests).toBeGreaterThanOrEqual(1);
    expect(cut.requests).toBeLessThan(5);
    expect(cut.lanes).toHaveLength(1);
    // The workflow would sleep Retry-After before the next slice; so do we.
    await new Promise((r) => setTimeout(r, 1_050));
    let total = Object.values(cut.counts).reduce((a, b) => a + b, 0);
    let lanes = cut.lanes;
    while (lanes.length > 0) {
      const r = (await runActivity(acts.collectStatusSlice, [dashboard, org, { ...input, lanes }])).result as StatusSliceResult;
      expect(r.retryAfterMs).toBeUndefined();
      total += Object.values(r.counts).reduce((a, b) => a + b, 0);
      lanes = r.lanes;
    }
    expect(total).toBe(200);
    expect(sim.log.filter({ status: 429 }).length).toBeGreaterThanOrEqual(1);
    // 10 pages, each fetched successfully exactly once.
    expect(sim.log.filter({ status: 200 })).toHaveLength(10);
  });
});
