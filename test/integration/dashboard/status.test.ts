import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardStatusInput, DashboardStatusReport, OrgStatusCounts } from '../../../src/contracts/dashboard';
import { startDashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from './contract';
import { KEY_ENV, rateSeen, startDashboardEnv, type DashboardEnv } from './helpers';

describe('dashboardStatusWorkflow', () => {
  let de: DashboardEnv;
  beforeAll(async () => {
    de = await startDashboardEnv({ orgs: 3, networksPerOrg: 4, devicesPerNetwork: 25, rateLimitPerSec: 10, seed: 7 });
    await de.startOrgWorkers(10, ['999999']);
  });
  afterAll(async () => {
    if (de) assertContract(de.sim.log.entries);
    await de?.stop();
  });

  /** Starts a status collection on this file's queue with the simulator's key; `id` names the workflow. */
  const startStatus = (id: string, input: Omit<DashboardStatusInput, 'dashboard'>) =>
    de.env.client.workflow.start('dashboardStatusWorkflow', { taskQueue: de.env.taskQueue, workflowId: `status-${id}-${de.env.taskQueue}`, args: [{ dashboard: de.dashboard, ...input }] });
  const runStatus = async (id: string, input: Omit<DashboardStatusInput, 'dashboard'>) => (await (await startStatus(id, input)).result()) as DashboardStatusReport;

  let full: DashboardStatusReport | undefined;

  it('counts every device of every organisation, one request per page, several pages per task, within each org limit', async () => {
    const { sim } = de;
    const started = performance.now();
    const report = await runStatus('all', { orgIds: sim.orgIds, perPage: 5, concurrencyPerOrg: 3 });
    full = report;
    // The current endpoint, devices/availabilities: the deprecated statuses one is not asked.
    expect(sim.log.filter({ pathIncludes: '/devices/availabilities' }).length).toBe(60);
    expect(sim.log.filter({ pathIncludes: '/devices/statuses' })).toHaveLength(0);
    const wallMs = performance.now() - started;
    expect(report.failedOrgs).toEqual([]);
    expect(report.totals.total).toBe(300);
    for (const org of report.orgs) {
      expect(org.total).toBe(sim.devices(org.orgId).length);
      expect(org.online + org.offline + org.alerting + org.dormant).toBe(org.total);
      expect(org.networks).toBe(4);
      // 4 networks x 5 pages of 5 + 1 network listing; the simulator saw exactly those (no 429, no retries).
      expect(org.requests).toBe(21);
      const seen = rateSeen(sim, org.orgId);
      expect(seen.requests).toBe(21);
      // Pages travel in slices of the org's budget (5 requests per task at 10/s): at least 5 tasks, far fewer than pages.
      expect(org.tasks).toBeGreaterThanOrEqual(5);
      expect(org.tasks).toBeLessThanOrEqual(12);
      expect(org.rateLimited).toBe(0);
      // A token bucket of 10/s holding 10 (see three-workers.test.ts for the burst allowance).
      expect(seen.maxPerSecond, JSON.stringify(seen)).toBeLessThanOrEqual(20);
      expect(seen.burstUsed, JSON.stringify(seen)).toBeLessThanOrEqual(11);
    }
    expect(sim.log.filter({ status: 429 })).toHaveLength(0);
    const notOnline = report.orgs.reduce((n, o) => n + o.notOnline.length, 0);
    expect(notOnline).toBe(report.totals.total - report.totals.online);
    console.log(`status of 300 devices in 3 orgs: ${Math.round(wallMs)} ms; per org ${JSON.stringify(sim.orgIds.map((o) => rateSeen(sim, o)))}`);
  });

  it('a 429 storm on one organisation mid-collection is waited out: every device counted once, the other orgs untouched', async () => {
    const { sim } = de;
    const [stormed, calm] = sim.orgIds as [string, string];
    sim.log.clear();
    const handle = await startStatus('storm', { orgIds: [stormed, calm], perPage: 5, concurrencyPerOrg: 4 });
    // Once the stormed org's collection is under way (its listing and first pages are answered), the dashboard says 429 for a second.
    while (sim.log.filter({ orgId: stormed, status: 200 }).length < 4) await new Promise((r) => setTimeout(r, 10));
    sim.setFault({ kind: 'storm', durationMs: 1_000, orgId: stormed, retryAfterSec: 1 });
    const report = (await handle.result()) as DashboardStatusReport;
    sim.clearFaults();
    expect(report.failedOrgs).toEqual([]);
    const [s, c] = report.orgs as [OrgStatusCounts, OrgStatusCounts];
    expect(sim.log.filter({ orgId: stormed, status: 429 }).length).toBeGreaterThan(0);
    expect(s.rateLimited).toBeGreaterThan(0);
    // Every device once: the pages a 429 refused were fetched again after Retry-After, and none twice.
    expect(s.total).toBe(100);
    expect(s.requests).toBe(21);
    expect(sim.log.filter({ orgId: stormed, status: 200 })).toHaveLength(21);
    expect(c).toMatchObject({ total: 100, requests: 21, rateLimited: 0 });
    expect(sim.log.filter({ orgId: calm, status: 429 })).toHaveLength(0);
  });

  it('counts only (--counts-only): one overview request per organisation, the same counts as the walk', async () => {
    const { sim } = de;
    sim.log.clear();
    const report = await runStatus('counts', { orgIds: sim.orgIds, countsOnly: true });
    expect(report.failedOrgs).toEqual([]);
    expect(report.totals).toEqual(full?.totals);
    expect(report.orgs.map((o) => o.requests)).toEqual([1, 1, 1]);
    expect(sim.log.entries.map((e) => e.apiPath)).toEqual(expect.arrayContaining(sim.orgIds.map((o) => `/organizations/${o}/devices/statuses/overview`)));
    expect(sim.log.entries).toHaveLength(3);
  });

  it('an organisation that answers 404 on availabilities is read from devices/statuses; the others stay on availabilities', async () => {
    const [legacy, current] = de.sim.orgIds as [string, string];
    const old = await startDashboardSim({ orgs: 3, networksPerOrg: 4, devicesPerNetwork: 25, rateLimitPerSec: 10, seed: 7, legacyStatusOrgs: [legacy] });
    try {
      process.env[KEY_ENV] = old.apiKey;
      const handle = await de.env.client.workflow.start('dashboardStatusWorkflow', {
        taskQueue: de.env.taskQueue,
        workflowId: `status-legacy-${de.env.taskQueue}`,
        args: [{ dashboard: { ...de.dashboard, baseUrl: old.url }, orgIds: [legacy, current], perPage: 5, concurrencyPerOrg: 3 }],
      });
      const report = (await handle.result()) as DashboardStatusReport;
      expect(report.failedOrgs).toEqual([]);
      expect(report.orgs.map((o) => o.total)).toEqual([100, 100]);
      expect(report.orgs.map((o) => o.online)).toEqual(full?.orgs.slice(0, 2).map((o) => o.online));
      const legacyPaths = old.log.filter({ orgId: legacy }).map((e) => `${e.status} ${e.apiPath.split('/').slice(3).join('/')}`);
      // At most one 404 per lane that started before the first answered, then statuses only.
      expect(legacyPaths.filter((p) => p.startsWith('404')).length).toBeGreaterThanOrEqual(1);
      expect(legacyPaths.filter((p) => p === '404 devices/availabilities').length).toBeLessThanOrEqual(3);
      expect(legacyPaths.filter((p) => p === '200 devices/statuses')).toHaveLength(20);
      expect(old.log.filter({ orgId: current, pathIncludes: '/devices/statuses' })).toHaveLength(0);
      assertContract(old.log.entries.filter((e) => e.status !== 404));
    } finally {
      process.env[KEY_ENV] = de.sim.apiKey;
      await old.stop();
    }
  });

  it('an organisation the key cannot see fails alone; the others are still counted', async () => {
    const { sim } = de;
    const report = await runStatus('missing', { orgIds: [sim.orgIds[0] as string, '999999'], concurrencyPerOrg: 1 });
    expect(report.failedOrgs).toEqual(['999999']);
    expect(report.orgs[1]?.error).toMatch(/no such resource/);
    expect(report.orgs[0]).toMatchObject({ total: 100, requests: 1 });
  });

  it('an organisation no worker serves fails with a message that names the flag to add', async () => {
    const { sim } = de;
    const report = await runStatus('noworker', { orgIds: [sim.orgIds[1] as string, '424242'], noWorkerTimeoutMs: 1_500 });
    expect(report.failedOrgs).toEqual(['424242']);
    expect(report.orgs[1]?.error).toMatch(/--dashboard-orgs 424242/);
  });
});
