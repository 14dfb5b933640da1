import type { DeviceStatus, DeviceStatusRow } from './types';

/** Device counts by status, and the devices not online (up to a limit). */
export interface StatusTally {
  counts: Record<DeviceStatus, number>;
  notOnline: DeviceStatusRow[];
}

export function emptyTally(): StatusTally {
  return { counts: { online: 0, offline: 0, alerting: 0, dormant: 0 }, notOnline: [] };
}

/**
 * Adds status rows to a tally; a status we do not know counts as offline, so
 * no device goes missing from the totals. Only `maxListed` devices are
 * listed; the rest are counted.
 */
export function tallyStatuses(tally: StatusTally, rows: DeviceStatusRow[], maxListed: number): StatusTally {
  for (const row of rows) {
    const status: DeviceStatus = row.status in tally.counts ? row.status : 'offline';
    tally.counts[status]++;
    if (status !== 'online' && tally.notOnline.length < maxListed) tally.notOnline.push({ serial: row.serial, ...(row.name ? { name: row.name } : {}), networkId: row.networkId, status });
  }
  return tally;
}
