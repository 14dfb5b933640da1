import { afterEach, describe, expect, it } from 'vitest';
import { DashboardClient, OrgRateLimiter, RateLimited } from '../../../src/devices/rest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from '../dashboard/contract';

/**
 * The client's budget (10/s, burst 10, 50 ms headroom) against the simulator's
 * (10/s, bucket of 10, shared by every API key). Documented allowance: in any
 * 1-second window the server sees at most rate + burst = 20 requests.
 */
describe('per-organisation rate limit', () => {
  let sim: DashboardSim;
  afterEach(async () => {
    assertContract(sim.log.entries);
    await sim.stop();
  });

  it('two API keys in one worker share one budget: the server sees <= 20 per second and no 429', async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 2, devicesPerNetwork: 150, rateLimitPerSec: 10, seed: 3, apiKeys: 2 });
    const org = sim.orgIds[0] as string;
    // 9/s, just under the dashboard's 10, as the workers run by default: arrival jitter on a loaded host must not turn into a 429.
    const limiter = new OrgRateLimiter({ ratePerSec: 9, burst: 9 });
    const clients = sim.apiKeys.map((key) => new DashboardClient({ baseUrl: sim.url, apiKey: () => key, limiter }));
    // Four concurrent walkers (two per key): 4 x 10 pages = 40 requests, floor (40 - 9) / 9 = 3.4 s.
    const walk = async (client: DashboardClient) => {
      let n = 0;
      for await (const item of client.items({ orgId: org, path: `/organizations/${org}/devices/statuses`, perPage: 30 })) if (item) n++;
      return n;
    };
    const started = performance.now();
    const counts = await Promise.all([...clients, ...clients].map(walk));
    const elapsed = performance.now() - started;
    await Promise.all(clients.map((c) => c.close()));
    expect(counts).toEqual([300, 300, 300, 300]);
    const entries = sim.log.filter({ orgId: org });
    expect(entries).toHaveLength(40);
    expect(new Set(entries.map((e) => e.keyIndex))).toEqual(new Set([0, 1]));
    expect(sim.log.filter({ status: 429 })).toHaveLength(0);
    expect(sim.log.maxInWindow(org, 1_000)).toBeLessThanOrEqual(20);
    // Sustained: from the first second on, no more than ~10 in any second.
    expect(sim.log.maxInWindow(org, 2_000)).toBeLessThanOrEqual(30);
    expect(elapsed).toBeGreaterThan(3_300);
    expect(elapsed).toBeLessThan(8_000);
  });

  it('two applications with their own budgets overrun the shared org limit: the simulator answers 429 with Retry-After', async () => {
    // An organisation whose budget is 1/s: each application's own 10/s bucket lets its 10 requests go at once.
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 1, devicesPerNetwork: 10, rateLimitPerSec: 1, seed: 4, apiKeys: 2 });
    const org = sim.orgIds[0] as string;
    const apps = sim.apiKeys.map((key) => new DashboardClient({ baseUrl: sim.url, apiKey: () => key, maxAttempts: 1 }));
    const results = await Promise.allSettled(apps.flatMap((app) => Array.from({ length: 10 }, () => app.get(org, `/organizations/${org}`))));
    await Promise.all(apps.map((c) => c.close()));
    const limited = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    // At most a token or two refilled while the 20 arrived (arrival spread on a loaded host).
    expect(limited.length).toBeGreaterThanOrEqual(17);
    expect(limited.every((e) => e instanceof RateLimited && e.retryAfterMs === 1_000)).toBe(true);
    expect(sim.log.filter({ orgId: org, status: 200 }).length).toBeLessThanOrEqual(3);
  });

  it('after a 429 the client stops sending to that org until Retry-After has passed', async () => {
    sim = await startDashboardSim({ orgs: 2, networksPerOrg: 1, devicesPerNetwork: 5, rateLimitPerSec: 10, seed: 5 });
    const [org, other] = sim.orgIds as [string, string];
    const client = new DashboardClient({ baseUrl: sim.url, apiKey: () => sim.apiKey });
    sim.setFault({ kind: 'storm', durationMs: 300, orgId: org, retryAfterSec: 1 });
    await expect(client.get(org, `/organizations/${org}`)).rejects.toBeInstanceOf(RateLimited);
    const t0 = performance.now();
    await client.get(other, `/organizations/${other}`);
    expect(performance.now() - t0).toBeLessThan(500);
    await client.get(org, `/organizations/${org}`);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    await client.close();
    expect(sim.log.filter({ orgId: org }).map((e) => e.status)).toEqual([429, 200]);
  });
});
