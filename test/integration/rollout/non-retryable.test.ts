import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { rolloutWorkflowId, type DeviceTarget } from '../../../src/contracts/rollout';
import { useRolloutEnv, waitForProgress } from '../../support/rollout-helpers';

type History = temporal.api.history.v1.IHistory;

/** The activity failures of a device child, with the attempt each ended on (a retried activity records its last attempt). */
function activityFailures(history: History): { attempt: number; type: string; nonRetryable: boolean; message: string }[] {
  const events = history.events ?? [];
  const started = new Map(events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => [String(e.eventId), e.activityTaskStartedEventAttributes!.attempt ?? 0]));
  return events
    .filter((e) => e.activityTaskFailedEventAttributes)
    .map((e) => {
      const a = e.activityTaskFailedEventAttributes!;
      const info = a.failure?.applicationFailureInfo;
      return { attempt: started.get(String(a.startedEventId)) ?? 0, type: info?.type ?? '', nonRetryable: info?.nonRetryable ?? false, message: a.failure?.message ?? '' };
    });
}

// What a retry cannot fix stops at once: one attempt, a failure that says what to do, and the device untouched.
describe('failures no retry can fix', () => {
  const t = useRolloutEnv();

  it('a changed host key, a host key nobody pinned and a secret the worker cannot resolve each fail on the first attempt', async () => {
    const fx = await t.lab(12); // r1..r3 are the first site's pairs
    const input = await fx.input('no-retry', { window: 3, failureBudget: { count: 2 } });
    const byName = (n: string) => input.devices.find((d) => d.name === n) as DeviceTarget;
    // r1-b presents its own key, which is not the pinned one (the inventory has r2-b's).
    Object.assign(byName('r1-b'), { hostKey: fx.lab.device('r2-b').hostKey });
    // r2-b has no pinned key and no known_hosts entry, and strict checking.
    Object.assign(byName('r2-b'), { hostKey: undefined, hostKeyCheck: 'strict', knownHostsFile: join(fx.dir, 'known_hosts.none') });
    // r3-b's password lives in an environment variable this worker does not have.
    byName('r3-b').credentials = { ...byName('r3-b').credentials, password: { kind: 'env', name: 'NETOPS_TEST_NEVER_SET_PW' } };

    await t.netops.startRollout(input);
    const expected = { 'r1-b': 'HostKeyMismatch', 'r2-b': 'UnknownHostKey', 'r3-b': 'SecretResolutionError' } as const;
    const progress = await waitForProgress(t.netops, 'no-retry', (p) => Object.keys(expected).every((n) => p.devices.find((d) => d.name === n)?.state === 'failed'));
    for (const [name, type] of Object.entries(expected)) {
      const d = progress.devices.find((x) => x.name === name)!;
      expect(d, name).toMatchObject({ state: 'failed', error: { type } });
      expect(d.error?.message, name).toMatch(new RegExp(`^${name}: `));
      expect(fx.lab.device(name).reloadCount).toBe(0);
    }
    expect(progress.devices.find((x) => x.name === 'r3-b')?.error?.message).toMatch(/NETOPS_TEST_NEVER_SET_PW.*Set the secret on this worker/);

    // The child's own history: its first activity failed once, non-retryable, and nothing ran after it.
    const rollout = await t.netops.client.workflow.getHandle(rolloutWorkflowId('no-retry')).fetchHistory();
    const children = new Map(
      (rollout.events ?? []).flatMap((e) => {
        const c = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
        return c?.workflowId && c.runId ? [[c.workflowId, c.runId] as const] : [];
      }),
    );
    for (const [name, type] of Object.entries(expected)) {
      const runId = children.get(`device/${name}`);
      expect(runId, name).toBeDefined();
      const history = await t.netops.client.workflow.getHandle(`device/${name}`, runId).fetchHistory();
      expect(activityFailures(history), name).toEqual([{ attempt: 1, type, nonRetryable: true, message: expect.stringMatching(new RegExp(`^${name}: `)) }]);
      expect((history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes), name).toHaveLength(1);
    }
    // Three failures spend the budget of two: the rollout stops, the peers of the failed devices untouched.
    const report = await t.netops.result('no-retry');
    expect(report.stopReason).toBe('failure budget spent: 3 failed, 2 tolerated');
    for (const peer of ['r1-a', 'r2-a', 'r3-a']) expect(fx.lab.device(peer).reloadCount).toBe(0);
  });
});
