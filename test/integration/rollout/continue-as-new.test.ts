import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetopsClient } from '../../../src/client/netops-client';
import { buildActivities } from '../../../src/workers/activities';
import { rolloutWorkflowId } from '../../../src/contracts/rollout';
import { TO_VERSION, startLabFixture, type LabFixture } from '../../support/rollout-fixture';
import { expectLabInvariants, waitForProgress } from '../../support/rollout-helpers';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

// Thousands of devices do not fit in one history: the rollout starts a fresh
// run of itself now and then. Nothing may be lost or redone across runs.
describe('continue-as-new', () => {
  let env: TemporalTestEnv;
  let fx: LabFixture;
  let netops: NetopsClient;

  beforeAll(async () => {
    env = await connectTestEnv();
    fx = await startLabFixture({ devices: 12, sites: 2 });
    await env.startWorker(buildActivities());
    netops = new NetopsClient(env.client, env.taskQueue);
  });
  afterAll(async () => {
    await env?.close();
    await fx?.stop();
  });

  it('carries progress, approval and failures across runs and finishes exactly once per device', async () => {
    fx.lab.setFault('r6-b', { kind: 'auth-failure' });
    // 100 events is the least the input schema accepts; 12 devices need several times that.
    const input = await fx.input('can', { window: 3, historyEventLimit: 100, canary: { count: 1 }, requireApproval: true, failureBudget: { count: 1 } });
    await netops.startRollout(input);
    await waitForProgress(netops, 'can', (p) => p.status === 'awaiting-approval');
    await netops.approve('can');
    const blocked = await waitForProgress(netops, 'can', (p) => p.status === 'blocked', 90_000);
    expect(blocked.generation).toBeGreaterThan(1);
    await netops.skipDevice('can', 'r6-a', 'peer failed');
    const report = await netops.result('can');
    expect(report.counts.upgraded).toBe(10);
    // The operator's approval, given in the first run, is in the last run's report.
    expect(report.approval).toMatchObject({ by: 'operator', despiteFailedCanary: false, failedCanaries: [] });
    expect(report.devices.find((d) => d.name === 'r6-b')).toMatchObject({ outcome: 'failed', error: { type: 'AuthenticationFailed' } });
    expect(report.devices.find((d) => d.name === 'r6-a')?.outcome).toBe('skipped');
    for (const d of fx.lab.devices.filter((x) => !x.name.startsWith('r6-'))) {
      expect(d.version, d.name).toBe(TO_VERSION);
      expect(d.reloadCount, d.name).toBe(1);
    }
    const runs: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = '${rolloutWorkflowId('can')}'` })) runs.push(wf.runId);
    expect(runs.length).toBeGreaterThan(1);
    expectLabInvariants(fx);
  });
});
