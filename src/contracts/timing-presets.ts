/**
 * The waits and polls of a device procedure, by name. A caller in another
 * language cannot know what a reload takes on our devices: it names a preset
 * (`"timings": "real"`, the default) or overrides single fields of it.
 */
export interface DeviceTimingValues {
  reloadTimeoutMs: number;
  pollInitialMs: number;
  pollMaxMs: number;
  drainTimeoutMs: number;
  settleMs: number;
  stageTimeoutMs: number;
  heartbeatTimeoutMs: number;
  stepTimeoutMs: number;
}

export const TIMING_PRESET_NAMES = ['real', 'lab'] as const;
export type TimingPresetName = (typeof TIMING_PRESET_NAMES)[number];

export const TIMING_PRESETS: Record<TimingPresetName, DeviceTimingValues> = {
  // Real devices: a Catalyst takes 10-15 minutes to reload, a large image an hour to copy.
  real: {
    reloadTimeoutMs: 20 * 60_000,
    pollInitialMs: 10_000,
    pollMaxMs: 60_000,
    drainTimeoutMs: 60_000,
    settleMs: 30_000,
    stageTimeoutMs: 60 * 60_000,
    heartbeatTimeoutMs: 60_000,
    stepTimeoutMs: 120_000,
  },
  // The simulated lab: devices reboot in about a second.
  lab: {
    reloadTimeoutMs: 60_000,
    pollInitialMs: 250,
    pollMaxMs: 1_000,
    drainTimeoutMs: 15_000,
    settleMs: 0,
    stageTimeoutMs: 120_000,
    heartbeatTimeoutMs: 10_000,
    stepTimeoutMs: 30_000,
  },
};

export const DEFAULT_TIMING_PRESET: TimingPresetName = 'real';
