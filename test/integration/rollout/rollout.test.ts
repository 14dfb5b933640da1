import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetopsClient } from '../../../src/client/netops-client';
import { buildActivities } from '../../../src/workers/activities';
import { TO_VERSION, startLabFixture, type LabFixture } from '../../support/rollout-fixture';
import { expectLabInvariants } from '../../support/rollout-helpers';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

// The product's promise on the happy path: 20 devices in HSRP pairs across
// sites, upgraded in a safe order, each reloaded once, no pair ever dark.
describe('a 20-device rollout with HSRP pairs and sites', () => {
  let env: TemporalTestEnv;
  let fx: LabFixture;
  let netops: NetopsClient;

  beforeAll(async () => {
    env = await connectTestEnv();
    fx = await startLabFixture({ devices: 20, sites: 4 });
    await env.startWorker(buildActivities());
    netops = new NetopsClient(env.client, env.taskQueue);
  });
  afterAll(async () => {
    await env?.close();
    await fx?.stop();
  });

  it('upgrades every device once, standby before active, and never takes a pair down', async () => {
    const input = await fx.input('twenty', { window: 6, perSite: 3, siteConcurrency: 2, canary: { count: 2 } });
    const activesBefore = new Map(fx.lab.devices.filter((d) => d.redundancyGroup).map((d) => [d.name, d.redundancyState]));
    await netops.startRollout(input);
    const report = await netops.result('twenty');

    expect(report.status, JSON.stringify(report.devices.filter((d) => d.error))).toBe('completed');
    expect(report.counts.upgraded).toBe(20);
    for (const d of fx.lab.devices) {
      expect(d.version, d.name).toBe(TO_VERSION);
      expect(d.reloadCount, d.name).toBe(1);
    }
    // Within each pair, the member that was standby went first.
    const started = new Map(report.devices.map((d) => [d.name, d.startedAtMs ?? 0]));
    for (const d of fx.lab.devices) {
      if (activesBefore.get(d.name) !== 'active') continue;
      const peer = fx.lab.devices.find((p) => p.redundancyGroup === d.redundancyGroup && p.name !== d.name)!;
      expect(started.get(peer.name)!, `${peer.name} (standby) before ${d.name} (active)`).toBeLessThan(started.get(d.name)!);
      expect(report.devices.find((r) => r.name === d.name)?.notes?.join(' ')).toMatch(/was active/);
    }
    // Drained priorities came back.
    for (const d of fx.lab.devices) expect(d.priority, d.name).not.toBe(50);
    expectLabInvariants(fx);
  });

  it('a second rollout to the same version changes nothing and says so', async () => {
    const reloads = fx.lab.devices.map((d) => d.reloadCount);
    await netops.startRollout(await fx.input('twenty-again', { window: 10 }));
    const report = await netops.result('twenty-again');
    expect(report.status).toBe('completed');
    expect(report.counts['already-current']).toBe(20);
    expect(fx.lab.devices.map((d) => d.reloadCount)).toEqual(reloads);
  });

  it('is listed, and found by the devices it touched', async () => {
    const all = await netops.listRollouts();
    expect(all.map((r) => r.name)).toEqual(expect.arrayContaining(['twenty', 'twenty-again']));
    const touching = await netops.listRollouts({ device: 'r3-a' });
    expect(touching.map((r) => r.name)).toEqual(expect.arrayContaining(['twenty', 'twenty-again']));
    const none = await netops.listRollouts({ device: 'not-a-device' });
    expect(none).toEqual([]);
  });
});
