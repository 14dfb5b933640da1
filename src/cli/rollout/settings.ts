import { msToNumber } from '@temporalio/common/lib/time';
import type { Command } from 'commander';
import { DEFAULT_DEVICE_TIMINGS, type DeviceTimings, type FailureBudget } from '../../contracts/rollout';
import { TIMING_PRESETS } from '../../contracts/timing-presets';
import { CliError } from '../shared/cli-error';

/** Timings for the simulated lab: devices reboot in about a second there. */
export const LAB_DEVICE_TIMINGS: DeviceTimings = { ...TIMING_PRESETS.lab };

export interface SettingsFlags {
  failureBudget: string;
  approval: boolean;
  dryRun?: boolean;
  timings: string;
  reloadTimeout?: string;
  settle?: string;
  rollback: boolean;
}

/**
 * The failure budget and the canary approval, which every kind of rollout
 * has (upgrades, config pushes, dashboard firmware); `failures` says what
 * counts as one for this kind.
 */
export function addBudgetOptions(cmd: Command, failures: string, targets: string): Command {
  return cmd
    .option('--failure-budget <n|p%>', `${failures} tolerated before the rollout stops starting ${targets} (a count or a percentage)`, '0')
    .option('--no-approval', 'do not wait for approval after the canary (go on when it succeeds)');
}

export function addSettingsOptions(cmd: Command): Command {
  return addBudgetOptions(cmd, 'failures', 'devices')
    .option('--dry-run', 'run the pre-checks only and report what would fail; change nothing')
    .option('--timings <preset>', 'waits and polls: "real" (minutes) or "lab" (seconds)', 'real')
    .option('--reload-timeout <duration>', 'how long a reloading device may take to come back, e.g. 20m')
    .option('--settle <duration>', 'wait after a device is back before the post-check, e.g. 30s')
    .option('--no-rollback', 'on a failed post-check, leave the device on the new image');
}

export function parseFailureBudget(value: string): FailureBudget {
  const v = value.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (pct) {
    const percent = Number(pct[1]);
    if (percent > 100) throw new CliError(`--failure-budget: "${value}" is more than 100%`);
    return { percent };
  }
  if (/^\d+$/.test(v)) return { count: Number(v) };
  throw new CliError(`--failure-budget: "${value}" is not a count or a percentage (e.g. 2 or 5%)`);
}

export function parseDuration(value: string, flag: string): number {
  let ms: number;
  try {
    ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
  } catch {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms) || ms < 0) throw new CliError(`${flag}: "${value}" is not a duration (e.g. 90s, 20m, 1h)`);
  return ms;
}

export function timingsFromFlags(flags: Pick<SettingsFlags, 'timings' | 'reloadTimeout' | 'settle'>): DeviceTimings {
  let base: DeviceTimings;
  if (flags.timings === 'real') base = DEFAULT_DEVICE_TIMINGS;
  else if (flags.timings === 'lab') base = LAB_DEVICE_TIMINGS;
  else throw new CliError(`--timings: "${flags.timings}" is not a preset (expected real or lab)`);
  return {
    ...base,
    ...(flags.reloadTimeout !== undefined ? { reloadTimeoutMs: parseDuration(flags.reloadTimeout, '--reload-timeout') } : {}),
    ...(flags.settle !== undefined ? { settleMs: parseDuration(flags.settle, '--settle') } : {}),
  };
}
