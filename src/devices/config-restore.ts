import { DeviceError, RollbackFailed } from './errors';
import { configDiffLines } from './platforms/config-diff';
import type { DeviceSession } from './ssh/session';

/** The running configuration as the device prints it (privileged: IOS hides parts of it otherwise). */
export async function showRunningConfig(s: DeviceSession): Promise<string> {
  await s.enable();
  return s.run('show running-config', { timeoutMs: 10 * 60_000, idleMs: 10 * 60_000 });
}

/** Sections a real running configuration always has; without them a copy is not one. */
const LOOKS_LIKE_CONFIG = /^(hostname|interface|router|frr version)\b/m;

/**
 * Puts a running configuration back from a copy, for CLIs without a
 * configure replace (FRR's vtysh): sends the lines that turn the running
 * configuration into the copy (`no` forms for lines added since, the
 * copy's lines for those removed or changed), then reads the running
 * configuration again and proves it equals the copy. Returns how many lines
 * it sent (0 when the device already matched).
 */
export async function restoreRunningConfig(s: DeviceSession, saved: string, where: string): Promise<number> {
  // Never diff against nothing: that would remove the whole configuration.
  if (!LOOKS_LIKE_CONFIG.test(saved)) {
    throw new RollbackFailed(s.target.name, `the restore point ${where} holds no configuration`, 'Nothing was sent. Compare the device with your last known good configuration by hand.');
  }
  const lines = configDiffLines(await showRunningConfig(s), saved);
  if (lines.length > 0) {
    try {
      await s.configure(lines);
    } catch (err) {
      throw new RollbackFailed(
        s.target.name,
        `the device refused a line of the rollback: ${err instanceof DeviceError ? err.what : (err as Error).message}`,
        `The device may be half-configured. Restore it by hand from ${where} (vtysh: compare with 'show running-config' and send the difference).`,
        lines,
      );
    }
  }
  const left = configDiffLines(await showRunningConfig(s), saved);
  if (left.length > 0) {
    throw new RollbackFailed(
      s.target.name,
      `after sending ${lines.length} line(s) the running configuration still differs from ${where}: ${left.slice(0, 5).join(' | ')}${left.length > 5 ? ` and ${left.length - 5} more` : ''}`,
      `The device may be half-configured. Restore it by hand from ${where}, then report the lines above: the rollback does not know their 'no' form.`,
      left,
    );
  }
  return lines.length;
}
