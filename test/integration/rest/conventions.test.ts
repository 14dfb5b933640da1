import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DashboardClient, ForeignRedirect, OrgRateLimiter, RateLimited } from '../../../src/devices/rest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from '../dashboard/contract';
import { clientFor } from './helpers';

describe('the Meraki client conventions, against the simulator', () => {
  let sim: DashboardSim;
  let org: string;
  beforeEach(async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 2, devicesPerNetwork: 10, rateLimitPerSec: 1_000, seed: 61 });
    org = sim.orgIds[0] as string;
  });
  afterEach(async () => {
    assertContract(sim.log.entries.filter((e) => e.status < 300 || e.status >= 400));
    await sim.stop();
  });

  it('sends the User-Agent in Meraki\'s format with the caller the user set', async () => {
    const named = clientFor(sim, { caller: 'NetAutomation/2.1 AcmeCorp' });
    const anonymous = clientFor(sim);
    await named.get(org, `/organizations/${org}`);
    await anonymous.get(org, `/organizations/${org}`);
    await Promise.all([named.close(), anonymous.close()]);
    expect(sim.log.entries.map((e) => e.userAgent)).toEqual([
      expect.stringMatching(/^TemporalNetops\/\d+\.\d+\.\d+ Caller\/\(NetAutomation\/2\.1 AcmeCorp\)$/),
      expect.stringMatching(/^TemporalNetops\/\d+\.\d+\.\d+ Caller\/\(unidentified\)$/),
    ]);
    expect(() => clientFor(sim, { caller: 'not a caller!' })).toThrow(/not in Meraki's User-Agent format/);
  });

  it('follows a redirect to the regional shard (same host here) with the body, and pages on from there', async () => {
    const client = clientFor(sim);
    sim.setFault({ kind: 'redirect', to: 'shard', status: 308, next: 1, pathIncludes: '/devices/availabilities' });
    const serials: string[] = [];
    for await (const d of client.items<{ serial: string }>({ orgId: org, path: `/organizations/${org}/devices/availabilities`, perPage: 5 })) serials.push(d.serial);
    sim.setFault({ kind: 'redirect', to: 'shard', status: 307, next: 1, method: 'POST' });
    const rollback = await client
      .request({ method: 'POST', orgId: org, path: `/networks/${sim.networkIds(org)[0]}/firmwareUpgrades/rollbacks`, body: { reasons: [{ category: 'testing', comment: 'lab' }] } })
      .catch((e: unknown) => e as Error);
    await client.close();
    expect(new Set(serials).size).toBe(20);
    const walk = sim.log.entries.filter((e) => e.apiPath.endsWith('/availabilities')).map((e) => `${e.status} ${e.path.startsWith('/shard-n42/') ? 'shard' : 'global'}`);
    expect(walk).toEqual(['308 global', '200 shard', '200 shard', '200 shard', '200 shard']);
    // The POST went to the shard with its body (and the dashboard refused it there: nothing to roll back).
    const posts = sim.log.filter({ method: 'POST' });
    expect(posts.map((e) => [e.status, e.path.startsWith('/shard-n42/')])).toEqual([
      [307, false],
      [400, true],
    ]);
    expect(posts[1]?.requestBody).toEqual({ reasons: [{ category: 'testing', comment: 'lab' }] });
    expect(rollback).toMatchObject({ name: 'BadRequest', apiErrors: [expect.stringMatching(/no earlier switch version/)] });
  });

  it('refuses a redirect to any other host: the key is not sent there', async () => {
    const client = clientFor(sim, { maxAttempts: 3 });
    sim.setFault({ kind: 'redirect', to: 'foreign', status: 302, next: 1 });
    const err = await client.get(org, `/organizations/${org}/networks`).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(ForeignRedirect);
    expect((err as Error).message).toMatch(/a redirect to http:\/\/127\.0\.0\.2:\d+, which is not a Meraki host nor the configured base URL's/);
    expect((err as ForeignRedirect).requestId).toBe(sim.log.entries[0]?.requestId);
    expect(sim.log.entries).toHaveLength(1);
  });

  it('a 429 without Retry-After holds the organisation for an exponential, jittered delay (and the next request waits it out)', async () => {
    const limiter = new OrgRateLimiter({ ratePerSec: 1_000, burst: 100 });
    const client = new DashboardClient({ baseUrl: sim.url, apiKey: () => sim.apiKey, limiter });
    sim.setFault({ kind: 'storm', durationMs: 60_000, orgId: org, omitRetryAfter: true });
    const delays: number[] = [];
    const started = performance.now();
    for (let i = 0; i < 3; i++) {
      const err = await client.get(org, `/organizations/${org}`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimited);
      delays.push((err as RateLimited).retryAfterMs);
    }
    const waited = performance.now() - started;
    await client.close();
    expect(waited).toBeGreaterThanOrEqual((delays[0] ?? 0) + (delays[1] ?? 0) - 50);
    expect(delays[0]).toBeGreaterThanOrEqual(1_000);
    expect(delays[0]).toBeLessThan(2_000);
    expect(delays[1]).toBeGreaterThanOrEqual(2_000);
    expect(delays[1]).toBeLessThan(4_000);
    expect(delays[2]).toBeGreaterThanOrEqual(4_000);
    expect(delays[2]).toBeLessThan(8_000);
  });
});
