import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, OrgRateLimiter, Timeout, Unauthorized } from '../../../src/devices/rest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from '../dashboard/contract';
import { activitiesFor, clientFor, runActivity } from './helpers';

describe('client errors and secrecy', () => {
  let sim: DashboardSim;
  let org: string;
  beforeAll(async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 1, devicesPerNetwork: 5, rateLimitPerSec: 1_000, seed: 41 });
    org = sim.orgIds[0] as string;
  });
  afterAll(async () => {
    assertContract(sim.log.entries);
    await sim.stop();
  });

  it('a wrong key is Unauthorized, not retried, and the key appears nowhere in the error', async () => {
    const secret = 'not-the-key-0123456789abcdef';
    const client = clientFor(sim, { apiKey: () => secret, maxAttempts: 5 });
    const before = sim.log.entries.length;
    const err = await client.get(org, `/organizations/${org}`).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(Unauthorized);
    expect((err as Unauthorized).retryable).toBe(false);
    expect(sim.log.entries.length - before).toBe(1);
    for (const text of [String(err), (err as Error).stack ?? '', JSON.stringify(err), inspect(err, { depth: 5 })]) expect(text).not.toContain(secret);
  });

  it('never shows the key through toString, inspect or JSON', () => {
    const client = clientFor(sim);
    for (const text of [String(client), inspect(client, { depth: 5, showHidden: true }), JSON.stringify(client)]) {
      expect(text).not.toContain(sim.apiKey);
      expect(text).toContain('redacted');
    }
    void client.close();
  });

  it('accepts Authorization: Bearer as well as the dashboard header', async () => {
    const client = clientFor(sim, { authScheme: 'bearer', apiKey: () => sim.apiKeys[1] as string });
    const orgs = await client.get<{ id: string }[]>(org, '/organizations');
    await client.close();
    expect(orgs.map((o) => o.id)).toEqual(sim.orgIds);
    expect(sim.log.entries.at(-1)?.keyIndex).toBe(1);
  });

  // undici checks header/body timeouts on a coarse (~0.5-1 s) timer, so these use 1 s against a 2.5 s stall.
  it('a slow answer becomes a retryable Timeout for a GET, then succeeds on the retry', async () => {
    const client = clientFor(sim, { timeouts: { headersMs: 1_000 }, maxAttempts: 2 });
    sim.setFault({ kind: 'slow', delayMs: 2_500, next: 1, pathIncludes: '/networks' });
    const started = performance.now();
    const res = await client.request({ method: 'GET', orgId: org, path: `/organizations/${org}/networks` });
    expect(res.attempts).toBe(2);
    expect(performance.now() - started).toBeLessThan(2_500);
    sim.setFault({ kind: 'slow', delayMs: 2_500, next: 1, pathIncludes: '/networks' });
    const once = clientFor(sim, { timeouts: { headersMs: 1_000 }, maxAttempts: 1 });
    await expect(once.get(org, `/organizations/${org}/networks`)).rejects.toMatchObject({ name: 'Timeout', kind: 'headers', retryable: true });
    await Promise.all([client.close(), once.close()]);
    sim.clearFaults();
  });

  it('a timed-out POST is a Timeout that says the write may have happened, and is sent once', async () => {
    const network = sim.networkIds(org)[0] as string;
    const client = clientFor(sim, { timeouts: { headersMs: 1_000 }, maxAttempts: 4 });
    sim.setFault({ kind: 'slow', delayMs: 2_500, next: 1, method: 'POST' });
    const err = await client
      .request({ method: 'POST', orgId: org, path: `/networks/${network}/firmwareUpgrades/rollbacks`, body: { reasons: [{ category: 'testing', comment: 'lab' }] } })
      .catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(Timeout);
    expect(err).toMatchObject({ retryable: false });
    expect((err as Error).message).toMatch(/may or may not have happened/);
    // The server applies the stalled POST once it wakes up; still only one arrived.
    await new Promise((r) => setTimeout(r, 1_600));
    expect(sim.log.filter({ method: 'POST' })).toHaveLength(1);
    sim.clearFaults();
  });

  it('a connection refused is retried even for a POST (nothing was sent), then reported', async () => {
    const client = new DashboardClient({
      baseUrl: 'http://127.0.0.1:9/api/v1',
      apiKey: () => 'k',
      limiter: new OrgRateLimiter({ ratePerSec: 1_000, burst: 10 }),
      maxAttempts: 3,
      backoff: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    await expect(client.request({ method: 'POST', orgId: 'o', path: '/x', body: {} })).rejects.toMatchObject({ name: 'ConnectionFailed', code: 'ECONNREFUSED', retryable: true });
    await client.close();
  });

  it('a secret that cannot be resolved fails the activity non-retryably, naming the reference only', async () => {
    const acts = activitiesFor();
    delete process.env['NETOPS_TEST_MISSING_KEY'];
    const run = await runActivity(acts.collectStatusSlice, [{ baseUrl: sim.url, apiKey: { kind: 'env', name: 'NETOPS_TEST_MISSING_KEY' } }, org, { lanes: [{}], spare: [], maxLanes: 1, perPage: 100, maxListed: 10 }]);
    expect(run.error).toMatchObject({ type: 'SecretResolutionError', nonRetryable: true });
    expect((run.error as Error).message).toContain('NETOPS_TEST_MISSING_KEY');
  });
});
