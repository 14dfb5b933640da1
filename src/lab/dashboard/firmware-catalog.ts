import type { ProductType, SimVersion } from './model';

/**
 * The versions each product type can run in the simulator, oldest first.
 * Ids, names and dates are the lab's own; only their shape (id, firmware,
 * shortName, releaseType, releaseDate) follows the dashboard's version object.
 */
export const FIRMWARE_CATALOG: Readonly<Record<ProductType, readonly SimVersion[]>> = {
  switch: [
    { id: '3015', firmware: 'switch-15-21', shortName: 'MS 15.21', releaseType: 'stable', releaseDate: '2023-02-14T17:00:00Z' },
    { id: '3016', firmware: 'switch-16-8', shortName: 'MS 16.8', releaseType: 'stable', releaseDate: '2024-03-05T17:00:00Z' },
    { id: '3017', firmware: 'switch-17-1-4', shortName: 'MS 17.1.4', releaseType: 'stable', releaseDate: '2025-01-21T17:00:00Z' },
    { id: '3018', firmware: 'switch-18-1', shortName: 'MS 18.1', releaseType: 'beta', releaseDate: '2025-09-09T17:00:00Z' },
  ],
  wireless: [
    { id: '2029', firmware: 'wireless-29-7', shortName: 'MR 29.7', releaseType: 'stable', releaseDate: '2023-01-10T17:00:00Z' },
    { id: '2030', firmware: 'wireless-30-1', shortName: 'MR 30.1', releaseType: 'stable', releaseDate: '2024-02-20T17:00:00Z' },
    { id: '2031', firmware: 'wireless-31-1-2', shortName: 'MR 31.1.2', releaseType: 'candidate', releaseDate: '2025-04-01T17:00:00Z' },
  ],
  appliance: [
    { id: '1018', firmware: 'wired-18-107', shortName: 'MX 18.107', releaseType: 'stable', releaseDate: '2023-03-01T17:00:00Z' },
    { id: '1019', firmware: 'wired-18-211', shortName: 'MX 18.211', releaseType: 'stable', releaseDate: '2024-05-14T17:00:00Z' },
    { id: '1020', firmware: 'wired-19-1', shortName: 'MX 19.1', releaseType: 'beta', releaseDate: '2025-06-03T17:00:00Z' },
  ],
};

/** What a freshly seeded network of each product type runs. */
export function initialVersion(product: ProductType): SimVersion {
  return FIRMWARE_CATALOG[product][0] as SimVersion;
}

export function versionById(product: ProductType, id: string): SimVersion | undefined {
  return FIRMWARE_CATALOG[product].find((v) => v.id === id);
}

/** Later release than `than`: an upgrade. The dashboard takes downgrades only through rollbacks. */
export function isNewer(version: SimVersion, than: SimVersion): boolean {
  return Date.parse(version.releaseDate) > Date.parse(than.releaseDate);
}
