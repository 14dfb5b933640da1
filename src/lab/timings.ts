import type { LabTimings } from './types';

/** Realistic-ish timings, scaled down so a demo fleet reboots in seconds, not minutes. */
export const DEFAULT_TIMINGS: LabTimings = {
  bootMs: 20_000,
  holdMs: 3_000,
  preemptDelayMs: 1_000,
  commandLatencyMs: 5,
  secondMs: 100,
  slowBannerMs: 5_000,
  slowCommandMs: 5_000,
  flapMs: 2_000,
  vpcFormMs: 3_000,
};

/** Small values for tests: a reload takes 300 ms. */
export const FAST_TIMINGS: LabTimings = {
  bootMs: 300,
  holdMs: 150,
  preemptDelayMs: 100,
  commandLatencyMs: 0,
  secondMs: 10,
  slowBannerMs: 500,
  slowCommandMs: 500,
  flapMs: 200,
  vpcFormMs: 150,
};

export function resolveTimings(fast: boolean, overrides: Partial<LabTimings> = {}): LabTimings {
  return { ...(fast ? FAST_TIMINGS : DEFAULT_TIMINGS), ...overrides };
}
