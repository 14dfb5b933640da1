import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetopsClient } from '../../../src/client/netops-client';
import type { DashboardSim } from '../../../src/lab/dashboard';
import { DashboardClient, RateLimited } from '../../../src/devices/rest';
import { waitForProgress } from '../../support/rollout-helpers';
import { assertContract } from './contract';
import { startDashboardEnv, type DashboardEnv } from './helpers';
import { firmwareRollout, NEW_FIRMWARE_NAME, OLD_FIRMWARE, rollbackPosts, schedulePuts, startFirmwareSim } from './fixture';

/** Network id -> the `firmware` every device of it reports, as the dashboard's device list shows it. */
async function firmwareOf(sim: DashboardSim): Promise<Map<string, string[]>> {
  const client = new DashboardClient({ baseUrl: sim.url, apiKey: () => sim.apiKey, ratePerSec: 100, burst: 100 });
  const byNetwork = new Map<string, string[]>();
  try {
    for (const orgId of sim.orgIds) {
      // The rollout's last reads may have spent the organisation's budget: wait out a 429 like any client.
      const devices = await readWaitingOut429(() => client.get<{ networkId: string; firmware: string }[]>(orgId, `/organizations/${orgId}/devices`, { perPage: 1000 }));
      for (const d of devices) byNetwork.set(d.networkId, [...(byNetwork.get(d.networkId) ?? []), d.firmware]);
    }
    return byNetwork;
  } finally {
    await client.close();
  }
}

const networkOf = (rollout: string, deviceName: string) => deviceName.slice(rollout.length + 1);

describe('firmware rollout of dashboard networks on the rollout engine (Meraki API v1 firmwareUpgrades)', () => {
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
    // Every request the client sent and every answer the simulator gave, held to the spec extract.
    for (const sim of sims) assertContract(sim.log.entries);
    await Promise.all(sims.map((s) => s.stop()));
    await de?.stop();
  });

  it('12 networks, one upgrade does not take: budget 0 stops the rollout, networks not started stay untouched', async () => {
    const { sim, dashboard } = await startFirmwareSim();
    sims.push(sim);
    const failing = sim.networkIds(sim.orgIds[0])[1] as string;
    sim.setFault({ kind: 'upgrade-fails', networkId: failing });
    const input = firmwareRollout('fw-budget', sim, dashboard, { window: 2 });
    expect(input.devices).toHaveLength(12);
    await netops.startRollout(input);
    const report = await netops.result('fw-budget');

    expect(report.status).toBe('failed');
    expect(report.stopReason).toMatch(/failure budget/);
    const failed = report.devices.find((d) => networkOf('fw-budget', d.name) === failing);
    // The network still runs the old version with nothing pending: nothing to roll back, and nothing was sent.
    expect(failed).toMatchObject({ outcome: 'rolled-back', error: { type: 'UpgradeFailed' } });
    expect(failed?.error?.message).toMatch(/did not take: the network still runs MS 15\.21 and no upgrade is pending/);
    expect(rollbackPosts(sim, failing)).toHaveLength(0);
    const upgraded = report.devices.filter((d) => d.outcome === 'upgraded');
    const notStarted = report.devices.filter((d) => d.outcome === 'skipped' && d.attempts === 0);
    expect(notStarted.length).toBeGreaterThanOrEqual(6);
    expect(upgraded.length + notStarted.length + 1).toBe(12);

    const firmware = await firmwareOf(sim);
    for (const d of notStarted) {
      const networkId = networkOf('fw-budget', d.name);
      expect(schedulePuts(sim, networkId), networkId).toHaveLength(0);
      expect(firmware.get(networkId)?.every((f) => f === OLD_FIRMWARE.firmware)).toBe(true);
    }
    for (const d of upgraded) {
      expect(d).toMatchObject({ versionBefore: 'MS 15.21', versionAfter: 'MS 17.1.4' });
      expect(firmware.get(networkOf('fw-budget', d.name))?.every((f) => f === NEW_FIRMWARE_NAME)).toBe(true);
    }
    expect(firmware.get(failing)?.every((f) => f === OLD_FIRMWARE.firmware)).toBe(true);
  });

  it('canary and approval: one network upgrades, the rest wait untouched until approved, then all upgrade', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 9, orgs: 1, networksPerOrg: 4 });
    sims.push(sim);
    await netops.startRollout(firmwareRollout('fw-canary', sim, dashboard, { canary: { count: 1 }, requireApproval: true, window: 4 }));
    const gated = await waitForProgress(netops, 'fw-canary', (p) => p.status === 'awaiting-approval');
    expect(gated.canary).toHaveLength(1);
    const canary = networkOf('fw-canary', gated.canary[0] as string);
    const firmware = await firmwareOf(sim);
    expect(firmware.get(canary)?.every((f) => f === NEW_FIRMWARE_NAME)).toBe(true);
    for (const other of sim.networkIds().filter((n) => n !== canary)) {
      expect(schedulePuts(sim, other), other).toHaveLength(0);
      expect(firmware.get(other)?.every((f) => f === OLD_FIRMWARE.firmware)).toBe(true);
    }

    await netops.approve('fw-canary');
    const report = await netops.result('fw-canary');
    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(4);
    for (const networkId of sim.networkIds()) expect(schedulePuts(sim, networkId).map((e) => e.status), networkId).toEqual([200]);
  });

  it('a device that misses the new firmware fails its network\'s post-check: the network is rolled back once, to the version it ran', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 12, orgs: 1, networksPerOrg: 3 });
    sims.push(sim);
    const bad = sim.networkIds()[2] as string;
    const lagging = sim.devices().find((d) => d.networkId === bad)?.serial as string;
    sim.setFault({ kind: 'device-misses-upgrade', serial: lagging });
    const report = await netops.startRollout(firmwareRollout('fw-rollback', sim, dashboard, { failureBudget: { count: 1 }, window: 1 })).then(() => netops.result('fw-rollback'));

    // Within the budget of one: the others went on; a rollout with a failed network ends 'failed' all the same.
    expect(report.status).toBe('failed');
    expect(report.stopReason ?? '').not.toMatch(/failure budget/);
    expect(report.counts.upgraded).toBe(2);
    const failed = report.devices.find((d) => networkOf('fw-rollback', d.name) === bad);
    expect(failed).toMatchObject({ outcome: 'rolled-back', versionAfter: 'MS 15.21', error: { type: 'FirmwareNotReported' } });
    expect(failed?.error?.message).toContain(lagging);
    const posts = rollbackPosts(sim, bad);
    expect(posts.map((e) => e.status)).toEqual([200]);
    expect(posts[0]?.requestBody).toMatchObject({ product: 'switch', toVersion: { id: '3015' }, reasons: [{ category: 'other' }] });
    const firmware = await firmwareOf(sim);
    // Back on the old version: the device that missed the upgrade and its neighbours alike.
    expect(firmware.get(bad)?.every((f) => f === OLD_FIRMWARE.firmware)).toBe(true);
  });

  it('a 429 storm during the rollout is absorbed: every network upgraded, exactly one applied schedule each', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 6 });
    sims.push(sim);
    await netops.startRollout(firmwareRollout('fw-storm', sim, dashboard, { window: 4 }));
    // Once networks are under way, every request to the first organisation is refused for 2 s.
    await waitUntil(() => sim.log.filter({ method: 'PUT' }).length >= 2);
    sim.setFault({ kind: 'storm', durationMs: 2_000, orgId: sim.orgIds[0], retryAfterSec: 1 });
    const report = await netops.result('fw-storm');

    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(12);
    expect(sim.log.filter({ status: 429 }).length).toBeGreaterThan(0);
    for (const d of report.devices) {
      const applied = schedulePuts(sim, networkOf('fw-storm', d.name)).filter((e) => e.status !== 429);
      expect(applied.map((e) => e.status), d.name).toEqual([200]);
    }
  });

  it('a 5xx on the schedule is not blindly retried: the next attempt reads first and does not schedule twice', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 8, orgs: 1, networksPerOrg: 2 });
    sims.push(sim);
    const [applied, refused] = sim.networkIds() as [string, string];
    // First network: the dashboard applies the PUT, then answers 502. Second: 503 before applying.
    sim.setFault({ kind: 'server-error', status: 502, next: 1, method: 'PUT', pathIncludes: `${applied}/firmwareUpgrades`, when: 'after' });
    sim.setFault({ kind: 'server-error', status: 503, next: 1, method: 'PUT', pathIncludes: `${refused}/firmwareUpgrades`, when: 'before' });
    const report = await netops.startRollout(firmwareRollout('fw-5xx', sim, dashboard)).then(() => netops.result('fw-5xx'));

    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(2);
    // Applied-then-502: one PUT only; the retry's read found the pending upgrade with its own time.
    expect(schedulePuts(sim, applied).map((e) => e.status)).toEqual([502]);
    // Refused with 503: sent again, but only after a read showed nothing was scheduled.
    expect(schedulePuts(sim, refused).map((e) => e.status)).toEqual([503, 200]);
    const calls = sim.log.entries.filter((e) => e.apiPath === `/networks/${refused}/firmwareUpgrades`).map((e) => `${e.method} ${e.status}`);
    expect(calls.slice(0, 5)).toEqual(['GET 200', 'GET 200', 'PUT 503', 'GET 200', 'PUT 200']);
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
