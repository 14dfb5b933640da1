import type { DeviceStatus, DeviceStatusRow } from './types';

/** Device counts by status, and the devices not online (up to a limit). */
export interface StatusTally {
  counts: Record<DeviceStatus, number>;
  notOnline: DeviceStatusRow[];
}

const STATUSES: readonly DeviceStatus[] = ['online', 'offline', 'alerting', 'dormant'];

/** A row the dashboard sent that netops cannot count; never skipped, never guessed. */
export class UnreadableStatusRow extends Error {
  constructor(readonly orgId: string, detail: string, row: unknown) {
    super(`organisation ${orgId}: ${detail} in ${JSON.stringify(row).slice(0, 200)}; netops counts only online, alerting, offline and dormant devices, so the collection stops rather than miscount (check the device in the dashboard, or report the answer)`);
    this.name = 'UnreadableStatusRow';
  }
}

export function emptyTally(): StatusTally {
  return { counts: { online: 0, offline: 0, alerting: 0, dormant: 0 }, notOnline: [] };
}

/**
 * One row of `devices/availabilities` (network as `network.id`) or of the
 * older `devices/statuses` (network as `networkId`), read strictly.
 */
export function readStatusRow(orgId: string, raw: unknown): DeviceStatusRow {
  const r = (raw ?? {}) as { serial?: unknown; name?: unknown; status?: unknown; networkId?: unknown; network?: { id?: unknown } | null };
  if (typeof r.serial !== 'string' || r.serial === '') throw new UnreadableStatusRow(orgId, 'a device without a serial', raw);
  if (typeof r.status !== 'string' || !(STATUSES as readonly string[]).includes(r.status)) throw new UnreadableStatusRow(orgId, `device ${r.serial} has status ${JSON.stringify(r.status)}`, raw);
  const networkId = typeof r.network?.id === 'string' ? r.network.id : r.networkId;
  if (typeof networkId !== 'string') throw new UnreadableStatusRow(orgId, `device ${r.serial} names no network`, raw);
  return { serial: r.serial, ...(typeof r.name === 'string' && r.name ? { name: r.name } : {}), networkId, status: r.status as DeviceStatus };
}

/** Adds status rows to a tally. Only `maxListed` devices are listed; the rest are counted. */
export function tallyStatuses(tally: StatusTally, rows: DeviceStatusRow[], maxListed: number): StatusTally {
  for (const row of rows) {
    tally.counts[row.status]++;
    if (row.status !== 'online' && tally.notOnline.length < maxListed) tally.notOnline.push(row);
  }
  return tally;
}
