import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrgRateLimiter } from '../../../src/devices/rest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { activitiesFor, networkRef, runActivity } from './helpers';

describe('429 storms', () => {
  let sim: DashboardSim;
  let org: string;
  let network: string;
  beforeEach(async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 1, devicesPerNetwork: 6, rateLimitPerSec: 10, seed: 21 });
    org = sim.orgIds[0] as string;
    network = sim.networkIds(org)[0] as string;
  });
  afterEach(() => sim.stop());

  it('a short storm is waited out inside the activity, heartbeating, with exactly one write', async () => {
    const acts = activitiesFor({ maxInlineWaitMs: 5_000 });
    sim.setFault({ kind: 'storm', durationMs: 1_500 });
    const run = await runActivity(acts.scheduleNetworkUpgrade, [networkRef(sim, org, network), 'MS 16.8', 'storm-key']);
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ alreadyScheduled: false, ours: true });
    expect(sim.log.filter({ status: 429 }).length).toBeGreaterThanOrEqual(1);
    const writes = sim.log.filter({ method: 'POST' });
    expect(writes.filter((e) => e.status < 300)).toHaveLength(1);
    expect(writes.filter((e) => e.status !== 429)).toHaveLength(1);
    expect(run.heartbeats.length).toBeGreaterThan(1);
  });

  it('a long Retry-After fails the attempt with nextRetryDelay set to it, without writing', async () => {
    const acts = activitiesFor({ maxInlineWaitMs: 1_000 });
    sim.setFault({ kind: 'storm', durationMs: 60_000, retryAfterSec: 45 });
    const run = await runActivity(acts.scheduleNetworkUpgrade, [networkRef(sim, org, network), 'MS 16.8', 'storm-key']);
    expect(run.error).toMatchObject({ type: 'RateLimited', nonRetryable: false });
    const delay = (run.error as { nextRetryDelay?: unknown }).nextRetryDelay;
    expect(delay).toBe(45_000);
    expect(sim.log.filter({ method: 'POST' })).toHaveLength(0);
  });

  it('status collection rides out a storm mid-walk and still counts every device once', async () => {
    await sim.stop();
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 2, devicesPerNetwork: 100, rateLimitPerSec: 10, seed: 22 });
    org = sim.orgIds[0] as string;
    // 20 pages/s with no burst, so the storm lands in the middle of the walk.
    const acts = activitiesFor({ maxInlineWaitMs: 5_000, limiter: new OrgRateLimiter({ ratePerSec: 20, burst: 1, headroomMs: 0 }) });
    const { dashboard } = networkRef(sim, org, 'x');
    const walking = runActivity(acts.collectOrgStatuses, [dashboard, org, { perPage: 20 }]);
    await new Promise((r) => setTimeout(r, 120));
    sim.setFault({ kind: 'storm', durationMs: 1_000 });
    const run = await walking;
    expect(run.error).toBeUndefined();
    expect(run.result?.total).toBe(200);
    expect(sim.log.filter({ status: 429 }).length).toBeGreaterThanOrEqual(1);
    // 10 pages, each fetched successfully exactly once.
    expect(sim.log.filter({ status: 200 })).toHaveLength(10);
  });
});
