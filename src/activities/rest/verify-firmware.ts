import { Context } from '@temporalio/activity';
import type { RestRuntime } from './runtime';
import type { NetworkRef } from './types';

export interface FirmwareCheck {
  networkId: string;
  total: number;
  onTarget: number;
  /** Device count per firmware version seen. */
  versions: Record<string, number>;
  /** Serials not on the target firmware, at most 20. */
  behind: string[];
}

/** Which devices of the network report `firmware`; reads the org's device list filtered to the network. */
export async function verifyNetworkFirmware(rt: RestRuntime, net: NetworkRef, firmware: string): Promise<FirmwareCheck> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const check: FirmwareCheck = { networkId: net.networkId, total: 0, onTarget: 0, versions: {}, behind: [] };
  try {
    const devices = client.items<{ serial: string; firmware?: string }>({
      orgId: net.orgId,
      path: `/organizations/${encodeURIComponent(net.orgId)}/devices`,
      perPage: 1000,
      query: { networkIds: [net.networkId] },
      signal: ctx.cancellationSignal,
    });
    for await (const d of devices) {
      check.total++;
      const version = d.firmware ?? 'unknown';
      check.versions[version] = (check.versions[version] ?? 0) + 1;
      if (version === firmware) check.onTarget++;
      else if (check.behind.length < 20) check.behind.push(d.serial);
    }
    return check;
  } finally {
    await client.close();
  }
}
