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
  /** Firmware before any upgrade event still in effect. */
  baseFirmware: string;
  /** Status when nothing is happening to the device. */
  baseStatus: DeviceStatus;
}

export type UpgradeStatus = 'scheduled' | 'inProgress' | 'completed' | 'failed' | 'rolledBack';

export interface SimUpgradeEvent {
  id: string;
  networkId: string;
  toVersion: string;
  productType: ProductType | undefined;
  /** Serials per stage, in stage order. */
  stages: string[][];
  /** Simulated-clock ms. */
  createdAt: number;
  startAt: number;
  stageDurationMs: number;
  idempotencyKey: string | undefined;
  /** Set when a fault makes the first stage fail. */
  failsAtStage: number | undefined;
  rolledBackAt: number | undefined;
  reasons: { category: string; comment: string }[];
}
