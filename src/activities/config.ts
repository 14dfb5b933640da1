import { compareWithRunning } from '../config/desired-state';
import { configDiff, type ConfigDiff } from '../config/diff';
import { applyConfig as apply, backupConfig as backup, rollbackConfig as rollback, saveConfig as save, showRunningConfig } from '../devices/operations';
import { deviceActivity, type DeviceRuntime } from './runtime';
import type { ApplyConfigInput, ApplyConfigResult, BackupConfigInput, DeviceRef } from './types';

export interface ConfigStateInput {
  device: DeviceRef;
  /** The lines the device should hold, each in its section. */
  lines: string[];
}

/** How far the running configuration is from the desired lines; the configuration itself stays on the worker. */
export type ConfigStateResult = ConfigDiff;

export function configActivities(rt: DeviceRuntime) {
  /** Saves a restore point on the device (IOS-XE file, NX-OS checkpoint, FRR startup config). */
  const backupConfig = deviceActivity(async ({ device, name }: BackupConfigInput): Promise<{ name: string }> =>
    rt.session(device, async (s) => {
      await backup(s, name);
      return { name };
    }),
  );

  /** Sends lines in config mode; the first refused line stops it (CommandRejected, not retryable). */
  const applyConfig = deviceActivity(async ({ device, lines }: ApplyConfigInput): Promise<ApplyConfigResult> =>
    rt.session(device, async (s) => {
      await apply(s, lines);
      return { linesApplied: lines.filter((l) => l.trim() && !l.trim().startsWith('!')).length };
    }),
  );

  const rollbackConfig = deviceActivity(async ({ device, name }: BackupConfigInput): Promise<{ name: string; summary: string }> =>
    rt.session(device, async (s) => ({ name, summary: (await rollback(s, name)).trim().split('\n').slice(-3).join('\n') })),
  );

  /**
   * Reads the running configuration and compares it with the desired lines
   * (read-only). Only the diff comes back: a running configuration can be
   * hundreds of KB, too large for a workflow history.
   */
  const configState = deviceActivity(async ({ device, lines }: ConfigStateInput): Promise<ConfigStateResult> =>
    rt.session(device, async (s) => configDiff(compareWithRunning(await showRunningConfig(s), lines))),
  );

  /** Makes the running configuration the startup configuration. */
  const saveConfig = deviceActivity(async ({ device }: { device: DeviceRef }): Promise<{ saved: true }> =>
    rt.session(device, async (s) => {
      await save(s);
      return { saved: true as const };
    }),
  );

  return { backupConfig, applyConfig, rollbackConfig, configState, saveConfig };
}
