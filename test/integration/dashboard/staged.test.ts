import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetopsClient } from '../../../src/client/netops-client';
import type { DashboardSim, SimStagedGroup } from '../../../src/lab/dashboard';
import { DashboardClient, RateLimited } from '../../../src/devices/rest';
import { waitForProgress } from '../../support/rollout-helpers';
import { assertContract } from './contract';
import { startDashboardEnv, type DashboardEnv } from './helpers';
import { firmwareRollout, NEW_FIRMWARE_NAME, OLD_FIRMWARE, schedulePuts, startFirmwareSim } from './fixture';

/**
 * Staged upgrades of switch networks (`--staged`) on the rollout engine,
 * through the API's staged calls: the network's pre-built groups in their
 * stage order, one staged event per network, each stage's switches checked
 * before the next runs, rollback and defer as the API defines them.
 */

const networkOf = (rollout: string, deviceName: string) => deviceName.slice(rollout.length + 1);

interface StageView {
  group: { id: string; name?: string };
  milestones: { scheduledFor: string; startedAt?: string; completedAt?: string; canceledAt?: string };
  status?: string;
}
interface EventView {
  products?: { switch?: { nextUpgrade?: { toVersion?: { id: string } } } };
  stages: StageView[];
  reasons?: { category: string; comment: string }[];
}

/** What any client reads of the network: its staged event, and the firmware every switch reports. */
async function readNetwork(sim: DashboardSim, networkId: string): Promise<{ event: EventView; firmware: Map<string, string> }> {
  const orgId = sim.devices().find((d) => d.networkId === networkId)?.organizationId as string;
  const client = new DashboardClient({ baseUrl: sim.url, apiKey: () => sim.apiKey, ratePerSec: 100, burst: 100 });
  try {
    const event = await waitingOut429(() => client.get<EventView>(orgId, `/networks/${networkId}/firmwareUpgrades/staged/events`));
    const devices = await waitingOut429(() => client.get<{ serial: string; firmware: string }[]>(orgId, `/organizations/${orgId}/devices`, { perPage: 1000, networkIds: [networkId] }));
    return { event, firmware: new Map(devices.map((d) => [d.serial, d.firmware])) };
  } finally {
    await client.close();
  }
}

const stagedPosts = (sim: DashboardSim, networkId: string, suffix = '') => sim.log.filter({ method: 'POST' }).filter((e) => e.apiPath === `/networks/${networkId}/firmwareUpgrades/staged/events${suffix}`);

describe('staged firmware rollout of switch networks (Meraki API v1 firmwareUpgrades/staged)', () => {
  let de: DashboardEnv;
  let netops: NetopsClient;
  const sims: DashboardSim[] = [];
  beforeAll(async () => {
    de = await startDashboardEnv({ orgs: 2, networksPerOrg: 1, devicesPerNetwork: 1 });
    await de.startOrgWorkers(10);
    netops = new NetopsClient(de.env.client, de.env.taskQueue);
  });
  afterAll(async () => {
    for (const sim of sims) assertContract(sim.log.entries);
    await Promise.all(sims.map((s) => s.stop()));
    await de?.stop();
  });

  it('canary network and approval; within each network the canary group runs before the default group, one staged event each, no network-wide PUT', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 21, orgs: 1, networksPerOrg: 3, devicesPerNetwork: 4 });
    sims.push(sim);
    await netops.startRollout(firmwareRollout('st-canary', sim, dashboard, { canary: { count: 1 }, requireApproval: true, window: 3 }, { staged: true }));
    const gated = await waitForProgress(netops, 'st-canary', (p) => p.status === 'awaiting-approval');
    const canary = networkOf('st-canary', gated.canary[0] as string);
    const seen = await readNetwork(sim, canary);
    expect(seen.event.stages.map((s) => [s.group.name, s.status])).toEqual([
      ['Canary', 'Completed'],
      ['Everything else', 'Completed'],
    ]);
    const [first, second] = seen.event.stages as [StageView, StageView];
    expect(Date.parse(second.milestones.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first.milestones.completedAt ?? ''));
    expect([...seen.firmware.values()].every((f) => f === NEW_FIRMWARE_NAME)).toBe(true);
    for (const other of sim.networkIds().filter((n) => n !== canary)) {
      expect(stagedPosts(sim, other), other).toHaveLength(0);
      expect([...(await readNetwork(sim, other)).firmware.values()].every((f) => f === OLD_FIRMWARE.firmware)).toBe(true);
    }

    await netops.approve('st-canary');
    const report = await netops.result('st-canary');
    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(3);
    for (const networkId of sim.networkIds()) {
      const posts = stagedPosts(sim, networkId);
      expect(posts.map((e) => e.status), networkId).toEqual([200]);
      const groups = sim.stagedGroups(networkId);
      expect(posts[0]?.requestBody).toEqual({
        products: { switch: { nextUpgrade: { toVersion: { id: '3017' } } } },
        stages: groups.map((g) => ({ group: { id: g.groupId }, milestones: { scheduledFor: expect.stringMatching(/Z$/) } })),
      });
      expect(schedulePuts(sim, networkId)).toHaveLength(0);
    }
    const notes = report.devices.find((d) => networkOf('st-canary', d.name) === canary)?.notes?.join('\n') ?? '';
    expect(notes).toMatch(/stage 1\/2 \(Canary, 1 switch\(es\)\) done/);
    expect(notes).toMatch(/stage 2\/2 \(Everything else, default group\) done/);
  });

  it('a switch of the canary group misses the firmware: the later stage never runs, the event is rolled back once, the switches run the old version', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 22, orgs: 1, networksPerOrg: 1, devicesPerNetwork: 4 });
    sims.push(sim);
    const [network] = sim.networkIds() as [string];
    const [canaryGroup, restGroup] = sim.stagedGroups(network) as [SimStagedGroup, SimStagedGroup];
    const lagging = canaryGroup.serials[0] as string;
    sim.setFault({ kind: 'device-misses-upgrade', serial: lagging });
    // Stages ten (simulated) hours apart: the second is still pending when the first's check fails.
    await netops.startRollout(firmwareRollout('st-fail', sim, dashboard, { failureBudget: { count: 1 } }, { staged: true, stageIntervalMs: 10 * 3600_000 }));
    const report = await netops.result('st-fail');

    const failed = report.devices[0];
    expect(failed).toMatchObject({ outcome: 'rolled-back', versionAfter: 'MS 15.21', error: { type: 'FirmwareNotReported' } });
    expect(failed?.error?.message).toContain(lagging);
    expect(failed?.error?.message).toMatch(/stage 1\/2 \(Canary/);
    const rollbacks = stagedPosts(sim, network, '/rollbacks');
    expect(rollbacks.map((e) => e.status)).toEqual([200]);
    expect(rollbacks[0]?.requestBody).toMatchObject({ stages: [{ group: { id: canaryGroup.groupId } }], reasons: [{ category: 'other' }] });
    const { event, firmware } = await readNetwork(sim, network);
    expect(event.reasons?.[0]?.comment).toMatch(/st-fail/);
    expect(event.stages.find((s) => s.group.id === restGroup.groupId)?.milestones.canceledAt).toBeDefined();
    expect(event.stages.find((s) => s.group.id === canaryGroup.groupId)?.status).toBe('Completed');
    expect([...firmware.values()].every((f) => f === OLD_FIRMWARE.firmware)).toBe(true);
  });

  it('a network without staged groups is refused before anything is scheduled, saying how to create them', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 23, orgs: 1, networksPerOrg: 2, devicesPerNetwork: 3 });
    sims.push(sim);
    const [bare, ready] = sim.networkIds() as [string, string];
    sim.clearStagedGroups(bare);
    const report = await netops.startRollout(firmwareRollout('st-bare', sim, dashboard, { failureBudget: { count: 1 } }, { staged: true })).then(() => netops.result('st-bare'));

    const refused = report.devices.find((d) => networkOf('st-bare', d.name) === bare);
    expect(refused).toMatchObject({ outcome: 'failed', error: { type: 'NoStagedGroups' } });
    expect(refused?.error?.message).toMatch(/has no staged upgrade groups; create its staged upgrade groups in the dashboard/);
    expect(refused?.error?.message).toMatch(/POST \/networks\/\{networkId\}\/firmwareUpgrades\/staged\/groups/);
    expect(sim.log.entries.filter((e) => e.method !== 'GET' && e.apiPath.startsWith(`/networks/${bare}/`))).toEqual([]);
    expect(report.devices.find((d) => networkOf('st-bare', d.name) === ready)?.outcome).toBe('upgraded');
  });

  it('a 429 storm while networks schedule and follow their stages is absorbed: every network upgraded, exactly one applied staged event each', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 24, orgs: 1, networksPerOrg: 4, devicesPerNetwork: 3 });
    sims.push(sim);
    await netops.startRollout(firmwareRollout('st-storm', sim, dashboard, { window: 4 }, { staged: true }));
    await waitUntil(() => sim.log.entries.some((e) => e.apiPath.endsWith('/staged/stages')));
    sim.setFault({ kind: 'storm', durationMs: 2_000, orgId: sim.orgIds[0], retryAfterSec: 1 });
    const report = await netops.result('st-storm');

    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(4);
    expect(sim.log.filter({ status: 429 }).length).toBeGreaterThan(0);
    for (const networkId of sim.networkIds()) expect(stagedPosts(sim, networkId).filter((e) => e.status !== 429).map((e) => e.status), networkId).toEqual([200]);
  });

  it('an abort defers the stages not yet run by a week (once) and rolls nothing back; with stagedAbort "rollback" the event is rolled back instead', async () => {
    const { sim, dashboard } = await startFirmwareSim({ seed: 25, orgs: 1, networksPerOrg: 2, devicesPerNetwork: 3 });
    sims.push(sim);
    const [deferred, rolled] = sim.networkIds() as [string, string];
    const canaryDone = (networkId: string) => () =>
      sim.log.entries.some((e) => e.apiPath === `/networks/${networkId}/firmwareUpgrades/staged/events` && e.method === 'GET' && ((e.responseBody as EventView).stages?.[0]?.milestones.completedAt ?? '') !== '');
    // A thousand simulated hours between stages: the second stage waits while the operator aborts.
    const job = { staged: true, stageIntervalMs: 1000 * 3600_000 };
    const one = (name: string, networkId: string, extra: object) => ({ ...firmwareRollout(name, sim, dashboard, {}, { ...job, ...extra }), devices: firmwareRollout(name, sim, dashboard).devices.filter((d) => d.name.endsWith(networkId)) });

    await netops.startRollout(one('st-defer', deferred, {}));
    await waitUntil(canaryDone(deferred), 60_000);
    await netops.abort('st-defer', 'test: stop the staged upgrade');
    const deferReport = await netops.result('st-defer');
    expect(deferReport.status).toBe('aborted');
    const defers = stagedPosts(sim, deferred, '/defer');
    expect(defers.map((e) => e.status)).toEqual([200]);
    expect(stagedPosts(sim, deferred, '/rollbacks')).toHaveLength(0);
    const scheduled = (stagedPosts(sim, deferred)[0]?.requestBody as { stages: { milestones: { scheduledFor: string } }[] }).stages[1]?.milestones.scheduledFor as string;
    const now = (await readNetwork(sim, deferred)).event.stages[1]?.milestones.scheduledFor as string;
    expect(Date.parse(now) - Date.parse(scheduled)).toBe(7 * 24 * 3600_000);

    await netops.startRollout(one('st-abort-rb', rolled, { stagedAbort: 'rollback' }));
    await waitUntil(canaryDone(rolled), 60_000);
    await netops.abort('st-abort-rb', 'test: undo the staged upgrade');
    expect((await netops.result('st-abort-rb')).status).toBe('aborted');
    await waitUntil(() => stagedPosts(sim, rolled, '/rollbacks').length > 0, 30_000);
    expect(stagedPosts(sim, rolled, '/rollbacks').map((e) => e.status)).toEqual([200]);
    expect(stagedPosts(sim, rolled, '/defer')).toHaveLength(0);
    const after = await readNetwork(sim, rolled);
    expect(after.event.reasons?.[0]?.comment).toMatch(/aborted by the operator/);
  });
});

async function waitingOut429<T>(read: () => Promise<T>): Promise<T> {
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
