import { Context } from '@temporalio/activity';
import type { RestRuntime } from './runtime';
import type { CollectCheckpoint, CollectOptions, DashboardRef, DeviceStatus, DeviceStatusRow, OrgStatusSummary } from './types';

function emptySummary(orgId: string): OrgStatusSummary {
  return { orgId, total: 0, byStatus: { online: 0, offline: 0, alerting: 0, dormant: 0 }, notOnline: [], notOnlineTruncated: false, pages: 0, pagesThisAttempt: 0 };
}

/**
 * Counts the status of every device in an organisation, page by page. After
 * each page it heartbeats the next-page URL together with the counts so far,
 * so a retried attempt resumes after the last checkpointed page instead of
 * spending the organisation's budget on pages it already has.
 */
export async function collectOrgStatuses(rt: RestRuntime, dashboard: DashboardRef, orgId: string, opts: CollectOptions = {}): Promise<OrgStatusSummary> {
  const ctx = Context.current();
  const maxListed = opts.maxListed ?? 200;
  const resumed = ctx.info.heartbeatDetails as CollectCheckpoint | undefined;
  const checkpoint: CollectCheckpoint =
    resumed?.summary?.orgId === orgId && resumed.next !== undefined
      ? { next: resumed.next, summary: { ...resumed.summary, pagesThisAttempt: 0 } }
      : { next: undefined, summary: emptySummary(orgId) };
  const client = await rt.client(dashboard);
  // Each call walks from the last finished page, so after a 429 it picks up where it stopped.
  const walk = async () => {
    const pages = client.pages<DeviceStatusRow>({
      orgId,
      path: `/organizations/${encodeURIComponent(orgId)}/devices/statuses`,
      perPage: opts.perPage ?? 1000,
      query: opts.networkIds ? { networkIds: opts.networkIds } : undefined,
      from: checkpoint.next,
      signal: ctx.cancellationSignal,
    });
    for await (const page of pages) {
      addPage(checkpoint.summary, page.items, maxListed);
      checkpoint.next = page.next;
      ctx.heartbeat(checkpoint);
    }
  };
  try {
    await rt.absorbRateLimits(walk, () => checkpoint);
    return checkpoint.summary;
  } finally {
    await client.close();
  }
}

function addPage(summary: OrgStatusSummary, rows: DeviceStatusRow[], maxListed: number): void {
  summary.pages++;
  summary.pagesThisAttempt++;
  for (const row of rows) {
    summary.total++;
    const status: DeviceStatus = row.status in summary.byStatus ? row.status : 'offline';
    summary.byStatus[status]++;
    if (status === 'online') continue;
    if (summary.notOnline.length < maxListed) summary.notOnline.push({ serial: row.serial, name: row.name, networkId: row.networkId, status });
    else summary.notOnlineTruncated = true;
  }
}
