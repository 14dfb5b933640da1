import { describe, expect, inject, it } from 'vitest';
import { runCli, startCli } from '../../support/cli-process';
import { TO_VERSION } from '../../support/rollout-fixture';
import { expectLabInvariants, useRolloutEnv, waitForProgress } from '../../support/rollout-helpers';

// Busy is not failed: a device another operation holds (its device/<name>
// workflow id is taken) is waited for, holds its peers back like a device in
// flight, and never spends the failure budget.
describe('a device held by another operation', () => {
  const t = useRolloutEnv();

  it('waits for the other rollout, then finds the device already current; nothing counts as failed', async () => {
    const fx = await t.lab(4);
    // The first rollout holds the standby r2-b for a few seconds.
    fx.lab.setFault('r2-b', { kind: 'slow-command', delayMs: 2500, match: 'show version' });
    await t.netops.startRollout(await fx.input('busy-first', { window: 4 }, ['r2-b']));
    await waitForProgress(t.netops, 'busy-first', (p) => p.running === 1);
    await t.netops.startRollout(await fx.input('busy-second', { window: 4, failureBudget: { count: 0 } }));

    const waiting = await waitForProgress(t.netops, 'busy-second', (p) => p.devices.some((d) => d.name === 'r2-b' && d.waitingFor === 'busy in rollout/busy-first'));
    expect(waiting.failed).toBe(0);
    expect(waiting.failuresCounted).toBe(0);
    expect(waiting.status).toBe('running');
    const peer = waiting.devices.find((d) => d.name === 'r2-a')!;
    // Its partner may be out of service in the other rollout: it must stay up.
    if (peer.state === 'pending') expect(peer).toMatchObject({ waitingFor: 'redundancy', heldBy: ['r2-b'] });
    expect(peer.state).not.toBe('running');

    const report = await t.netops.result('busy-second');
    expect(report.status).toBe('completed');
    expect(report.devices.find((d) => d.name === 'r2-b')).toMatchObject({ outcome: 'already-current', attempts: 1 });
    expect(report.counts).toMatchObject({ upgraded: 3, 'already-current': 1, failed: 0, busy: 0 });
    expect((await t.netops.result('busy-first')).counts.upgraded).toBe(1);
    expect(fx.lab.devices.every((d) => d.version === TO_VERSION)).toBe(true);
    // One upgrade of r2-b, by the rollout that held it; never two operations at once.
    expectLabInvariants(fx);
  });

  it('after the wait reports the device busy, says what holds its peer, and a retry resolves it', async () => {
    const fx = await t.lab(4);
    fx.lab.setFault('r2-b', { kind: 'slow-command', delayMs: 4000, match: 'show version' });
    await t.netops.startRollout(await fx.input('hold-first', { window: 4 }, ['r2-b']));
    await waitForProgress(t.netops, 'hold-first', (p) => p.running === 1);
    await t.netops.startRollout(await fx.input('hold-second', { window: 4, failureBudget: { count: 0 }, busyWaitMs: 1500 }, ['r2-a', 'r2-b']));

    const blocked = await waitForProgress(t.netops, 'hold-second', (p) => p.status === 'blocked');
    expect(blocked.failuresCounted).toBe(0);
    expect(blocked.devices.find((d) => d.name === 'r2-b')).toMatchObject({ state: 'failed', outcome: 'busy', error: { type: 'DeviceBusy' } });
    expect(blocked.devices.find((d) => d.name === 'r2-b')?.error?.message).toMatch(/^r2-b was still held by rollout\/hold-first after waiting 1.5 s/);
    expect(blocked.devices.find((d) => d.name === 'r2-a')).toMatchObject({ state: 'pending', waitingFor: 'redundancy', heldBy: ['r2-b'] });

    // The operator's view names the holder and the commands, with the flags that reach this server.
    const address = inject('temporalAddress');
    const status = await runCli(['rollout', 'status', 'hold-second', '--address', address]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('hold-second: blocked');
    expect(status.stdout).toContain(`r2-b busy holds r2-a back: netops rollout retry hold-second r2-b --address ${address} (after fixing it) or netops rollout skip hold-second r2-b --address ${address}`);
    expect(status.stdout).toMatch(/r2-a .*waiting: redundancy: held by r2-b busy/);
    const watch = startCli(['rollout', 'watch', 'hold-second', '--plain', '--address', address]);
    try {
      await watch.waitFor(/hold-second: blocked .*\nWhat to do:\n {2}r2-b busy holds r2-a back: netops rollout retry hold-second r2-b --address \S+ \(after fixing it\)/, 30_000);
    } finally {
      await watch.stop('SIGINT');
    }

    await t.netops.result('hold-first');
    fx.lab.clearFault('r2-b');
    await t.netops.retryDevice('hold-second', 'r2-b');
    const report = await t.netops.result('hold-second');
    expect(report.status).toBe('completed');
    expect(report.devices.find((d) => d.name === 'r2-b')).toMatchObject({ outcome: 'already-current' });
    expect(report.devices.find((d) => d.name === 'r2-a')).toMatchObject({ outcome: 'upgraded' });
    expectLabInvariants(fx);
  });
});
