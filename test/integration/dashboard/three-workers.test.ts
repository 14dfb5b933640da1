import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { DashboardStatusReport } from '../../../src/contracts/dashboard';
import { startCli, type LongRunning } from '../../support/cli-process';
import { assertContract } from './contract';
import { rateSeen, startDashboardEnv, type DashboardEnv } from './helpers';

/**
 * Three `netops worker` processes share one task queue and the per-org
 * queues. Each has its own in-process token bucket (10/s), so without a
 * shared limit they could send 30 requests per second to one organisation;
 * the server-side task queue limit keeps the sum at the organisation's rate.
 */
describe('the per-organisation limit holds across three worker processes', () => {
  let de: DashboardEnv;
  const workers: LongRunning[] = [];
  beforeAll(async () => {
    // No in-process worker: the three CLI processes run the workflows and the REST activities.
    de = await startDashboardEnv({ orgs: 3, networksPerOrg: 6, devicesPerNetwork: 30, rateLimitPerSec: 10, seed: 11 }, { mainWorker: false });
    const args = ['worker', '--address', inject('temporalAddress'), '--task-queue', de.env.taskQueue, '--dashboard-orgs', de.sim.orgIds.join(',')];
    for (let i = 0; i < 3; i++) workers.push(startCli(args, { env: { NETOPS_LOG_LEVEL: 'error' } }));
    await Promise.all(workers.map((w) => w.waitFor(/worker polling task queue/, 90_000)));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    if (de) assertContract(de.sim.log.entries);
    await de?.stop();
  });

  it('a status collection across three organisations stays within 10 requests/s per organisation, with no 429 in steady state', async () => {
    const { sim, env } = de;
    const report = (await env.client.workflow.execute('dashboardStatusWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: `status-3w-${env.taskQueue}`,
      args: [{ dashboard: de.dashboard, orgIds: sim.orgIds, perPage: 5, concurrencyPerOrg: 6 }],
    })) as DashboardStatusReport;
    expect(report.failedOrgs).toEqual([]);
    expect(report.totals.total).toBe(540);
    for (const orgId of sim.orgIds) {
      const seen = rateSeen(sim, orgId);
      // No 429 in steady state. The server's bucket and the dashboard's are the same size, so on a
      // loaded machine the arrival jitter of the very first burst can (rarely) meet one 429, which the
      // page activity retries after Retry-After; it is then one more request in the log.
      expect(seen.rejectedAtMs.filter((ms) => ms > 1_000), JSON.stringify(seen)).toEqual([]);
      expect(seen.rejectedAtMs.length).toBeLessThanOrEqual(1);
      // 6 networks x 6 pages + 1 listing (+ the retry of a rare first-second 429).
      expect(seen.requests - seen.rejectedAtMs.length).toBe(37);
      // Burst allowance: the limit is a token bucket of 10/s holding 10, like the dashboard's own, so a
      // 1 s window may carry up to 10 + 10 after a quiet spell; the stream never used more than that
      // bucket (+1 for arrival jitter), while three unshared 10/s buckets could reach 30/s.
      expect(seen.maxPerSecond, JSON.stringify(seen)).toBeLessThanOrEqual(20);
      expect(seen.burstUsed, JSON.stringify(seen)).toBeLessThanOrEqual(11);
    }
    console.log(`three workers: ${JSON.stringify(sim.orgIds.map((o) => rateSeen(sim, o)))}`);
  });
});
