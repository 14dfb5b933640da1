import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../../support/cli-process';
import { useRolloutEnv } from '../../support/rollout-helpers';

// `rollout plan` reads who is active on the devices (through a worker, as the
// rollout does), so the plan's order is the rollout's order; a device it
// cannot ask says why.
describe('rollout plan with the live roles', () => {
  const t = useRolloutEnv();

  it('reads active and standby from the devices and says why for the one it cannot ask', async () => {
    const fx = await t.lab(4);
    fx.lab.setFault('r2-b', { kind: 'auth-failure' });
    const address = inject('temporalAddress');
    const before = fx.lab.devices.map((d) => [d.name, d.version, d.reloadCount]);
    const plan = await runCli(['rollout', 'plan', '--inventory', fx.inventoryPath, '--image', fx.imagePath, '--address', address, '--task-queue', t.netops.taskQueue, '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    const parsed = JSON.parse(plan.stdout) as { roles: Record<string, { role: string; source: string; why?: string }>; plan: { order: string[] } };
    expect(parsed.roles['r1-a']).toEqual({ role: 'active', source: 'device' });
    expect(parsed.roles['r1-b']).toEqual({ role: 'standby', source: 'device' });
    expect(parsed.roles['r2-a']).toEqual({ role: 'active', source: 'device' });
    expect(parsed.roles['r2-b']).toMatchObject({ role: 'unknown', source: 'none' });
    expect(parsed.roles['r2-b']?.why).toMatch(/^could not ask it: .*auth/i);
    // Standby first within the pair whose roles are known.
    expect(parsed.plan.order.indexOf('r1-b')).toBeLessThan(parsed.plan.order.indexOf('r1-a'));
    // Read-only: nothing changed on any device.
    expect(fx.lab.devices.map((d) => [d.name, d.version, d.reloadCount])).toEqual(before);
  });

  it('says per device that no worker answered, and how to start one', async () => {
    const fx = await t.lab(4);
    const address = inject('temporalAddress');
    const plan = await runCli(['rollout', 'plan', '--inventory', fx.inventoryPath, '--image', fx.imagePath, '--address', address, '--task-queue', 'nobody-polls-this']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`r1-a +unknown +- +not asked: no worker polls task queue "nobody-polls-this" at ${address.replace(/\./g, '\\.')} \\(start one: netops worker --task-queue nobody-polls-this --address ${address.replace(/\./g, '\\.')}\\)`));
  });
});
