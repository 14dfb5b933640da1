import { describe, expect, it } from 'vitest';
import { waiterLoad, waiterLoadWarning } from '../../../src/cli/dashboard/waiter-load';

describe('the upgrade waiters\' share of an organisation\'s budget', () => {
  it.each([
    // window, per-org, poll interval ms -> networks at once, requests/s
    [2, undefined, 10_000, 2, 0.2],
    [30, undefined, 10_000, 30, 3],
    [30, 5, 10_000, 5, 0.5],
    [100, undefined, 60_000, 100, 100 / 60],
    [4, 10, 1_000, 4, 4],
  ])('window %s, per-org %s, every %s ms: %s networks, %s requests/s', (window, perOrg, interval, networks, rps) => {
    const load = waiterLoad(window, perOrg, interval);
    expect(load.networksAtOnce).toBe(networks);
    expect(load.requestsPerSec).toBeCloseTo(rps, 6);
  });

  it('stays quiet up to a quarter of the 10/s budget', () => {
    expect(waiterLoadWarning(waiterLoad(2, undefined, 10_000))).toBeUndefined();
    expect(waiterLoadWarning(waiterLoad(25, undefined, 10_000))).toBeUndefined();
  });

  it('warns beyond that, with a poll interval that would fit and the flags to use', () => {
    const text = waiterLoadWarning(waiterLoad(30, undefined, 10_000));
    expect(text).toBe(
      "warning: up to 30 networks of one organisation upgrade at once, each polled for progress: 3.0 requests/s of the organisation's 10/s budget. Use --poll-interval 12s or more, or cap --per-org.",
    );
    // The suggested interval is enough: 30 networks every 12 s is 2.5/s.
    expect(waiterLoadWarning(waiterLoad(30, undefined, 12_000))).toBeUndefined();
    expect(waiterLoadWarning(waiterLoad(100, 8, 1_000))).toMatch(/--poll-interval 4s/);
  });
});
