import { Context } from '@temporalio/activity';
import { activityFailure } from '../failures';
import type { RestRuntime } from './runtime';
import type { DashboardRef, DeviceStatus } from './types';

export interface StatusOverview {
  counts: Record<DeviceStatus, number>;
  requests: number;
}

const STATUSES: readonly DeviceStatus[] = ['online', 'alerting', 'offline', 'dormant'];

/**
 * One organisation's device counts by status in one request
 * (`devices/statuses/overview`), for a report that needs no device list:
 * a whole organisation costs one request of its budget instead of a page
 * per thousand devices.
 */
export async function countDeviceStatuses(rt: RestRuntime, dashboard: DashboardRef, orgId: string): Promise<StatusOverview> {
  const ctx = Context.current();
  const client = await rt.client(dashboard);
  try {
    const res = await rt.absorbRateLimits(
      () => client.request<{ counts?: { byStatus?: Record<string, unknown> } }>({ method: 'GET', orgId, path: `/organizations/${encodeURIComponent(orgId)}/devices/statuses/overview`, signal: ctx.cancellationSignal }),
      () => ({ orgId, step: 'status overview' }),
    );
    const byStatus = res.body?.counts?.byStatus;
    const counts = { online: 0, alerting: 0, offline: 0, dormant: 0 };
    for (const status of STATUSES) {
      const n = byStatus?.[status];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw activityFailure(
          'UnreadableStatusOverview',
          `organisation ${orgId}: the status overview has no count for ${status} (${JSON.stringify(res.body).slice(0, 200)})${res.requestId ? ` (X-Request-Id ${res.requestId})` : ''}; collect without --counts-only to count device by device`,
        );
      }
      counts[status] = n;
    }
    const unknown = Object.keys(byStatus ?? {}).filter((k) => !(STATUSES as readonly string[]).includes(k));
    if (unknown.length > 0) {
      throw activityFailure('UnreadableStatusOverview', `organisation ${orgId}: the status overview counts statuses netops does not know (${unknown.join(', ')}); collect without --counts-only`);
    }
    return { counts, requests: 1 };
  } finally {
    await client.close();
  }
}
