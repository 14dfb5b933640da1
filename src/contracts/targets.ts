import type { Device } from './inventory';

/**
 * One device as a rollout needs it: where it is, how to log in (by reference),
 * where it sits. The inventory device without its free-form `data` and tags.
 */
export type DeviceTarget = Pick<
  Device,
  'name' | 'host' | 'port' | 'platform' | 'site' | 'groups' | 'redundancyGroup' | 'credentials' | 'hostKey' | 'hostKeyCheck' | 'knownHostsFile'
>;

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
