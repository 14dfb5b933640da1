import { applyConfig as apply, backupConfig as backup, rollbackConfig as rollback } from '../devices/operations';
import { deviceActivity, type DeviceRuntime } from './runtime';
import type { ApplyConfigInput, ApplyConfigResult, BackupConfigInput } from './types';

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

  return { backupConfig, applyConfig, rollbackConfig };
}
