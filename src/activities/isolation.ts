import { RedundancyNotConfirmed } from '../devices/errors';
import { setSystemMode, showRedundancy, showVpc } from '../devices/operations';
import type { RedundancyEntry } from '../devices/platforms/types';
import type { DeviceTarget } from '../contracts/rollout';
import { deviceActivity, heartbeat, sleep, type DeviceRuntime } from './runtime';

export interface IsolateInput {
  device: DeviceTarget;
  /** The other members of its redundancy group: that traffic moved is confirmed on them. */
  peers: DeviceTarget[];
  /** Its vPC partner (from the vPC pre-check), whose vPCs must stay up and who must become operational primary. */
  vpcPartner?: DeviceTarget;
  confirmTimeoutMs: number;
  pollMs?: number;
}

export interface IsolateResult {
  /** False when the device already was in maintenance mode (a retry after a crash). */
  entered: boolean;
  /** What was confirmed on the partner, for the device's notes. */
  confirmed: string[];
}

/**
 * A mode change prints nothing for minutes (NX-OS applies a whole profile):
 * a heartbeat every second meanwhile lets the workflow keep a short
 * heartbeat timeout, so a worker that dies mid-change is noticed in seconds.
 */
async function withTicker<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const ticker = setInterval(() => heartbeat({ step: what }), 1_000);
  try {
    return await fn();
  } finally {
    clearInterval(ticker);
  }
}

const isActive = (e: RedundancyEntry): boolean => e.state === 'Active' || e.state === 'Master';
const groupKey = (e: Pick<RedundancyEntry, 'group' | 'virtualIp'>): string => `group ${e.group} (${e.virtualIp ?? 'no virtual IP'})`;

/**
 * Graceful isolation: the platform's maintenance mode (NX-OS `system mode
 * maintenance`, IOS-XE `start maintenance`) takes the device out of the
 * forwarding path, then the partner is watched until it carries the traffic:
 * it is HSRP/VRRP active for every group this device was active for, and a
 * vPC partner is operational primary with every vPC up. Idempotent: a device
 * already in maintenance mode is not asked again.
 */
export function isolationActivities(rt: DeviceRuntime) {
  const isolate = deviceActivity(async (input: IsolateInput): Promise<IsolateResult> => withTicker('isolate', async () => {
    const { device } = input;
    const before = await rt.session(device, (s) => showRedundancy(s));
    const wasActive = before.filter(isActive).map(groupKey);
    const entered = await rt.session(device, (s) => setSystemMode(s, 'maintenance'));
    heartbeat({ entered });
    const pollMs = input.pollMs ?? 1_000;
    const deadline = Date.now() + input.confirmTimeoutMs;
    for (;;) {
      const missing: string[] = [];
      const confirmed: string[] = [];
      const stillActive = (await rt.session(device, (s) => showRedundancy(s))).filter(isActive);
      if (stillActive.length > 0) missing.push(`${device.name} still active for ${stillActive.map(groupKey).join(', ')}`);
      const wanted = new Set(wasActive);
      for (const peer of input.peers) {
        const theirs = (await rt.session(peer, (s) => showRedundancy(s))).filter(isActive).map(groupKey);
        for (const k of theirs) if (wanted.delete(k)) confirmed.push(`${peer.name} active for ${k}`);
      }
      if (wanted.size > 0) missing.push(`no peer active for ${[...wanted].join(', ')}`);
      if (input.vpcPartner) {
        const st = await rt.session(input.vpcPartner, (s) => showVpc(s));
        const down = st?.vpcs.filter((v) => !v.up).map((v) => v.id) ?? [];
        if (st?.operationalRole !== 'primary') missing.push(`${input.vpcPartner.name} is vPC operational ${st?.operationalRole ?? 'none'}, not primary`);
        else if (down.length > 0) missing.push(`${input.vpcPartner.name} has vPC ${down.join(', ')} down`);
        else confirmed.push(`${input.vpcPartner.name} vPC operational primary, every vPC up`);
      }
      if (missing.length === 0) return { entered, confirmed };
      heartbeat({ entered, last: missing.join('; ') });
      if (Date.now() + pollMs > deadline) throw new RedundancyNotConfirmed(device.name, `after maintenance mode: ${missing.join('; ')}`);
      await sleep(pollMs);
    }
  }));

  /** Back to normal mode (idempotent: a device already in normal mode is left alone). */
  const restoreIsolation = deviceActivity(async ({ device }: { device: DeviceTarget }): Promise<{ left: boolean }> =>
    withTicker('normal mode', async () => ({ left: await rt.session(device, (s) => setSystemMode(s, 'normal')) })),
  );

  return { isolate, restoreIsolation };
}
