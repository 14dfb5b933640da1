import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectCheckpoint, OrgStatusSummary } from '../../../src/activities/rest';
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

  it('collectOrgStatuses counts every device of the organisation and heartbeats a cursor per page', async () => {
    const acts = activitiesFor();
    const run = await runActivity(acts.collectOrgStatuses, [dashboardRef(sim), org, { perPage: 25 }]);
    const summary = run.result as OrgStatusSummary;
    expect(summary.total).toBe(120);
    expect(Object.values(summary.byStatus).reduce((a, b) => a + b, 0)).toBe(120);
    expect(summary.notOnline).toHaveLength(120 - summary.byStatus.online);
    expect(summary.pages).toBe(5);
    expect(run.heartbeats).toHaveLength(5);
    const last = run.heartbeats.at(-1) as CollectCheckpoint;
    expect(last.next).toBeUndefined();
    expect((run.heartbeats[0] as CollectCheckpoint).next).toMatch(/startingAfter=/);
  });

  it('collectOrgStatuses resumes from the heartbeated cursor of a failed attempt, without refetching pages', async () => {
    const acts = activitiesFor();
    const full = await runActivity(acts.collectOrgStatuses, [dashboardRef(sim), org, { perPage: 25 }]);
    const afterTwoPages = full.heartbeats[1] as CollectCheckpoint;
    sim.log.clear();
    const resumed = await runActivity(acts.collectOrgStatuses, [dashboardRef(sim), org, { perPage: 25 }], afterTwoPages);
    expect(resumed.result).toMatchObject({ total: 120, pages: 5, pagesThisAttempt: 3 });
    expect((resumed.result as OrgStatusSummary).byStatus).toEqual((full.result as OrgStatusSummary).byStatus);
    expect(sim.log.entries).toHaveLength(3);
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
