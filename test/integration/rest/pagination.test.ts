import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForeignLink } from '../../../src/devices/rest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from '../dashboard/contract';
import { clientFor } from './helpers';

describe('pagination against the dashboard simulator', () => {
  let sim: DashboardSim;
  beforeAll(async () => {
    sim = await startDashboardSim({ orgs: 2, networksPerOrg: 4, devicesPerNetwork: 250, rateLimitPerSec: 1_000, seed: 7 });
  });
  afterAll(async () => {
    assertContract(sim.log.entries.filter((e) => !e.path.includes('perPage=5000')));
    await sim.stop();
  });

  it('walks 1,000 device availabilities in pages of 50 and returns each device exactly once', async () => {
    const client = clientFor(sim);
    const org = sim.orgIds[0] as string;
    const serials: string[] = [];
    let pages = 0;
    for await (const page of client.pages<{ serial: string }>({ orgId: org, path: `/organizations/${org}/devices/availabilities`, perPage: 50 })) {
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(50);
      serials.push(...page.items.map((d) => d.serial));
    }
    await client.close();
    expect(pages).toBe(20);
    expect(serials).toHaveLength(1_000);
    expect(new Set(serials).size).toBe(1_000);
    expect(new Set(serials)).toEqual(new Set(sim.devices(org).map((d) => d.serial)));
    expect(sim.log.filter({ orgId: org, pathIncludes: 'availabilities' })).toHaveLength(20);
  });

  it('keeps filters on every page and resumes from a saved next link', async () => {
    const client = clientFor(sim);
    const org = sim.orgIds[1] as string;
    const network = sim.networkIds(org)[2] as string;
    const req = { orgId: org, path: `/organizations/${org}/devices`, perPage: 40, query: { networkIds: [network] } };
    const first = await client.pages<{ serial: string; networkId: string }>(req).next();
    const saved = first.value?.next;
    expect(saved).toMatch(/startingAfter=/);
    const rest: { serial: string; networkId: string }[] = [];
    for await (const item of client.items<{ serial: string; networkId: string }>({ ...req, from: saved })) rest.push(item);
    await client.close();
    const all = [...(first.value?.items ?? []), ...rest];
    expect(all).toHaveLength(250);
    expect(all.every((d) => d.networkId === network)).toBe(true);
    expect(new Set(all.map((d) => d.serial)).size).toBe(250);
  });

  it('refuses to follow a next link to another origin (it would carry the API key there)', async () => {
    const client = clientFor(sim);
    const org = sim.orgIds[0] as string;
    const walk = client.items({ orgId: org, path: `/organizations/${org}/devices`, from: 'http://198.51.100.7/api/v1/organizations/x/devices' });
    await expect(walk.next()).rejects.toBeInstanceOf(ForeignLink);
    await client.close();
    expect(sim.log.filter({ pathIncludes: '/organizations/x/' })).toHaveLength(0);
  });

  it('answers a bad perPage with BadRequest carrying the API error text', async () => {
    const client = clientFor(sim);
    const org = sim.orgIds[0] as string;
    await expect(client.get(org, `/organizations/${org}/devices`, { perPage: 5000 })).rejects.toMatchObject({
      name: 'BadRequest',
      retryable: false,
      apiErrors: ["'perPage' must be an integer between 3 and 1000"],
    });
    await client.close();
  });
});
