import type { AuthScheme } from '../../devices/rest/api-key';
import type { SecretRef } from '../../inventory/types';
import type { FirmwareProduct } from '../../contracts/firmware-products';

/** Where a dashboard API lives and which secret holds its key; safe in a workflow input. */
export interface DashboardRef {
  /** e.g. https://api.meraki.com/api/v1 (or a regional host: api.meraki.ca, api.meraki.cn, api.meraki.in, api.gov-meraki.com) */
  baseUrl: string;
  apiKey: SecretRef;
  authScheme?: AuthScheme;
  /** The User-Agent's caller part, "ApplicationName[/version] VendorName"; default: the worker's NETOPS_DASHBOARD_CALLER. */
  caller?: string;
}

/** A network and the organisation whose request budget its calls spend. */
export interface NetworkRef {
  dashboard: DashboardRef;
  orgId: string;
  networkId: string;
}

export type DeviceStatus = 'online' | 'offline' | 'alerting' | 'dormant';

export interface DeviceStatusRow {
  serial: string;
  name?: string;
  networkId: string;
  status: DeviceStatus;
}

export { FIRMWARE_PRODUCTS, type FirmwareProduct } from '../../contracts/firmware-products';

/** A firmware version object of the dashboard. */
export interface FirmwareVersion {
  id: string;
  /** What devices report in their `firmware` field, e.g. `switch-17-1-4`. */
  firmware?: string;
  /** e.g. `MS 17.1.4` */
  shortName?: string;
  releaseType?: string;
  releaseDate?: string;
}

/** The upgrade as the workflow asks for it: the version as the user named it, and optionally the product. */
export interface FirmwareTarget {
  /** A version's shortName (`MS 17.1.4`) or firmware name (`switch-17-1-4`). */
  version: string;
  productType?: FirmwareProduct;
}

/** One network's firmware for one product, and its devices against the target. */
export interface FirmwareCheck {
  networkId: string;
  product: FirmwareProduct;
  current: FirmwareVersion;
  target: FirmwareVersion;
  /** An upgrade the network has pending (any version). */
  pending?: { time: string; toVersion: FirmwareVersion };
  /** Devices of that product in the network. */
  total: number;
  /** Devices whose `firmware` is the target version's firmware name. */
  onTarget: number;
  /** Device count per reported firmware. */
  versions: Record<string, number>;
  /** Serials not on the target, at most 20. */
  behind: string[];
}

/** What the schedule activity is told: everything decided in the workflow, so a retry sends the very same PUT. */
export interface ScheduleRequest {
  product: FirmwareProduct;
  toVersion: FirmwareVersion;
  /** ISO time of the upgrade, chosen by the workflow; how a retry recognises its own schedule. */
  time: string;
}

export interface ScheduleResult {
  networkId: string;
  product: FirmwareProduct;
  /** What the network ran when the upgrade was scheduled: the rollback target. */
  fromVersion: FirmwareVersion;
  toVersion: FirmwareVersion;
  /** `time` of the pending upgrade as the dashboard shows it. */
  time: string | undefined;
  /** True when no PUT was sent: the upgrade was already pending (or done). */
  alreadyScheduled: boolean;
  /** True when what is pending is this request's (same version and time), false when someone else scheduled that version. */
  ours: boolean;
}

export interface WaitOptions {
  pollIntervalMs?: number;
}

export interface WaitRequest {
  product: FirmwareProduct;
  toVersion: FirmwareVersion;
  /** For the messages: what the network ran before. */
  fromVersion?: FirmwareVersion;
}

export interface WaitResult {
  networkId: string;
  status: 'completed';
  current: FirmwareVersion;
  /** `lastUpgrade.time` when the dashboard reports it. */
  completedAt?: string;
  polls: number;
}

export interface RollbackRequest {
  product: FirmwareProduct;
  /** The version to go back to (the schedule's fromVersion). */
  toVersion: FirmwareVersion;
  /** The version being undone, to tell a pending upgrade of ours from someone else's. */
  fromVersion: FirmwareVersion;
  comment: string;
}

export interface RollbackResult {
  networkId: string;
  /** False when the network already runs the old version with nothing pending. */
  rolledBack: boolean;
  /** The dashboard's rollback status (pending, in_progress, completed, canceled), or why nothing was sent. */
  status: string;
}
