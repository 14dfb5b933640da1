/** Product types the simulator seeds (a subset of the dashboard's). */
export type ProductType = 'switch' | 'wireless' | 'appliance';
export type DeviceStatus = 'online' | 'offline' | 'alerting' | 'dormant';

export interface SimOrg {
  id: string;
  name: string;
}

export interface SimNetwork {
  id: string;
  organizationId: string;
  name: string;
  productTypes: ProductType[];
  timeZone: string;
}

export interface SimDevice {
  serial: string;
  name: string;
  model: string;
  mac: string;
  networkId: string;
  organizationId: string;
  productType: ProductType;
  /** Status when nothing is happening to the device. */
  baseStatus: DeviceStatus;
}

/** A firmware version object as the dashboard shows it (`availableVersions`, `currentVersion`, ...). */
export interface SimVersion {
  id: string;
  /** The name devices report in their `firmware` field, e.g. `switch-17-1-4`. */
  firmware: string;
  /** The name people use, e.g. `MS 17.1.4`. */
  shortName: string;
  releaseType: 'stable' | 'candidate' | 'beta';
  releaseDate: string;
}
