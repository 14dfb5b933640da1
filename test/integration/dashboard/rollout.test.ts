import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetopsClient } from '../../../src/client/netops-client';
import type { DashboardSim } from '../../../src/lab/dashboard';
import { DashboardClient, RateLimited } from '../../../src/devices/rest';
import { startDashboardEnv, type DashboardEnv } from './helpers';
import { firmwareRollout, NEW_FIRMWARE, schedulePosts, startFirmwareSim } from './fixture';

async function firmwareOf(sim: DashboardSim, orgId: string): Promise<Map<string, string[]>> {
  const client = new DashboardClient({ baseUrl: sim.url, apiKey: () => sim.apiKey, ratePerSec: 100, burst: 100 });
  try {
    // The rollout's last polls may have spent the organisation's budget: wait out a 429 like any client.
    const devices = await readWaitingOut429(() => client.get<{ networkId: string; firmware: string }[]>(orgId, `/organizations/${orgId}/devices`, { perPage: 1000 }));
    const byNetwork = new Map<string, string[]>();
    for (const d of devices) byNetwork.set(d.networkId, [...(byNetwork.get(d.networkId) ?? []), d.firmware]);
    return byNetwork;
  } finally {
    await client.close();
  }
}

describe('firmware rollout of dashboard networks on the rollout engine', () => {
  let de: DashboardEnv;
  let netops: NetopsClient;
  const sims: DashboardSim[] = [];
  beforeAll(async () => {
    // The org ids of the simulator do not depend on its seed: one set of per-org workers serves every test's simulator.
    de = await startDashboardEnv({ orgs: 2, networksPerOrg: 1, devicesPerNetwork: 1 });
    await de.startOrgWorkers(10);
    netops = new NetopsClient(de.env.client, de.env.taskQueue);
  });
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await de?.stop();
  });

  it('12 networks, one fails: budget 0 stops the rollout, the failed network is rolled back, networks not started stay untouched', async () => {
    const { sim, dashboard } = await startFirmwareSim();
    sims.push(sim);
    const org = sim.orgIds[0] as string;
    const failing = sim.networkIds(org)[1] as string;
    sim.setFault({ kind: 'upgrade-fails', networkId: failing });
    const input = firmwareRollout('fw-budget', sim, dashboard, { window: 2 });
    expect(input.devices).toHaveLength(12);
    await netops.startRollout(input);
    const report = await netops.result('fw-budget');

    expect(report.status).toBe('failed');
    expect(report.stopReason).toMatch(/failure budget/);
    const failed = report.devices.find((d) => d.name.endsWith(failing));
    expect(failed).toMatchObject({ outcome: 'rolled-back', error: { type: 'UpgradeFailed' } });
    const upgraded = report.devices.filter((d) => d.outcome === 'upgraded');
    const notStarted = report.devices.filter((d) => d.outcome === 'skipped' && d.attempts === 0);
    expect(notStarted.length).toBeGreaterThanOrEqual(6);
    expect(upgraded.length + notStarted.length + 1).toBe(12);

    const firmware = new Map([...(await firmwareOf(sim, sim.orgIds[0] as string)), ...(await firmwareOf(sim, sim.orgIds[1] as string))]);
    for (const d of notStarted) {
      const networkId = d.name.replace('fw-budget-', '');
      expect(schedulePosts(sim, networkId), networkId).toHaveLength(0);
      expect(firmware.get(networkId)?.includes(NEW_FIRMWARE)).toBe(false);
    }
    for (const d of upgraded) expect(firmware.get(d.name.replace('fw-budget-', ''))?.every((f) => f === NEW_FIRMWARE)).toBe(true);
    // Rolled back: the failing network runs its old firmware, and its event says so.
    expect(firmware.get(failing)?.includes(NEW_FIRMWARE)).toBe(false);
    expect(sim.log.filter({ method: 'POST', pathIncludes: `${failing}/firmwareUpgrades/staged/events/rollbacks` })).toHaveLength(1);
  });

  it('a 429 storm during the rollout is absorbed: every network upgraded, exactly one applied POST each', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 6 });
    sims.push(sim);
    const input = firmwareRollout('fw-storm', sim, dashboard, { window: 4 });
    await netops.startRollout(input);
    // Once networks are under way, every request to the first organisation is refused for 2 s.
    await waitUntil(() => sim.log.filter({ method: 'POST' }).length >= 2);
    sim.setFault({ kind: 'storm', durationMs: 2_000, orgId: sim.orgIds[0], retryAfterSec: 1 });
    const report = await netops.result('fw-storm');

    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(12);
    expect(sim.log.filter({ status: 429 }).length).toBeGreaterThan(0);
    for (const d of report.devices) {
      const applied = schedulePosts(sim, d.name.replace('fw-storm-', '')).filter((e) => e.status !== 429);
      expect(applied.map((e) => e.status), d.name).toEqual([201]);
    }
  });

  it('a 5xx on the scheduling POST is not retried blindly: the next attempt reads first and does not schedule twice', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 8, orgs: 1, networksPerOrg: 2 });
    sims.push(sim);
    const [applied, refused] = sim.networkIds() as [string, string];
    // First network: the dashboard applies the POST, then answers 502. Second: 503 before applying.
    sim.setFault({ kind: 'server-error', status: 502, next: 1, method: 'POST', pathIncludes: `${applied}/firmwareUpgrades`, when: 'after' });
    sim.setFault({ kind: 'server-error', status: 503, next: 1, method: 'POST', pathIncludes: `${refused}/firmwareUpgrades`, when: 'before' });
    const report = await netops.startRollout(firmwareRollout('fw-5xx', sim, dashboard)).then(() => netops.result('fw-5xx'));

    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(2);
    // Applied-then-502: one POST only; the retry's read found the event carrying our idempotency key.
    expect(schedulePosts(sim, applied).map((e) => e.status)).toEqual([502]);
    // Refused with 503: posted again, but only after a read showed nothing was scheduled.
    expect(schedulePosts(sim, refused).map((e) => e.status)).toEqual([503, 201]);
    const calls = sim.log.entries.filter((e) => e.path.includes(`/networks/${refused}/firmwareUpgrades`)).map((e) => `${e.method} ${e.status}`);
    expect(calls.slice(0, 4)).toEqual(['GET 200', 'POST 503', 'GET 200', 'POST 201']);
  });
});

async function readWaitingOut429<T>(read: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof RateLimited)) throw err;
      await new Promise((r) => setTimeout(r, err.retryAfterMs));
    }
  }
}

async function waitUntil(pred: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
