import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusSliceInput, StatusSliceResult } from '../../../src/activities/rest';
import { taskBudget } from '../../../src/devices/rest/task-budget';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { activitiesFor, clientFor, dashboardRef, networkRef, runActivity } from './helpers';

describe('dashboard activities', () => {
  let sim: DashboardSim;
  let org: string;
  beforeEach(async () => {
    // One simulated stage lasts 600 s; at 6,000x that is 100 ms of real time.
    sim = await startDashboardSim({ orgs: 2, networksPerOrg: 3, devicesPerNetwork: 40, rateLimitPerSec: 1_000, timeScale: 6_000, seed: 31 });
    org = sim.orgIds[0] as string;
  });
  afterEach(() => sim.stop());

  /** Activities whose tasks carry 5 requests at 10/s for every org (a 500 ms window). */
  const sliceActivities = () => activitiesFor({ taskBudgets: new Map(sim.orgIds.map((o) => [o, taskBudget(10, 5)])) });
  const slice = (over: Partial<StatusSliceInput> = {}): StatusSliceInput => ({ lanes: [{}], spare: [], maxLanes: 1, perPage: 10, maxListed: 500, ...over });

  it('collectStatusSlice spends one task budget (5 pages, paced at the rate) and hands back its cursor; the next slices finish the walk', async () => {
    const acts = sliceActivities();
    const first = (await runActivity(acts.collectStatusSlice, [dashboardRef(sim), org, slice()])).result as StatusSliceResult;
    // Five on a quiet host; fewer only if answers were so slow that the 500 ms window closed first.
    expect(first.requests).toBeGreaterThanOrEqual(4);
    expect(first.requests).toBeLessThanOrEqual(5);
    expect(first.lanes).toHaveLength(1);
    expect(first.lanes[0]?.next).toMatch(/startingAfter=/);
    const times = sim.log.filter({ orgId: org }).map((e) => e.at);
    // Sent 100 ms apart (10/s) within the task's 500 ms window: the five arrive spread over about 400 ms,
    // not as a burst (arrival jitter on a loaded host moves single requests by some ms either way).
    const span = (times.at(-1) as number) - (times[0] as number);
    expect(span).toBeGreaterThan(250);
    expect(span).toBeLessThan(650);

    let total = Object.values(first.counts).reduce((a, b) => a + b, 0);
    let lanes = first.lanes;
    let tasks = 1;
    while (lanes.length > 0) {
      const next = (await runActivity(acts.collectStatusSlice, [dashboardRef(sim), org, slice({ lanes })])).result as StatusSliceResult;
      total += Object.values(next.counts).reduce((a, b) => a + b, 0);
      lanes = next.lanes;
      tasks++;
    }
    // 120 devices in 12 pages of 10: three tasks of up to five pages, every page fetched exactly once.
    expect(total).toBe(120);
    expect(tasks).toBeGreaterThanOrEqual(3);
    expect(tasks).toBeLessThanOrEqual(4);
    expect(sim.log.filter({ orgId: org, status: 200 })).toHaveLength(12);
  });

  it('collectStatusSlice lists the networks and walks several of them at once, taking the next network when one ends', async () => {
    const acts = sliceActivities();
    const first = (await runActivity(acts.collectStatusSlice, [dashboardRef(sim), org, slice({ lanes: [], maxLanes: 2, listNetworks: {} })])).result as StatusSliceResult;
    expect(first.listing).toMatchObject({ done: true, networkIds: sim.networkIds(org) });
    // The listing and (on a quiet host) four pages, two networks at a time.
    expect(first.requests).toBeGreaterThanOrEqual(4);
    expect(first.requests).toBeLessThanOrEqual(5);
    expect(first.spareUsed).toBe(2);
    expect(first.lanes.map((l) => l.networkId)).toEqual(sim.networkIds(org).slice(0, 2));
    let pending = sim.networkIds(org).slice(first.spareUsed);
    let lanes = first.lanes;
    let total = Object.values(first.counts).reduce((a, b) => a + b, 0);
    while (lanes.length > 0 || pending.length > 0) {
      const r = (await runActivity(acts.collectStatusSlice, [dashboardRef(sim), org, slice({ lanes, spare: pending, maxLanes: 2 })])).result as StatusSliceResult;
      total += Object.values(r.counts).reduce((a, b) => a + b, 0);
      pending = pending.slice(r.spareUsed);
      lanes = r.lanes;
    }
    expect(total).toBe(120);
    // 3 networks x 4 pages + the listing, none twice.
    expect(sim.log.filter({ orgId: org, status: 200 })).toHaveLength(13);
  });

  it('schedules, waits for and completes a staged upgrade; every device of the network ends on the new firmware', async () => {
    const acts = activitiesFor();
    const network = sim.networkIds(org)[0] as string;
    const net = networkRef(sim, org, network);
    const scheduled = await runActivity(acts.scheduleNetworkUpgrade, [net, 'MS 16.8', 'r1/n1', { stages: 3 }]);
    expect(scheduled.result).toMatchObject({ alreadyScheduled: false, status: 'inProgress' });
    const waited = await runActivity(acts.waitForNetworkUpgrade, [net, 'MS 16.8', { pollIntervalMs: 40 }]);
    expect(waited.result).toMatchObject({ status: 'completed', upgradedDevices: 40 });
    expect((waited.result?.polls ?? 0) > 1).toBe(true);
    expect(waited.heartbeats.some((h) => (h as { status?: string }).status === 'inProgress')).toBe(true);
    const client = clientFor(sim);
    const devices = await client.get<{ networkId: string; firmware: string }[]>(org, `/organizations/${org}/devices`, { perPage: 1000 });
    await client.close();
    expect(devices.filter((d) => d.networkId === network).every((d) => d.firmware === 'MS 16.8')).toBe(true);
    expect(devices.filter((d) => d.networkId !== network).some((d) => d.firmware === 'MS 16.8')).toBe(false);
  });

  it('waitForNetworkUpgrade fails non-retryably when the network upgrade fails', async () => {
    const acts = activitiesFor();
    const network = sim.networkIds(org)[1] as string;
    sim.setFault({ kind: 'upgrade-fails', networkId: network });
    const net = networkRef(sim, org, network);
    await runActivity(acts.scheduleNetworkUpgrade, [net, 'MR 30.1', 'r1/n2']);
    const waited = await runActivity(acts.waitForNetworkUpgrade, [net, 'MR 30.1', { pollIntervalMs: 40 }]);
    expect(waited.error).toMatchObject({ type: 'UpgradeFailed', nonRetryable: true });
    expect((waited.error as Error).message).toMatch(/roll back/);
    // Running the schedule again with the same key does not post a second time.
    const again = await runActivity(acts.scheduleNetworkUpgrade, [net, 'MR 30.1', 'r1/n2']);
    expect(again.result).toMatchObject({ alreadyScheduled: true, ours: true, status: 'failed' });
    expect(sim.log.filter({ method: 'POST' })).toHaveLength(1);
  });

  it('rollbackNetworkUpgrade puts the old firmware back and is a no-op the second time', async () => {
    const acts = activitiesFor();
    const network = sim.networkIds(org)[2] as string;
    const net = networkRef(sim, org, network);
    await runActivity(acts.scheduleNetworkUpgrade, [net, 'MX 19.1', 'r1/n3']);
    await runActivity(acts.waitForNetworkUpgrade, [net, 'MX 19.1', { pollIntervalMs: 40 }]);
    const first = await runActivity(acts.rollbackNetworkUpgrade, [net, 'canary failed post-checks']);
    const second = await runActivity(acts.rollbackNetworkUpgrade, [net, 'canary failed post-checks']);
    expect(first.result).toMatchObject({ rolledBack: true, status: 'rolledBack' });
    expect(second.result).toMatchObject({ rolledBack: false, status: 'rolledBack' });
    expect(sim.log.filter({ method: 'POST', pathIncludes: 'rollbacks' })).toHaveLength(1);
    const client = clientFor(sim);
    const devices = await client.get<{ networkId: string; firmware: string }[]>(org, `/organizations/${org}/devices`);
    await client.close();
    expect(devices.filter((d) => d.networkId === network).every((d) => d.firmware === 'MX 18.107')).toBe(true);
    const waited = await runActivity(acts.waitForNetworkUpgrade, [net, 'MX 19.1', { pollIntervalMs: 40 }]);
    expect(waited.error).toMatchObject({ type: 'UpgradeRolledBack', nonRetryable: true });
  });

  it('an unknown network is a non-retryable NotFound', async () => {
    const acts = activitiesFor();
    const run = await runActivity(acts.scheduleNetworkUpgrade, [networkRef(sim, org, 'L_nope'), 'MS 16.8', 'k']);
    expect(run.error).toMatchObject({ type: 'NotFound', nonRetryable: true });
  });
});
