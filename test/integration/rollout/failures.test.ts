import { describe, expect, it } from 'vitest';
import { FROM_VERSION, TO_VERSION } from '../../support/rollout-fixture';
import { expectLabInvariants, useRolloutEnv, waitForProgress } from '../../support/rollout-helpers';

// What goes wrong in real networks, and what the rollout does about it.
describe('rollouts when devices fail', () => {
  const t = useRolloutEnv();
  const lab = (devices?: number) => t.lab(devices);

  it('stops starting devices when the failure budget is spent, and ends failed with a report', async () => {
    const fx = await lab(12);
    for (const n of ['r1-b', 'r2-b']) fx.lab.setFault(n, { kind: 'auth-failure' });
    await t.netops.startRollout(await fx.input('budget', { window: 2, failureBudget: { count: 1 } }));
    const report = await t.netops.result('budget');
    expect(report.status).toBe('failed');
    expect(report.stopReason).toBe('failure budget spent: 2 failed, 1 tolerated');
    const failed = report.devices.filter((d) => d.outcome === 'failed');
    expect(failed.map((d) => d.name).sort()).toEqual(['r1-b', 'r2-b']);
    expect(failed[0]?.error?.type).toBe('AuthenticationFailed');
    expect(failed[0]?.error?.hint).toMatch(/credential/);
    expect(failed[0]?.attempts).toBe(1);
    // Devices never started remain on the old image, untouched.
    const untouched = report.devices.filter((d) => d.outcome === 'skipped');
    expect(untouched.length).toBeGreaterThan(0);
    for (const d of untouched) expect(fx.lab.device(d.name).reloadCount).toBe(0);
    expectLabInvariants(fx);
  });

  it('reports a device that never returns from reload, and keeps its peer up', async () => {
    const fx = await lab(4);
    fx.lab.setFault('r1-b', { kind: 'reload-never-returns' });
    await t.netops.startRollout(await fx.input('lost', { window: 4, failureBudget: { count: 1 } }));
    // Its peer is never taken out: the rollout waits for the operator instead.
    const blocked = await waitForProgress(t.netops, 'lost', (p) => p.status === 'blocked');
    expect(blocked.devices.find((d) => d.name === 'r1-a')).toMatchObject({ state: 'pending', waitingFor: 'redundancy' });
    const lostNow = blocked.devices.find((d) => d.name === 'r1-b')!;
    expect(lostNow.error?.type).toBe('Unreachable');
    expect(lostNow.error?.message).toMatch(/did not come back within/);
    await t.netops.skipDevice('lost', 'r1-a', 'peer lost, RMA opened');
    const report = await t.netops.result('lost');
    expect(report.status).toBe('failed');
    expect(report.devices.find((d) => d.name === 'r1-b')?.outcome).toBe('failed');
    expect(report.devices.find((d) => d.name === 'r1-a')?.outcome).toBe('skipped');
    expect(fx.lab.device('r1-a').reloadCount).toBe(0);
    expect(fx.lab.device('r1-a').isUp).toBe(true);
    expect(report.devices.filter((d) => d.name.startsWith('r2-')).every((d) => d.outcome === 'upgraded')).toBe(true);
  });

  it('retries a failed device once the operator has fixed it', async () => {
    const fx = await lab(4);
    fx.lab.setFault('r2-b', { kind: 'auth-failure' });
    await t.netops.startRollout(await fx.input('retrying', { window: 4, failureBudget: { count: 2 } }));
    await waitForProgress(t.netops, 'retrying', (p) => p.devices.some((d) => d.name === 'r2-b' && d.state === 'failed') && p.running === 0);
    const stuck = await t.netops.progress('retrying');
    expect(stuck.devices.find((d) => d.name === 'r2-a')?.waitingFor).toBe('redundancy');
    fx.lab.clearFault('r2-b');
    expect((await t.netops.retryDevice('retrying', 'r2-b')).message).toBe('r2-b will be retried');
    const report = await t.netops.result('retrying');
    expect(report.status).toBe('completed');
    expect(report.devices.find((d) => d.name === 'r2-b')).toMatchObject({ outcome: 'upgraded', attempts: 2 });
    expect(report.counts.upgraded).toBe(4);
    expectLabInvariants(fx);
  });

  it('dry run: reports what would fail and changes nothing', async () => {
    const fx = await lab(4);
    const full = fx.lab.device('r1-a');
    full.flash.put({ name: 'core-dump.bin', size: full.flash.freeBytes - 1000, md5: '0', mtime: new Date() });
    fx.lab.setFault('r2-b', { kind: 'auth-failure' });
    const changesBefore = fx.lab.events.filter((e) => e.type === 'config.change' || e.type === 'config.save' || e.type === 'reload.start' || e.type === 'transfer').length;
    await t.netops.startRollout(await fx.input('dry', { dryRun: true, window: 4, failureBudget: { count: 4 } }));
    const report = await t.netops.result('dry').catch((e) => e);
    const byName = new Map(report.devices.map((d: { name: string }) => [d.name, d]));
    expect(byName.get('r1-a')).toMatchObject({ outcome: 'would-fail' });
    expect((byName.get('r1-a') as { notes: string[] }).notes.join(' ')).toMatch(/not enough space on flash:/);
    expect(byName.get('r1-b')).toMatchObject({ outcome: 'ready' });
    expect(byName.get('r2-b')).toMatchObject({ outcome: 'failed', error: { type: 'AuthenticationFailed' } });
    expect(fx.lab.devices.every((d) => d.version === FROM_VERSION && d.reloadCount === 0)).toBe(true);
    const changesAfter = fx.lab.events.filter((e) => e.type === 'config.change' || e.type === 'config.save' || e.type === 'reload.start' || e.type === 'transfer').length;
    expect(changesAfter).toBe(changesBefore);
    expect(TO_VERSION).not.toBe(FROM_VERSION);
  });
});
