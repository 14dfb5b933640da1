import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// The package's public entry, as another service imports it ('temporal-netops').
import {
  connectNetops,
  deviceWorkflowId,
  inspectImage,
  loadInventory,
  progressQuery,
  RolloutNotFound,
  rolloutWorkflowId,
  selectDevices,
  TASK_QUEUE,
  toDeviceTarget,
  type NetopsConnection,
  type RolloutInput,
} from '../../../src/index';
import { startLabFixture, TEST_TIMINGS, type LabFixture } from '../../support/rollout-fixture';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { buildActivities } from '../../../src/workers/activities';

let conn: NetopsConnection;
let env: TemporalTestEnv;
let fx: LabFixture;

beforeAll(async () => {
  env = await connectTestEnv();
  fx = await startLabFixture({ devices: 2 });
  conn = await connectNetops({ address: inject('temporalAddress'), namespace: 'default', taskQueue: env.taskQueue });
});

afterAll(async () => {
  await conn?.close();
  await env?.close();
  await fx?.stop();
});

describe('temporal-netops as a library', () => {
  it('names things the way the CLI and the workers do', () => {
    expect(TASK_QUEUE).toBe('netops');
    expect(rolloutWorkflowId('core-17.12')).toBe('rollout/core-17.12');
    expect(deviceWorkflowId('r1-a')).toBe('device/r1-a');
    expect(progressQuery.name).toBe('progress');
  });

  it('builds an input from an inventory and runs a rollout through connectNetops', async () => {
    await env.startWorker(buildActivities());
    const inventory = await loadInventory(fx.inventoryPath);
    const devices = selectDevices(inventory, { devices: ['r1-b'] }).map(toDeviceTarget);
    const name = `lib-${randomUUID().slice(0, 8)}`;
    const input: RolloutInput = {
      name,
      job: { kind: 'upgrade', image: await inspectImage(fx.imagePath), rollbackOnFailedPostCheck: true },
      devices,
      sites: inventory.sites,
      settings: { window: 1, expectedDeviceDurationMs: 60_000, respectWindows: false, failureBudget: { count: 0 }, requireApproval: false, dryRun: false, timings: TEST_TIMINGS },
    };
    const handle = await conn.netops.startRollout(input);
    expect(handle.workflowId).toBe(`rollout/${name}`);
    const report = await conn.netops.result(name);
    expect(report.status).toBe('completed');
    expect(report.devices.map((d) => [d.name, d.outcome])).toEqual([['r1-b', 'upgraded']]);
    expect((await conn.netops.listRollouts({ device: 'r1-b' })).map((r) => r.name)).toContain(name);
  });

  it('says which rollout does not exist', async () => {
    await expect(conn.netops.progress('no-such-rollout')).rejects.toBeInstanceOf(RolloutNotFound);
    await expect(conn.netops.pause('no-such-rollout')).rejects.toThrow('no rollout named "no-such-rollout"');
  });

  it('fails to connect with the SDK error, not a CLI exit', async () => {
    await expect(connectNetops({ address: '127.0.0.1:1', connectTimeoutMs: 1000 })).rejects.toThrow();
  });
});
