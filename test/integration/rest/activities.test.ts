import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusSliceInput, StatusSliceResult } from '../../../src/activities/rest';
import { taskBudget } from '../../../src/devices/rest/task-budget';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from '../dashboard/contract';
import { activitiesFor, clientFor, dashboardRef, networkRef, runActivity } from './helpers';

describe('dashboard activities', () => {
  let sim: DashboardSim;
  let org: string;
  beforeEach(async () => {
    // One simulated stage lasts 600 s; at 6,000x that is 100 ms of real time.
    sim = await startDashboardSim({ orgs: 2, networksPerOrg: 3, devicesPerNetwork: 40, rateLimitPerSec: 1_000, timeScale: 6_000, seed: 31 });
    org = sim.orgIds[0] as string;
  });
  afterEach(async () => {
    assertContract(sim.log.entries);
    await sim.stop();
  });

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

  const ms17 = { version: 'MS 17.1.4' };
  /** A schedule for now: the simulator's clock runs ahead of the worker's. */
  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

  it('resolves the target through the network\'s version objects, schedules it with PUT firmwareUpgrades, and every device reports the new firmware', async () => {
    const acts = activitiesFor();
    const network = sim.networkIds(org)[0] as string;
    const net = networkRef(sim, org, network);
    const before = (await runActivity(acts.readNetworkFirmware, [net, ms17])).result;
    expect(before).toMatchObject({ product: 'switch', current: { shortName: 'MS 15.21' }, target: { id: '3017', firmware: 'switch-17-1-4' }, total: 40, onTarget: 0 });
    // By firmware name too, the other name devices report.
    expect((await runActivity(acts.readNetworkFirmware, [net, { version: 'switch-17-1-4' }])).result?.target.id).toBe('3017');

    const time = now();
    const scheduled = await runActivity(acts.scheduleFirmwareUpgrade, [net, { product: 'switch', toVersion: before!.target, time }]);
    expect(scheduled.result).toMatchObject({ alreadyScheduled: false, ours: true, fromVersion: { id: '3015' }, toVersion: { id: '3017' } });
    const put = sim.log.filter({ method: 'PUT' });
    expect(put.map((e) => e.requestBody)).toEqual([{ products: { switch: { nextUpgrade: { time, toVersion: { id: '3017' } } } } }]);

    const waited = await runActivity(acts.waitForFirmwareUpgrade, [net, { product: 'switch', toVersion: before!.target }, { pollIntervalMs: 40 }]);
    expect(waited.result).toMatchObject({ status: 'completed', current: { id: '3017' } });
    expect(waited.result?.completedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const after = (await runActivity(acts.readNetworkFirmware, [net, ms17])).result;
    expect(after).toMatchObject({ current: { id: '3017' }, total: 40, onTarget: 40, versions: { 'switch-17-1-4': 40 } });
    const client = clientFor(sim);
    const devices = await client.get<{ networkId: string; firmware: string }[]>(org, `/organizations/${org}/devices`, { perPage: 1000 });
    await client.close();
    expect(devices.filter((d) => d.networkId !== network).some((d) => d.firmware === 'switch-17-1-4')).toBe(false);
  });

  it('a version the network does not offer fails the pre-check, naming what it offers', async () => {
    const acts = activitiesFor();
    const net = networkRef(sim, org, sim.networkIds(org)[1] as string);
    const run = await runActivity(acts.readNetworkFirmware, [net, ms17]);
    expect(run.error).toMatchObject({ type: 'UnknownFirmwareVersion', nonRetryable: true });
    expect((run.error as Error).message).toMatch(/no firmware "MS 17\.1\.4" is offered .*wireless: MR 29\.7, MR 30\.1, MR 31\.1\.2/);
  });

  it('waitForFirmwareUpgrade fails non-retryably when the upgrade does not take', async () => {
    const acts = activitiesFor();
    const network = sim.networkIds(org)[1] as string;
    sim.setFault({ kind: 'upgrade-fails', networkId: network });
    const net = networkRef(sim, org, network);
    const target = (await runActivity(acts.readNetworkFirmware, [net, { version: 'MR 30.1' }])).result!.target;
    const time = now();
    expect((await runActivity(acts.scheduleFirmwareUpgrade, [net, { product: 'wireless', toVersion: target, time }])).result).toMatchObject({ alreadyScheduled: false, ours: true });
    const waited = await runActivity(acts.waitForFirmwareUpgrade, [net, { product: 'wireless', toVersion: target }, { pollIntervalMs: 40 }]);
    expect(waited.error).toMatchObject({ type: 'UpgradeFailed', nonRetryable: true });
    expect((waited.error as Error).message).toMatch(/did not take: the network still runs MR 29\.7 and no upgrade is pending/);
    expect(sim.log.filter({ method: 'PUT' })).toHaveLength(1);
  });

  it('rollbackFirmwareUpgrade puts the old version back with the rollbacks call, once', async () => {
    const acts = activitiesFor();
    const network = sim.networkIds(org)[2] as string;
    const net = networkRef(sim, org, network);
    const check = (await runActivity(acts.readNetworkFirmware, [net, { version: 'MX 18.211' }])).result!;
    await runActivity(acts.scheduleFirmwareUpgrade, [net, { product: 'appliance', toVersion: check.target, time: now() }]);
    await runActivity(acts.waitForFirmwareUpgrade, [net, { product: 'appliance', toVersion: check.target }, { pollIntervalMs: 40 }]);
    const req = { product: 'appliance' as const, toVersion: check.current, fromVersion: check.target, comment: 'canary failed post-checks' };
    const first = await runActivity(acts.rollbackFirmwareUpgrade, [net, req]);
    expect(first.result).toMatchObject({ rolledBack: true, status: expect.stringMatching(/^(pending|in_progress)$/) });
    // While it is pending, a retry sees it and sends nothing.
    const pending = await runActivity(acts.rollbackFirmwareUpgrade, [net, req]);
    expect(pending.result).toMatchObject({ rolledBack: true, status: 'pending' });
    await runActivity(acts.waitForFirmwareUpgrade, [net, { product: 'appliance', toVersion: check.current }, { pollIntervalMs: 40 }]);
    const done = await runActivity(acts.rollbackFirmwareUpgrade, [net, req]);
    expect(done.result).toMatchObject({ rolledBack: false, status: 'already on MX 18.107' });
    const posts = sim.log.filter({ method: 'POST', pathIncludes: 'rollbacks' });
    expect(posts.map((e) => e.requestBody)).toEqual([{ product: 'appliance', reasons: [{ category: 'other', comment: 'canary failed post-checks' }], toVersion: { id: '1018' } }]);
    expect((await runActivity(acts.readNetworkFirmware, [net, { version: 'MX 18.211' }])).result).toMatchObject({ current: { id: '1018' }, onTarget: 0 });
  });

  it('the upgrade is refused as a conflict while another version is pending', async () => {
    const acts = activitiesFor();
    const net = networkRef(sim, org, sim.networkIds(org)[0] as string);
    const versions = (await runActivity(acts.readNetworkFirmware, [net, { version: 'MS 16.8' }])).result!;
    // Far in the future on the simulator's clock too, so it stays pending.
    await runActivity(acts.scheduleFirmwareUpgrade, [net, { product: 'switch', toVersion: versions.target, time: '2999-01-01T00:00:00Z' }]);
    const target = (await runActivity(acts.readNetworkFirmware, [net, ms17])).result!.target;
    const other = await runActivity(acts.scheduleFirmwareUpgrade, [net, { product: 'switch', toVersion: target, time: now() }]);
    expect(other.error).toMatchObject({ type: 'UpgradeConflict', nonRetryable: true });
    expect((other.error as Error).message).toMatch(/an upgrade of switch to MS 16\.8 is already scheduled for 2999-01-01T00:00:00Z/);
    expect(sim.log.filter({ method: 'PUT' })).toHaveLength(1);
  });

  it('an unknown network is a non-retryable NotFound', async () => {
    const acts = activitiesFor();
    const run = await runActivity(acts.readNetworkFirmware, [networkRef(sim, org, 'L_nope'), { version: 'MS 16.8' }]);
    expect(run.error).toMatchObject({ type: 'NotFound', nonRetryable: true });
  });
});
