import type { Device } from '../inventory';
import type { DeviceTarget } from '../contracts/rollout';

/** What a workflow needs of an inventory device: no free-form data, credentials as references only. */
export function toDeviceTarget(d: Device): DeviceTarget {
  return {
    name: d.name,
    host: d.host,
    port: d.port,
    platform: d.platform,
    site: d.site,
    groups: d.groups,
    credentials: d.credentials,
    hostKeyCheck: d.hostKeyCheck,
    ...(d.redundancyGroup ? { redundancyGroup: d.redundancyGroup } : {}),
    ...(d.hostKey ? { hostKey: d.hostKey } : {}),
    ...(d.knownHostsFile ? { knownHostsFile: d.knownHostsFile } : {}),
  };
}
