/**
 * The resolved inventory. Its device and site types cross every boundary and
 * are defined in contracts/ (one place); the inventory as loaded stays here.
 */
import type { Device, Site } from '../contracts/inventory';

export {
  PLATFORMS,
  WEEKDAYS,
  type CredentialRef,
  type Device,
  type HostKeyCheck,
  type MaintenanceWindow,
  type Platform,
  type SecretRef,
  type Site,
  type Weekday,
} from '../contracts/inventory';

export interface Inventory {
  /** File or directory it was loaded from. */
  source: string;
  devices: Device[];
  sites: Record<string, Site>;
}
