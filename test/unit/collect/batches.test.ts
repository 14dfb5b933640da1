import { describe, expect, it } from 'vitest';
import { MAX_LISTED_FAILURES, runIdFromWorkflowId } from '../../../src/workflows/collect-api';
import { addBatch, emptySummary, failedBatch, mergeCheckpoint, planBatches } from '../../../src/workflows/collect-batches';

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
});

describe('addBatch', () => {
  it('counts ok and failed devices, failures by type, and resumed batches', () => {
    let s = emptySummary(4, 2);
    s = addBatch(s, { batch: 0, resumed: 0, outcomes: [{ device: 'a', ok: true }, { device: 'b', ok: false, error: { type: 'Unreachable', message: 'down' } }] });
    s = addBatch(s, { batch: 1, resumed: 1, outcomes: [{ device: 'c', ok: true }, { device: 'd', ok: false, error: { type: 'Unreachable', message: 'down' } }] });
    expect(s).toMatchObject({ ok: 2, failed: 2, byError: { Unreachable: 2 }, batchesDone: 2, resumedBatches: 1, resumedDevices: 1 });
    expect(s.failures.map((f) => f.device)).toEqual(['b', 'd']);
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
