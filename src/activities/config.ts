import { compareWithRunning } from '../config/desired-state';
import { configDiff, type ConfigDiff } from '../config/diff';
import { RollbackFailed } from '../devices/errors';
import { applyConfig as apply, backupConfig as backup, restoreRunningConfig, rollbackConfig as rollback, saveConfig as save, showRunningConfig } from '../devices/operations';
import { deviceActivity, type DeviceRuntime } from './runtime';
import type { ApplyConfigInput, ApplyConfigResult, BackupConfigInput, DeviceAccess } from './types';

export interface ConfigStateInput {
  device: DeviceAccess;
  /** The lines the device should hold, each in its section. */
  lines: string[];
}

/** How far the running configuration is from the desired lines; the configuration itself stays on the worker. */
export type ConfigStateResult = ConfigDiff;

export function configActivities(rt: DeviceRuntime) {
  /**
   * Takes a restore point before anything changes: a file (IOS-XE) or a
   * checkpoint (NX-OS) on the device; for FRR, whose vtysh can hold neither,
   * a copy of the running configuration on the worker's disk (it may hold
   * passwords, so it never enters the workflow).
   */
  const backupConfig = deviceActivity(async ({ device, name }: BackupConfigInput): Promise<{ name: string }> =>
    rt.session(device, async (s) => {
      if (s.dialect.backupOnWorker) await rt.configBackups.put(device.name, name, await showRunningConfig(s));
      else await backup(s, name);
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

  /** Puts the restore point back; for a worker-kept copy, proves the running configuration equals it afterwards. */
  const rollbackConfig = deviceActivity(async ({ device, name }: BackupConfigInput): Promise<{ name: string; summary: string }> =>
    rt.session(device, async (s) => {
      if (!s.dialect.backupOnWorker) return { name, summary: (await rollback(s, name)).trim().split('\n').slice(-3).join('\n') };
      const path = rt.configBackups.pathOf(device.name, name);
      const saved = await rt.configBackups.get(device.name, name);
      if (saved === undefined) {
        throw new RollbackFailed(
          device.name,
          `this worker has no copy of the running configuration taken before the push (${path})`,
          'Nothing was sent. The copy was taken on another worker, or its directory was removed: workers that share a task queue must share NETOPS_CONFIG_BACKUP_DIR. Restore the device by hand.',
        );
      }
      const sent = await restoreRunningConfig(s, saved, path);
      return { name, summary: `sent ${sent} line(s); the running configuration equals the copy taken before the push (${path})` };
    }),
  );

  /**
   * Reads the running configuration and compares it with the desired lines
   * (read-only). Only the diff comes back: a running configuration can be
   * hundreds of KB, too large for a workflow history. Settings the device
   * hides at their default (FRR) are written out first, so a pushed default
   * reads as present.
   */
  const configState = deviceActivity(async ({ device, lines }: ConfigStateInput): Promise<ConfigStateResult> =>
    rt.session(device, async (s) => {
      const running = await showRunningConfig(s);
      return configDiff(compareWithRunning(s.dialect.withHiddenDefaults?.(running) ?? running, lines));
    }),
  );

  /** Makes the running configuration the startup configuration. */
  const saveConfig = deviceActivity(async ({ device }: { device: DeviceAccess }): Promise<{ saved: true }> =>
    rt.session(device, async (s) => {
      await save(s);
      return { saved: true as const };
    }),
  );

  return { backupConfig, applyConfig, rollbackConfig, configState, saveConfig };
}
