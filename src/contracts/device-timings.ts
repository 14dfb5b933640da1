import { TIMING_PRESETS } from './timing-presets';

/** Waits and polls of the device procedure; real defaults, small values in tests and the lab. */
export interface DeviceTimings {
  /** How long a reloaded device may take to come back before it counts as lost. */
  reloadTimeoutMs: number;
  /** First poll interval while waiting for a device to return (doubles up to `pollMaxMs`). */
  pollInitialMs: number;
  pollMaxMs: number;
  /** How long to wait for the peer to become active after a drain. */
  drainTimeoutMs: number;
  /** Settle time after the device is back before the post-check (protocols converge). */
  settleMs: number;
  /** Timeout of one staging attempt (large images on slow links need more). */
  stageTimeoutMs: number;
  /** A long activity that stops heartbeating this long is retried on another worker. */
  heartbeatTimeoutMs: number;
  /**
   * Longest a short device step (a snapshot, setting the boot variable, sending
   * reload) may take; also how long a step lost with a crashed worker waits
   * before it is retried elsewhere. Optional: inputs from before it existed
   * must still replay (see `stepTimeout`).
   */
  stepTimeoutMs?: number;
}

/** The `real` preset: what the workflows fall back to where an input says nothing. */
export const DEFAULT_DEVICE_TIMINGS: DeviceTimings = { ...TIMING_PRESETS.real };

/** The step timeout, with the default for inputs recorded before the field existed. */
export function stepTimeout(t: DeviceTimings): number {
  return t.stepTimeoutMs ?? DEFAULT_DEVICE_TIMINGS.stepTimeoutMs ?? 120_000;
}
