import { ApplicationFailure } from '@temporalio/common';
import { DeviceError, Unreachable, WrongVersion } from '../devices/errors';
import { saveConfig, setBoot, showVersion } from '../devices/operations';
import { sameVersion } from '../devices/platforms';
import { isRetryable } from './failures';
import { deviceActivity, heartbeat, previousHeartbeat, sleep, type DeviceRuntime } from './runtime';
import type { ReloadInput, ReloadResult, SetBootInput, WaitForReturnInput, WaitForReturnResult } from './types';

/** A boot this much later than the recorded one is a new boot, not clock noise. */
const BOOT_SLACK_MS = 90_000;

export function reloadActivities(rt: DeviceRuntime) {
  const setBootAndSave = deviceActivity(async ({ device, file }: SetBootInput): Promise<{ saved: true }> =>
    rt.session(device, async (s) => {
      await setBoot(s, file);
      await saveConfig(s);
      return { saved: true };
    }),
  );

  /**
   * Reloads once. Never reloads a device that already runs the target
   * version, or that booted after the recorded boot time (it came back from
   * an earlier attempt). A retry that cannot connect after a reload was sent
   * reports the reload as in progress instead of failing.
   */
  const reload = deviceActivity(async (input: ReloadInput): Promise<ReloadResult> => {
    const sent = previousHeartbeat<{ reloadSentAt: number }>()?.reloadSentAt;
    try {
      return await rt.session(input.device, async (s) => {
        const v = await showVersion(s);
        if (sameVersion(v.version, input.targetVersion)) return { status: 'already-on-target' as const };
        const bootedAt = v.uptimeSeconds !== undefined ? Date.now() - v.uptimeSeconds * 1000 : undefined;
        const since = sent ?? input.bootedAtBefore;
        if (bootedAt !== undefined && since !== undefined && bootedAt > since + (sent ? 0 : BOOT_SLACK_MS)) return { status: 'already-reloaded' as const };
        heartbeat({ reloadSentAt: Date.now() });
        await s.reload({ saveConfig: input.saveConfig ?? false });
        return { status: 'reloaded' as const };
      });
    } catch (err) {
      if (sent !== undefined && err instanceof DeviceError && isRetryable(err)) return { status: 'reload-in-progress' };
      throw err;
    }
  });

  /**
   * Polls until the device answers `show version` again, with exponential
   * backoff, heartbeating every attempt. What the failure policy says a
   * retry cannot fix (credentials, host key, a wrong version after boot)
   * ends the wait at once.
   */
  const waitForReturn = deviceActivity(async (input: WaitForReturnInput): Promise<WaitForReturnResult> => {
    const started = Date.now();
    const deadline = started + (input.timeoutMs ?? 30 * 60_000);
    let delay = input.initialDelayMs ?? 5_000;
    const maxDelay = input.maxDelayMs ?? 60_000;
    let last = 'not tried yet';
    for (let attempt = 1; ; attempt++) {
      try {
        const v = await rt.session(input.device, (s) => showVersion(s), { timeouts: { connectMs: 5_000, bannerMs: 10_000, authMs: 15_000, commandMs: 30_000 } });
        if (input.expectVersion && !sameVersion(v.version, input.expectVersion)) throw new WrongVersion(input.device.name, input.expectVersion, v.version);
        return { version: v.version, ...(v.uptimeSeconds !== undefined ? { uptimeSeconds: v.uptimeSeconds } : {}), attempts: attempt, waitedMs: Date.now() - started };
      } catch (err) {
        // What a retry cannot fix (credentials, host key, the version it came back on) ends the wait at once.
        if (!(err instanceof DeviceError) && !(err instanceof ApplicationFailure)) throw err;
        if (!isRetryable(err)) throw err;
        last = err.message;
      }
      heartbeat({ attempt, last });
      if (Date.now() + delay > deadline) throw new Unreachable(input.device.name, `${input.device.host}:${input.device.port}`, `did not come back within ${Math.round((deadline - started) / 1000)} s (last: ${last})`);
      await sleep(delay);
      delay = Math.min(maxDelay, delay * 2);
    }
  });

  return { setBootAndSave, reload, waitForReturn };
}
