import { describe, expect, inject, it } from 'vitest';
import { ExitCode } from '../../../src/cli/shared/cli-error';
import type { RolloutReport } from '../../../src/contracts/rollout';
import { runCli } from '../../support/cli-process';
import type { LabFixture } from '../../support/rollout-fixture';
import { expectLabInvariants, useRolloutEnv, waitForProgress } from '../../support/rollout-helpers';

// A failed canary keeps the gate shut until the operator says otherwise; a
// spent budget ends the rollout even when what is left is blocked.
describe('the canary gate and the failure budget', () => {
  const t = useRolloutEnv();

  it('refuses approve after a failed canary (exit 5), then records an approve --despite-failed-canary', async () => {
    const fx = await t.lab(4);
    fx.lab.setFault('r1-b', { kind: 'auth-failure' });
    await t.netops.startRollout(await fx.input('bad-canary', { canary: { devices: ['r1-b'] }, requireApproval: true, failureBudget: { count: 1 } }));
    const gated = await waitForProgress(t.netops, 'bad-canary', (p) => p.status === 'awaiting-approval');
    expect(gated.devices.find((d) => d.name === 'r1-b')).toMatchObject({ state: 'failed', outcome: 'failed' });
    expect(fx.lab.devices.every((d) => d.reloadCount === 0)).toBe(true);

    const address = inject('temporalAddress');
    const refused = await runCli(['rollout', 'approve', 'bad-canary', '--address', address]);
    expect(refused.code).toBe(ExitCode.rejected);
    expect(refused.stderr).toMatch(/refused: the canary did not succeed: r1-b failed \(.+\)\. Fix it and `netops rollout retry bad-canary r1-b`, or `netops rollout skip bad-canary r1-b`, or approve with --despite-failed-canary/);
    // Typed for callers in any language: the refusal's failure type says why.
    await expect(t.netops.approve('bad-canary')).rejects.toMatchObject({ name: 'ControlRejected', type: 'CanaryFailed' });
    const status = await runCli(['rollout', 'status', 'bad-canary', '--address', address]);
    expect(status.stdout).toContain(`canary r1-b failed, the gate stays shut: netops rollout retry bad-canary r1-b --address ${address} (after fixing it) or netops rollout skip bad-canary r1-b --address ${address}`);
    expect(status.stdout).toContain(`or go on anyway: netops rollout approve bad-canary --despite-failed-canary --address ${address}`);
    // Still shut: nothing else started.
    expect((await t.netops.progress('bad-canary')).running).toBe(0);

    const answer = await t.netops.approve('bad-canary', { despiteFailedCanary: true, reason: 'auth on r1-b is a known lab fault' });
    expect(answer.message).toBe('approved despite the failed canary r1-b: the remaining 3 devices may start');
    // r1-a stays up while its failed partner may be down; the operator frees it.
    const blocked = await waitForProgress(t.netops, 'bad-canary', (p) => p.status === 'blocked');
    expect(blocked.approval).toMatchObject({ by: 'operator', despiteFailedCanary: true, failedCanaries: ['r1-b'] });
    expect(blocked.devices.find((d) => d.name === 'r1-a')).toMatchObject({ waitingFor: 'redundancy', heldBy: ['r1-b'] });
    expect(fx.lab.device('r1-a').reloadCount).toBe(0);
    fx.lab.clearFault('r1-b');
    await t.netops.retryDevice('bad-canary', 'r1-b');
    const report = await t.netops.result('bad-canary');
    expect(report.status).toBe('completed');
    expect(report.approval).toMatchObject({ despiteFailedCanary: true, failedCanaries: ['r1-b'], reason: 'auth on r1-b is a known lab fault' });
    expect(report.counts).toMatchObject({ upgraded: 4, failed: 0 });
    expect(report.devices.find((d) => d.name === 'r1-b')).toMatchObject({ outcome: 'upgraded', attempts: 2 });
    expectLabInvariants(fx);
  });

  it('budget 0: the first failure stops new starts, the running device finishes, the blocked peer is never touched', async () => {
    const fx = await t.lab(4);
    fx.lab.setFault('r1-b', { kind: 'auth-failure' });
    await t.netops.startRollout(await fx.input('budget-zero', { window: 4, failureBudget: { count: 0 }, siteConcurrency: 2 }));
    const report = await t.netops.result('budget-zero');
    expectStoppedByBudget(fx, report, 'failure budget spent: 1 failed, 0 tolerated', ['r1-b']);
    expect(outcomeOf(report, 'r2-b')).toBe('upgraded');
    expect(['r1-a', 'r2-a'].map((n) => outcomeOf(report, n))).toEqual(['skipped', 'skipped']);
  });

  it('a count: two failures over a budget of one end the rollout although the peers left are blocked', async () => {
    const fx = await t.lab(8);
    for (const n of ['r1-b', 'r2-b']) fx.lab.setFault(n, { kind: 'auth-failure' });
    await t.netops.startRollout(await fx.input('budget-count', { window: 2, failureBudget: { count: 1 } }));
    const report = await t.netops.result('budget-count');
    expectStoppedByBudget(fx, report, 'failure budget spent: 2 failed, 1 tolerated', ['r1-b', 'r2-b']);
  });

  it('a percentage: 25% of 8 tolerates two; the third failure ends it with the blocked peers untouched', async () => {
    const fx = await t.lab(8);
    for (const n of ['r1-b', 'r2-b', 'r3-b']) fx.lab.setFault(n, { kind: 'auth-failure' });
    await t.netops.startRollout(await fx.input('budget-pct', { window: 4, failureBudget: { percent: 25 }, siteConcurrency: 2 }));
    const report = await t.netops.result('budget-pct');
    expectStoppedByBudget(fx, report, 'failure budget spent: 3 failed, 2 tolerated', ['r1-b', 'r2-b', 'r3-b']);
  });
});

function outcomeOf(report: RolloutReport, name: string): string | undefined {
  return report.devices.find((d) => d.name === name)?.outcome;
}

/** Ended failed with its report; the failed devices' partners were never taken down; nothing ran after the stop. */
function expectStoppedByBudget(fx: LabFixture, report: RolloutReport, stopReason: string, failed: string[]): void {
  expect(report.status).toBe('failed');
  expect(report.stopReason).toBe(stopReason);
  expect(report.devices.filter((d) => d.outcome === 'failed').map((d) => d.name).sort()).toEqual(failed);
  for (const name of failed) {
    const partner = name.replace(/-b$/, '-a');
    expect(outcomeOf(report, partner), partner).toBe('skipped');
    expect(fx.lab.device(partner).reloadCount, partner).toBe(0);
  }
  for (const d of report.devices.filter((x) => x.outcome === 'skipped')) expect(fx.lab.device(d.name).reloadCount, d.name).toBe(0);
  expectLabInvariants(fx);
}
