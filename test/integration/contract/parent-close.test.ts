import { describe, expect, it } from 'vitest';
import { deviceWorkflowId, rolloutWorkflowId } from '../../../src/contracts/rollout';
import { TO_VERSION } from '../../support/rollout-fixture';
import { expectLabInvariants, useRolloutEnv } from '../../support/rollout-helpers';

// A device child holds its device by its id, device/<name>. When its rollout
// is terminated (or cancelled, or fails: the parent close policy is the same),
// the child must end itself and give back the priority its drain took, so
// the next rollout can work on the device.
describe('a device child whose rollout is terminated mid-drain', () => {
  const t = useRolloutEnv();

  async function closedStatus(workflowId: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await t.netops.client.workflow.getHandle(workflowId).describe()).status.name;
      if (status !== 'RUNNING' || Date.now() > deadline) return status;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('ends itself, restores the priority, and a new rollout on the same device runs', async () => {
    const fx = await t.lab(2);
    const active = fx.lab.devices.find((d) => d.priority !== undefined && d.priority > 100) ?? fx.lab.devices[0]!;
    const original = new Map(fx.lab.devices.map((d) => [d.name, d.priority]));
    // Setting the boot variable right after the drain is slow: the parent is terminated then.
    fx.lab.setFault(active.name, { kind: 'slow-command', delayMs: 4000, match: 'boot system' });
    await t.netops.startRollout(await fx.input('orphaned', { window: 1 }, [active.name]));
    await fx.lab.waitForEvent((e) => e.type === 'config.change' && JSON.stringify(e).includes(active.name) && JSON.stringify(e).includes('priority 50'), 30_000);
    expect(active.priority).toBe(50);

    await t.netops.handle('orphaned').terminate('test: the rollout is gone mid-drain');
    expect(await closedStatus(rolloutWorkflowId('orphaned'), 5_000)).toBe('TERMINATED');
    // The child heard its parent close and ended itself; its id is free.
    expect(await closedStatus(deviceWorkflowId(active.name), 30_000)).toBe('CANCELLED');
    expect(active.priority).toBe(original.get(active.name));

    fx.lab.clearFault(active.name);
    await t.netops.startRollout(await fx.input('after-orphan', { window: 1 }, [active.name]));
    const report = await t.netops.result('after-orphan');
    expect(report.status).toBe('completed');
    expect(report.devices.map((d) => [d.name, d.outcome])).toEqual([[active.name, 'upgraded']]);
    expect(active.version).toBe(TO_VERSION);
    expect(active.priority).toBe(original.get(active.name));
    expectLabInvariants(fx);
  });
});
