import { describe, expect, it } from 'vitest';
import { MAX_LISTED_FAILURES, runIdFromWorkflowId } from '../../../src/contracts/collect';
import { addBatch, cutByCrash, emptySummary, failedBatch, mergeCheckpoint, planBatches } from '../../../src/contracts/collect-batches';

describe('planBatches', () => {
  it('cuts devices into contiguous batches, the last one shorter', () => {
    expect(planBatches(250, 100)).toEqual([
      { index: 0, from: 0, to: 100 },
      { index: 1, from: 100, to: 200 },
      { index: 2, from: 200, to: 250 },
    ]);
  });
  it('covers every device exactly once for 10,000 devices in batches of 100', () => {
    const batches = planBatches(10_000, 100);
    expect(batches).toHaveLength(100);
    expect(batches.reduce((n, b) => n + (b.to - b.from), 0)).toBe(10_000);
    expect(batches.every((b, i) => i === 0 || b.from === batches[i - 1]!.to)).toBe(true);
  });
  it('has no batches for no devices and refuses a zero batch size', () => {
    expect(planBatches(0, 10)).toEqual([]);
    expect(() => planBatches(5, 0)).toThrow(/positive integer/);
  });
});

describe('mergeCheckpoint', () => {
  const batch = ['a', 'b', 'c', 'd'];
  it('skips devices from the heartbeat and from the store, but only those of this batch', () => {
    const done = mergeCheckpoint({ done: [{ device: 'a', ok: true }] }, [{ device: 'b', ok: true }, { device: 'zz', ok: true }], batch);
    expect([...done.keys()].sort()).toEqual(['a', 'b']);
  });
  it('prefers the heartbeat outcome when both know a device', () => {
    const done = mergeCheckpoint({ done: [{ device: 'c', ok: false, error: { type: 'AuthenticationFailed', message: 'no' } }] }, [{ device: 'c', ok: true }], batch);
    expect(done.get('c')?.ok).toBe(false);
  });
  it('is empty on a first attempt', () => {
    expect(mergeCheckpoint(undefined, [], batch).size).toBe(0);
  });
  it('does not count devices that were only in flight as done', () => {
    const done = mergeCheckpoint({ done: [{ device: 'a', ok: true }], inFlight: ['b', 'c'] }, [], batch);
    expect([...done.keys()]).toEqual(['a']);
  });
});

describe('cutByCrash', () => {
  const batch = ['a', 'b', 'c', 'd', 'e'];
  it('names the devices in flight at the last heartbeat that are not stored, in batch order', () => {
    const heartbeat = { done: [{ device: 'a', ok: true }], inFlight: ['d', 'b', 'c'] };
    // c was stored after that heartbeat: the store says so, and it is not collected again.
    const done = mergeCheckpoint(heartbeat, [{ device: 'c', ok: true }], batch);
    expect(cutByCrash(heartbeat, done, batch)).toEqual(['b', 'd']);
  });
  it('keeps the devices an earlier retry already found cut, even once they are stored', () => {
    const heartbeat = { done: [{ device: 'b', ok: true }], inFlight: ['e'], cut: ['b', 'd'] };
    const done = mergeCheckpoint(heartbeat, [], batch);
    expect(cutByCrash(heartbeat, done, batch)).toEqual(['b', 'd', 'e']);
  });
  it('ignores names of other batches, and finds nothing in a first attempt or a heartbeat of an older worker', () => {
    expect(cutByCrash({ done: [], inFlight: ['zz', 'a'], cut: ['yy'] }, new Map(), batch)).toEqual(['a']);
    expect(cutByCrash(undefined, new Map(), batch)).toEqual([]);
    expect(cutByCrash({ done: [{ device: 'a', ok: true }] }, new Map(), batch)).toEqual([]);
  });
});

describe('addBatch', () => {
  it('counts ok and failed devices, failures by type, and resumed batches', () => {
    let s = emptySummary(4, 2);
    s = addBatch(s, { batch: 0, resumed: 0, outcomes: [{ device: 'a', ok: true }, { device: 'b', ok: false, error: { type: 'Unreachable', message: 'down' } }] });
    s = addBatch(s, { batch: 1, resumed: 1, outcomes: [{ device: 'c', ok: true }, { device: 'd', ok: false, error: { type: 'Unreachable', message: 'down' } }] });
    expect(s).toMatchObject({ ok: 2, failed: 2, byError: { Unreachable: 2 }, batchesDone: 2, resumedBatches: 1, resumedDevices: 1, recollectedDevices: 0 });
    expect(s.failures.map((f) => f.device)).toEqual(['b', 'd']);
  });
  it('adds up devices collected again after a crash; a retry that only found cut sessions counts as resumed', () => {
    const ok = (n: number) => Array.from({ length: n }, (_, i) => ({ device: `d${i}`, ok: true }));
    let s = addBatch(emptySummary(30, 3), { batch: 0, resumed: 6, recollected: 2, outcomes: ok(10) });
    s = addBatch(s, { batch: 1, resumed: 0, recollected: 3, outcomes: ok(10) });
    s = addBatch(s, { batch: 2, resumed: 0, recollected: 0, outcomes: ok(10) });
    expect(s).toMatchObject({ ok: 30, resumedBatches: 2, resumedDevices: 6, recollectedDevices: 5 });
  });
  it('reads a summary carried over from a run that did not count recollected devices, and results of older workers', () => {
    const { recollectedDevices: _, ...old } = emptySummary(2, 2);
    let s = addBatch(old, { batch: 0, resumed: 1, outcomes: [{ device: 'a', ok: true }] });
    expect(s).toMatchObject({ resumedBatches: 1, resumedDevices: 1, recollectedDevices: 0 });
    s = addBatch(s, { batch: 1, resumed: 0, recollected: 1, outcomes: [{ device: 'b', ok: true }] });
    expect(s).toMatchObject({ resumedBatches: 2, recollectedDevices: 1 });
  });
  it('caps the failure list but keeps counting', () => {
    const names = Array.from({ length: 120 }, (_, i) => `d${i}`);
    const s = addBatch(emptySummary(120, 1), failedBatch(0, names, 'BatchFailed', 'worker lost'));
    expect(s.failed).toBe(120);
    expect(s.failures).toHaveLength(MAX_LISTED_FAILURES);
    expect(s.byError).toEqual({ BatchFailed: 120 });
  });
});

describe('runIdFromWorkflowId', () => {
  it('strips the prefix and makes a schedule fire time a safe directory name', () => {
    expect(runIdFromWorkflowId('collect/nightly')).toBe('nightly');
    expect(runIdFromWorkflowId('collect/nightly-2026-11-23T04:00:00Z')).toBe('nightly-2026-11-23T040000Z');
    expect(runIdFromWorkflowId('collect/../../etc')).toBe('etc');
  });
});
