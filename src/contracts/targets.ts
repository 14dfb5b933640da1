import type { Device } from './inventory';

/**
 * A device's identity: its name, where it answers and how to log in (by
 * reference). What every device activity takes; the one device identity type.
 */
export type DeviceAccess = Pick<Device, 'name' | 'host' | 'port' | 'platform' | 'credentials' | 'hostKey' | 'hostKeyCheck' | 'knownHostsFile'>;

/**
 * One device as a rollout or a collection needs it: its access plus where it
 * sits (site, groups, redundancy group). The inventory device without its
 * free-form `data` and tags.
 */
export type DeviceTarget = DeviceAccess & Pick<Device, 'site' | 'groups' | 'redundancyGroup'>;

/** A cloud-managed network, rolled out through a dashboard API rather than SSH. */
export interface NetworkTarget {
  kind: 'network';
  name: string;
  /** The organisation; used as the "site" for limits and ordering. */
  site: string;
  groups: string[];
  redundancyGroup?: string;
  orgId: string;
  networkId: string;
}

/** Anything a rollout can work through one by one: a device over SSH, or a network over REST. */
export type RolloutTarget = DeviceTarget | NetworkTarget;

export function isDeviceTarget(t: RolloutTarget): t is DeviceTarget {
  return !('kind' in t);
}
