import { describe, expect, it } from 'vitest';
import { ControlRejected } from '../../../src/client/netops-client';
import { FROM_VERSION, TO_VERSION } from '../../support/rollout-fixture';
import { expectLabInvariants, useRolloutEnv, waitForProgress } from '../../support/rollout-helpers';

// Operators steer a rollout while it runs; each control must do what it says
// and refuse, with a reason, what makes no sense.
describe('operator controls', () => {
  const t = useRolloutEnv();
  const lab = (devices?: number) => t.lab(devices);

  it('runs the canary, waits for approval, refuses an early approve, then finishes', async () => {
    const fx = await lab();
    await t.netops.startRollout(await fx.input('canary', { canary: { count: 1 }, requireApproval: true, window: 4 }));
    const gated = await waitForProgress(t.netops, 'canary', (p) => p.status === 'awaiting-approval');
    expect(gated.canary).toHaveLength(1);
    expect(gated.done).toBe(1);
    const canary = gated.canary[0]!;
    expect(fx.lab.device(canary).version).toBe(TO_VERSION);
    // Nobody else was touched while waiting.
    expect(fx.lab.devices.filter((d) => d.name !== canary).every((d) => d.version === FROM_VERSION && d.reloadCount === 0)).toBe(true);
    expect(gated.devices.filter((d) => d.state === 'pending').every((d) => d.waitingFor === 'canary-gate')).toBe(true);

    const answer = await t.netops.approve('canary');
    expect(answer.message).toMatch(/approved: the remaining 7 devices may start/);
    await expect(t.netops.approve('canary')).rejects.toThrow(new ControlRejected('already approved', 'AlreadyApproved'));
    const report = await t.netops.result('canary');
    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(8);
    expectLabInvariants(fx);
  });

  it('refuses to approve while the canary is still running', async () => {
    const fx = await lab(4);
    fx.lab.setFault('r1-b', { kind: 'slow-command', delayMs: 1500, match: 'show version' });
    fx.lab.setFault('r1-a', { kind: 'slow-command', delayMs: 1500, match: 'show version' });
    await t.netops.startRollout(await fx.input('early', { canary: { devices: ['r1-b'] }, requireApproval: true }));
    await waitForProgress(t.netops, 'early', (p) => p.running === 1);
    await expect(t.netops.approve('early')).rejects.toThrow(/the canary is not finished yet \(r1-b\); approve when it is/);
    await t.netops.abort('early', 'test over');
    await t.netops.result('early');
  });

  it('pause lets running devices finish and starts no new one; resume goes on', async () => {
    const fx = await lab();
    await t.netops.startRollout(await fx.input('pausing', { window: 2 }));
    await waitForProgress(t.netops, 'pausing', (p) => p.running > 0);
    expect((await t.netops.pause('pausing', 'change freeze')).message).toMatch(/^paused \(change freeze\)/);
    await expect(t.netops.pause('pausing')).rejects.toThrow('already paused');
    const paused = await waitForProgress(t.netops, 'pausing', (p) => p.running === 0 && p.status === 'paused');
    const reloads = fx.lab.devices.reduce((n, d) => n + d.reloadCount, 0);
    expect(paused.pending).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fx.lab.devices.reduce((n, d) => n + d.reloadCount, 0)).toBe(reloads);
    expect((await t.netops.progress('pausing')).devices.filter((d) => d.state === 'pending').every((d) => d.waitingFor === 'paused')).toBe(true);

    await t.netops.resume('pausing');
    await expect(t.netops.resume('pausing')).rejects.toThrow('not paused');
    const report = await t.netops.result('pausing');
    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(8);
    expectLabInvariants(fx);
  });

  it('abort mid-wave stops the running devices and restores their priority', async () => {
    const fx = await lab();
    const priorities = new Map(fx.lab.devices.map((d) => [d.name, d.priority]));
    // Slow reloads keep devices in flight long enough to abort them mid-way.
    for (const d of fx.lab.devices) fx.lab.setFault(d.name, { kind: 'slow-command', delayMs: 800, match: 'reload' });
    await t.netops.startRollout(await fx.input('aborting', { window: 4 }));
    // Wait until an active member has been drained (its priority lowered).
    await fx.lab.waitForEvent((e) => e.type === 'config.change' && JSON.stringify(e).includes('priority 50'), 30_000);
    const answer = await t.netops.abort('aborting', 'wrong image');
    expect(answer.message).toMatch(/^aborting: \d+ running device\(s\)/);
    const report = await t.netops.result('aborting');
    expect(report.status).toBe('aborted');
    expect(report.stopReason).toBe('aborted by the operator: wrong image');
    expect(report.counts.aborted).toBeGreaterThan(0);
    expect(report.counts.upgraded).toBeLessThan(8);
    // Give the restore cleanups a moment if a device was mid-reload.
    await new Promise((r) => setTimeout(r, 1000));
    for (const d of fx.lab.devices) if (d.isUp) expect(d.priority, d.name).toBe(priorities.get(d.name));
    await expect(t.netops.resume('aborting')).rejects.toThrow(new ControlRejected('the rollout "aborting" has ended (aborted); nothing to steer', 'RolloutEnded'));
    // One word everywhere: the list says aborted too, although Temporal records the run as failed.
    expect((await t.netops.listRollouts()).find((i) => i.name === 'aborting')?.status).toBe('aborted');
    await expect(t.netops.pause('never-started')).rejects.toThrow('no rollout named "never-started" (workflow id rollout/never-started)');
    expectLabInvariants(fx);
  });

  it('skip leaves a device out; retry refuses a device that did not fail', async () => {
    const fx = await lab(4);
    fx.lab.setFault('r1-b', { kind: 'auth-failure' });
    await t.netops.startRollout(await fx.input('skipping', { window: 1, failureBudget: { count: 1 } }));
    await waitForProgress(t.netops, 'skipping', (p) => p.devices.some((d) => d.name === 'r1-b' && d.state === 'failed'));
    await expect(t.netops.retryDevice('skipping', 'r2-a')).rejects.toThrow(/r2-a is (pending|running|done), only a failed device can be retried/);
    await expect(t.netops.skipDevice('skipping', 'nope')).rejects.toThrow('nope is not in this rollout');
    // r1-a waits for its failed peer: the operator decides to leave the pair alone.
    await t.netops.skipDevice('skipping', 'r1-a', 'peer broken');
    const report = await t.netops.result('skipping');
    expect(report.devices.find((d) => d.name === 'r1-a')).toMatchObject({ outcome: 'skipped', notes: ['skipped by the operator: peer broken'] });
    expect(fx.lab.device('r1-a').reloadCount).toBe(0);
  });
});
