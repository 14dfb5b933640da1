import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';

describe('dashboard simulator', () => {
  let sim: DashboardSim | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  const get = async (path: string, headers: Record<string, string> = { 'x-cisco-meraki-api-key': sim?.apiKey ?? '' }) => {
    const res = await request(`${sim?.url}${path}`, { headers });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as unknown };
  };

  it('starts quickly with 5,000 devices in 10 organisations', async () => {
    const t0 = performance.now();
    sim = await startDashboardSim({ orgs: 10, networksPerOrg: 10, devicesPerNetwork: 50, seed: 1 });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(sim.orgIds).toHaveLength(10);
    expect(sim.devices()).toHaveLength(5_000);
    expect(new Set(sim.devices().map((d) => d.serial)).size).toBe(5_000);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  });

  it('builds the same fleet from the same seed', async () => {
    sim = await startDashboardSim({ seed: 99 });
    const first = sim.devices().map((d) => d.serial);
    await sim.stop();
    sim = await startDashboardSim({ seed: 99 });
    expect(sim.devices().map((d) => d.serial)).toEqual(first);
  });

  it('answers 401 without a valid key and logs it', async () => {
    sim = await startDashboardSim({});
    expect((await get('/organizations', {})).status).toBe(401);
    expect((await get('/organizations', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(sim.log.filter({ status: 401 })).toHaveLength(2);
  });

  it('enforces the org budget with whole-second Retry-After and lets other orgs through', async () => {
    sim = await startDashboardSim({ orgs: 2, rateLimitPerSec: 5 });
    const [a, b] = sim.orgIds as [string, string];
    const statuses = await Promise.all(Array.from({ length: 8 }, () => get(`/organizations/${a}`)));
    expect(statuses.filter((r) => r.status === 200)).toHaveLength(5);
    const limited = statuses.find((r) => r.status === 429);
    expect(limited?.headers['retry-after']).toBe('1');
    expect(limited?.body).toEqual({ errors: ['API rate limit exceeded for organization'] });
    expect((await get(`/organizations/${b}`)).status).toBe(200);
  });

  it('a storm covers its window only', async () => {
    sim = await startDashboardSim({});
    const org = sim.orgIds[0] as string;
    sim.setFault({ kind: 'storm', durationMs: 200 });
    expect((await get(`/organizations/${org}`)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 250));
    expect((await get(`/organizations/${org}`)).status).toBe(200);
  });

  it('an upgrade advances stage by stage with simulated time; the stage being upgraded reports offline', async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 1, devicesPerNetwork: 9, timeScale: 3_000, seed: 5 });
    const org = sim.orgIds[0] as string;
    const net = sim.networkIds(org)[0] as string;
    const post = await request(`${sim.url}/networks/${net}/firmwareUpgrades/staged/events`, {
      method: 'POST',
      headers: { 'x-cisco-meraki-api-key': sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ toVersion: { shortName: 'MS 16.8' }, stages: 3, stageDurationSec: 600 }),
    });
    expect(post.statusCode).toBe(201);
    await post.body.dump();
    const offline = async () => ((await get(`/organizations/${org}/devices/statuses?perPage=1000`)).body as { status: string }[]).filter((d) => d.status === 'offline').length;
    // 600 simulated seconds per stage = 200 ms real; look in the middle of stage 2.
    await new Promise((r) => setTimeout(r, 300));
    const mid = (await get(`/networks/${net}/firmwareUpgrades/staged/events`)).body as { status: string; progress: { upgradedDevices: number }; stages: { status: string }[] };
    expect(mid.status).toBe('inProgress');
    expect(mid.progress.upgradedDevices).toBe(3);
    expect(mid.stages.map((s) => s.status)).toEqual(['completed', 'inProgress', 'scheduled']);
    const offlineDuring = await offline();
    await new Promise((r) => setTimeout(r, 450));
    expect(offlineDuring).toBeGreaterThan(await offline());
    const done = (await get(`/networks/${net}/firmwareUpgrades/staged/events`)).body as { status: string; progress: { upgradedDevices: number } };
    expect(done).toMatchObject({ status: 'completed', progress: { upgradedDevices: 9 } });
  });
});
