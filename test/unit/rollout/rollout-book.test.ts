import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/index';
import type { DeviceTarget } from '../../../src/contracts/rollout';
import { budgetFor, RolloutBook } from '../../../src/workflows/rollout-state';

function target(name: string, site: string, redundancyGroup?: string): DeviceTarget {
  return {
    name,
    host: '127.0.0.1',
    port: 22,
    platform: 'iosxe',
    site,
    groups: [],
    credentials: { set: 'lab', username: 'admin' },
    hostKeyCheck: 'strict',
    ...(redundancyGroup ? { redundancyGroup } : {}),
  };
}

function fleet(): { book: RolloutBook; targets: DeviceTarget[] } {
  const targets = [target('a1', 's1', 'g1'), target('a2', 's1', 'g1'), target('b1', 's1', 'g2'), target('b2', 's1', 'g2'), target('c', 's1')];
  const plan = buildPlan(
    targets.map((t) => ({ name: t.name, site: t.site, groups: [], ...(t.redundancyGroup ? { redundancyGroup: t.redundancyGroup } : {}) })),
    { s1: { name: 's1', timezone: 'UTC', windows: [] } },
    { window: 10, expectedDeviceDurationMs: 60_000, respectWindows: true, canary: { devices: ['c'] } },
    Date.UTC(2026, 10, 23),
  );
  return { book: RolloutBook.fresh(plan, targets), targets };
}

describe('failure budget', () => {
  it.each([
    [{ count: 2 }, 100, 2],
    [{ percent: 10 }, 100, 10],
    [{ percent: 10 }, 15, 1],
    [{ percent: 5 }, 10, 0],
    [{ count: 3, percent: 10 }, 10, 1],
    [{ count: 1, percent: 50 }, 10, 1],
    [{}, 50, 0],
  ])('%j of %i devices tolerates %i failures', (budget, total, expected) => {
    expect(budgetFor(budget, total)).toBe(expected);
  });
});

describe('RolloutBook', () => {
  it('starts with every device pending and canaries marked', () => {
    const { book } = fleet();
    expect(book.names('pending')).toHaveLength(5);
    expect(book.devices.c?.canary).toBe(true);
    expect(book.devices.a1?.canary).toBe(false);
  });

  it('counts a busy device as down for its peer but not against the budget', () => {
    const { book } = fleet();
    book.markRunning('a1', 1000);
    book.finish('a1', 'busy', 2000, { error: { type: 'DeviceBusy', message: 'busy' } });
    expect(book.plannerState(true, false).failed).toEqual(['a1']);
    expect(book.failuresCounted()).toBe(0);
  });

  it('counts failed and rolled-back devices against the budget', () => {
    const { book } = fleet();
    book.markRunning('a1', 0);
    book.finish('a1', 'failed', 10, { error: { type: 'Unreachable', message: 'x' } });
    book.markRunning('b1', 0);
    book.finish('b1', 'rolled-back', 10, {});
    expect(book.failuresCounted()).toBe(2);
  });

  it('records attempts and duration, and clears the error on retry', () => {
    const { book } = fleet();
    book.markRunning('b2', 1_000);
    book.finish('b2', 'failed', 4_000, { error: { type: 'TimedOut', message: 'slow' }, versionBefore: '17.9.4' });
    expect(book.reports.b2).toMatchObject({ outcome: 'failed', attempts: 1, durationMs: 3_000, versionBefore: '17.9.4' });
    book.requeue('b2');
    expect(book.devices.b2?.state).toBe('pending');
    book.markRunning('b2', 10_000);
    expect(book.reports.b2?.error).toBeUndefined();
    book.finish('b2', 'upgraded', 12_000, { versionAfter: '17.12.4' });
    expect(book.reports.b2).toMatchObject({ outcome: 'upgraded', attempts: 2, durationMs: 2_000, versionAfter: '17.12.4' });
  });

  it('knows when the canary is settled and whether it succeeded', () => {
    const { book } = fleet();
    expect(book.canariesSettled()).toBe(false);
    book.markRunning('c', 0);
    expect(book.canariesSettled()).toBe(false);
    book.finish('c', 'failed', 5, {});
    expect(book.canariesSettled()).toBe(true);
    expect(book.canariesSucceeded()).toBe(false);
    book.requeue('c');
    book.markRunning('c', 6);
    book.finish('c', 'upgraded', 7, {});
    expect(book.canariesSucceeded()).toBe(true);
  });

  it('keeps a dry run verdict from spending the budget', () => {
    const { book } = fleet();
    book.markRunning('a1', 0);
    book.finish('a1', 'would-fail', 1, { notes: ['not enough space'] });
    book.dryRunVerdict('a1');
    expect(book.devices.a1?.state).toBe('done');
    expect(book.failuresCounted()).toBe(0);
    expect(book.reports.a1?.outcome).toBe('would-fail');
  });

  it('reports skipped devices with the reason and counts outcomes', () => {
    const { book } = fleet();
    book.skip('a2', 'skipped by the operator: RMA');
    for (const n of ['a1', 'b1', 'b2', 'c']) {
      book.markRunning(n, 0);
      book.finish(n, n === 'b1' ? 'already-current' : 'upgraded', 1, {});
    }
    expect(book.allSettled()).toBe(true);
    const report = book.report({ name: 'r', status: 'completed', targetVersion: 'v', dryRun: false, startedAtMs: 0, endedAtMs: 1 });
    expect(report.counts).toMatchObject({ upgraded: 3, 'already-current': 1, skipped: 1, failed: 0 });
    expect(report.devices.find((d) => d.name === 'a2')?.notes).toEqual(['skipped by the operator: RMA']);
  });

  it('waits for a busy device with a growing pause, not counting the refused starts as attempts', () => {
    const { book } = fleet();
    const waitMs = 60_000;
    const retries: number[] = [];
    let now = 1_000;
    book.markRunning('a1', now);
    book.busyRefused('a1', 'rollout/other', now, waitMs);
    for (let i = 0; i < 5; i++) {
      const at = book.devices.a1!.busy!.retryAtMs;
      retries.push(at - now);
      expect(book.plannerState(true, false, false, at - 1).busy).toEqual(['a1']);
      expect(book.plannerState(true, false, false, at).busy).toBeUndefined();
      now = at;
      book.markRunning('a1', now);
      book.busyRefused('a1', 'rollout/other', now, waitMs);
    }
    expect(retries).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(book.devices.a1).toMatchObject({ state: 'pending', attempts: 0, waitingFor: 'busy in rollout/other' });
    expect(book.failuresCounted()).toBe(0);
    // The last pause is cut short by the end of the wait (1 s + 60 s).
    expect(book.nextBusyRetryMs()).toBe(61_000);
    book.markRunning('a1', 61_000);
    book.busyRefused('a1', 'rollout/other', 61_000, waitMs);
    expect(book.devices.a1).toMatchObject({ state: 'failed', outcome: 'busy', attempts: 0 });
    expect(book.nextBusyRetryMs()).toBeUndefined();
  });

  it('reports busy after the wait: failed state, its own outcome, outside the budget, freed by retry', () => {
    const { book } = fleet();
    book.markRunning('a1', 0);
    book.busyRefused('a1', 'rollout/other', 0, 5_000);
    book.markRunning('a1', 5_000);
    book.busyRefused('a1', 'rollout/other', 5_000, 5_000);
    expect(book.devices.a1).toMatchObject({ state: 'failed', outcome: 'busy', attempts: 0, error: { type: 'DeviceBusy' } });
    expect(book.devices.a1?.busy).toBeUndefined();
    expect(book.devices.a1?.error?.message).toBe('a1 was still held by rollout/other after waiting 5 s (its workflow device/a1 is running)');
    expect(book.failuresCounted()).toBe(0);
    expect(book.plannerState(true, false, false, 5_000).failed).toEqual(['a1']);
    book.setWaiting({ a2: 'redundancy' });
    expect(book.devices.a2).toMatchObject({ waitingFor: 'redundancy', heldBy: ['a1'] });
    book.requeue('a1');
    expect(book.devices.a1).toMatchObject({ state: 'pending', attempts: 0 });
    book.markRunning('a1', 6_000);
    book.started('a1');
    book.finish('a1', 'already-current', 7_000, {});
    expect(book.reports.a1).toMatchObject({ outcome: 'already-current', attempts: 1 });
  });

  it('says a waiting device is busy, and names the waiting peer that holds its partner', () => {
    const { book } = fleet();
    book.markRunning('a1', 0);
    book.busyRefused('a1', 'rollout/other', 0, 60_000);
    book.setWaiting({ a2: 'redundancy', b1: 'window-full' }, 10);
    expect(book.devices.a1?.waitingFor).toBe('busy in rollout/other');
    expect(book.devices.a2).toMatchObject({ waitingFor: 'redundancy', heldBy: ['a1'] });
    expect(book.devices.b1?.heldBy).toBeUndefined();
  });

  it('lists the canaries that did not succeed', () => {
    const { book } = fleet();
    expect(book.failedCanaries()).toEqual([]);
    book.markRunning('c', 0);
    book.busyRefused('c', 'rollout/other', 0, 0);
    expect(book.failedCanaries()).toEqual(['c']);
    expect(book.canariesSettled()).toBe(true);
    expect(book.canariesSucceeded()).toBe(false);
  });

  it('survives a JSON round trip (continue-as-new carries it)', () => {
    const { book } = fleet();
    book.markRunning('a1', 0);
    book.finish('a1', 'upgraded', 1, {});
    const copy = JSON.parse(JSON.stringify({ plan: book.plan, devices: book.devices, reports: book.reports }));
    const revived = new RolloutBook(copy.plan, copy.devices, copy.reports);
    expect(revived.names('done')).toEqual(['a1']);
    expect(revived.progress({ name: 'r', status: 'running', targetVersion: 'v', dryRun: false, failureBudget: 0, approved: false, paused: false, generation: 2 }).done).toBe(1);
  });
});
