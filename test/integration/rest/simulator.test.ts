import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from '../dashboard/contract';

describe('dashboard simulator', () => {
  let sim: DashboardSim | undefined;
  afterEach(async () => {
    if (sim) assertContract(sim.log.entries);
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

  it('a firmware upgrade scheduled with PUT runs at its time: the devices reboot (offline), then report the new version', async () => {
    // 600 simulated seconds of reboot at 300x: 2 s of real time, long enough to look at on a loaded host.
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 1, devicesPerNetwork: 9, timeScale: 300, seed: 5, productTypes: ['switch'] });
    const org = sim.orgIds[0] as string;
    const net = sim.networkIds(org)[0] as string;
    const fw = async () => (await get(`/networks/${net}/firmwareUpgrades`)).body as { products: { switch: { currentVersion: { id: string }; nextUpgrade?: { toVersion: { id: string } }; lastUpgrade?: { fromVersion: { id: string }; toVersion: { id: string } } } } };
    expect((await fw()).products.switch).toMatchObject({ currentVersion: { id: '3015' } });
    expect((await fw()).products.switch.nextUpgrade).toBeUndefined();
    const put = await request(`${sim.url}/networks/${net}/firmwareUpgrades`, {
      method: 'PUT',
      headers: { 'x-cisco-meraki-api-key': sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ products: { switch: { nextUpgrade: { time: new Date().toISOString(), toVersion: { id: '3017' } } } } }),
    });
    expect(put.statusCode).toBe(200);
    await put.body.dump();
    const offline = async () => ((await get(`/organizations/${org}/devices/availabilities?perPage=1000`)).body as { status: string }[]).filter((d) => d.status === 'offline').length;
    expect((await fw()).products.switch).toMatchObject({ currentVersion: { id: '3015' }, nextUpgrade: { toVersion: { id: '3017' } } });
    // Every device rebooting, bar a dormant one (it stays dormant).
    const dormant = ((await get(`/organizations/${org}/devices/availabilities?perPage=1000`)).body as { status: string }[]).filter((d) => d.status === 'dormant').length;
    expect(await offline()).toBe(9 - dormant);
    const deadline = Date.now() + 15_000;
    while ((await fw()).products.switch.currentVersion.id !== '3017' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await offline()).toBeLessThan(9 - dormant);
    const done = (await fw()).products.switch;
    expect(done).toMatchObject({ currentVersion: { id: '3017' }, lastUpgrade: { fromVersion: { id: '3015' }, toVersion: { id: '3017' } } });
    expect(done.nextUpgrade).toBeUndefined();
    const devices = (await get(`/organizations/${org}/devices`)).body as { firmware: string }[];
    expect(devices.every((d) => d.firmware === 'switch-17-1-4')).toBe(true);
  });

  it('refuses what the dashboard refuses: the running version, a downgrade by PUT, a version it does not offer', async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 1, devicesPerNetwork: 3, seed: 5, productTypes: ['switch'] });
    const net = sim.networkIds()[0] as string;
    const put = async (id: string) => {
      const res = await request(`${sim?.url}/networks/${net}/firmwareUpgrades`, {
        method: 'PUT',
        headers: { 'x-cisco-meraki-api-key': sim?.apiKey ?? '', 'content-type': 'application/json' },
        body: JSON.stringify({ products: { switch: { nextUpgrade: { toVersion: { id } } } } }),
      });
      return { status: res.statusCode, body: (await res.body.json()) as { errors?: string[] } };
    };
    expect(await put('3015')).toEqual({ status: 400, body: { errors: ['The network already runs MS 15.21'] } });
    expect(await put('2030')).toEqual({ status: 400, body: { errors: ["Invalid firmware version id '2030' for product 'switch'"] } });
    expect((await put('3016')).status).toBe(200);
  });
});
