import { Context } from '@temporalio/activity';
import type { RestRuntime } from './runtime';
import type { DashboardRef, DeviceStatus, DeviceStatusRow, NetworkRef } from './types';

/**
 * Activities that send exactly one request each (one page). The workflow
 * loops over pages, so the number of activities dispatched on an
 * organisation's task queue equals the number of requests that organisation
 * sees, and the task queue's server-side rate limit becomes the request rate
 * limit across every worker. A 429 is not waited out here: it fails the
 * attempt with the server's Retry-After as the next retry delay, so the retry
 * goes through the task queue's limit again.
 */

export interface PageCursor {
  /** Absolute URL of the page to fetch (a `next` from the previous page); the first page when absent. */
  from?: string;
  perPage?: number;
}

export interface NetworksPage {
  networkIds: string[];
  next: string | undefined;
}

export interface StatusPageOptions extends PageCursor {
  networkIds?: string[];
  /** Devices not online listed in the page result at most (the rest are only counted). Default 20. */
  maxListed?: number;
}

export interface StatusPage {
  counts: Record<DeviceStatus, number>;
  /** Devices not online on this page, at most `maxListed`. */
  notOnline: DeviceStatusRow[];
  next: string | undefined;
}

export interface FirmwareCheck {
  networkId: string;
  total: number;
  onTarget: number;
  /** Device count per firmware version seen. */
  versions: Record<string, number>;
  /** Serials not on the target firmware, at most 20. */
  behind: string[];
}

async function firstPage<T>(rt: RestRuntime, dashboard: DashboardRef, orgId: string, path: string, cursor: PageCursor, query?: Record<string, string[]>) {
  const ctx = Context.current();
  const client = await rt.client(dashboard);
  try {
    const pages = client.pages<T>({ orgId, path, perPage: cursor.perPage ?? 1000, query, from: cursor.from, signal: ctx.cancellationSignal });
    // Only one request: the generator is left after its first page.
    for await (const page of pages) return page;
    return { items: [] as T[], next: undefined };
  } finally {
    await client.close();
  }
}

export async function fetchNetworksPage(rt: RestRuntime, dashboard: DashboardRef, orgId: string, cursor: PageCursor = {}): Promise<NetworksPage> {
  const page = await firstPage<{ id: string }>(rt, dashboard, orgId, `/organizations/${encodeURIComponent(orgId)}/networks`, cursor);
  return { networkIds: page.items.map((n) => n.id), next: page.next };
}

export async function fetchStatusPage(rt: RestRuntime, dashboard: DashboardRef, orgId: string, opts: StatusPageOptions = {}): Promise<StatusPage> {
  const query = opts.networkIds && !opts.from ? { networkIds: opts.networkIds } : undefined;
  const page = await firstPage<DeviceStatusRow>(rt, dashboard, orgId, `/organizations/${encodeURIComponent(orgId)}/devices/statuses`, opts, query);
  return summarisePage(page.items, page.next, opts.maxListed ?? 20);
}

/** Counts one page of status rows; an unknown status counts as offline. */
export function summarisePage(rows: DeviceStatusRow[], next: string | undefined, maxListed: number): StatusPage {
  const counts: Record<DeviceStatus, number> = { online: 0, offline: 0, alerting: 0, dormant: 0 };
  const notOnline: DeviceStatusRow[] = [];
  for (const row of rows) {
    const status: DeviceStatus = row.status in counts ? row.status : 'offline';
    counts[status]++;
    if (status !== 'online' && notOnline.length < maxListed) notOnline.push({ serial: row.serial, ...(row.name ? { name: row.name } : {}), networkId: row.networkId, status });
  }
  return { counts, notOnline, next };
}

/** Which devices of the network report `firmware`; reads the org's device list filtered to the network. */
export async function verifyNetworkFirmware(rt: RestRuntime, net: NetworkRef, firmware: string): Promise<FirmwareCheck> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const check: FirmwareCheck = { networkId: net.networkId, total: 0, onTarget: 0, versions: {}, behind: [] };
  try {
    const devices = client.items<{ serial: string; firmware?: string }>({
      orgId: net.orgId,
      path: `/organizations/${encodeURIComponent(net.orgId)}/devices`,
      perPage: 1000,
      query: { networkIds: [net.networkId] },
      signal: ctx.cancellationSignal,
    });
    for await (const d of devices) {
      check.total++;
      const version = d.firmware ?? 'unknown';
      check.versions[version] = (check.versions[version] ?? 0) + 1;
      if (version === firmware) check.onTarget++;
      else if (check.behind.length < 20) check.behind.push(d.serial);
    }
    return check;
  } finally {
    await client.close();
  }
}
