import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_NO_WORKER_TIMEOUT_MS, explainNoWorker, orgTaskQueue } from './dashboard-org-queue';
import type { RestActivities, StatusPage } from '../activities/rest';
import {
  type DashboardStatusInput,
  type DashboardStatusReport,
  type OrgStatusCounts,
  type OrgStatusInput,
} from './dashboard-api';
import { toDeviceError } from './device-failure';

const DEFAULT_MAX_LISTED = 50;

/** REST activities of one organisation, on that organisation's rate-limited task queue. */
function orgActivities(orgId: string, noWorkerTimeoutMs: number) {
  return proxyActivities<RestActivities>({
    taskQueue: orgTaskQueue(orgId),
    startToCloseTimeout: '1 minute',
    // Pages in flight per org are few, so a long wait means no worker polls the queue.
    scheduleToStartTimeout: noWorkerTimeoutMs,
    // A 429's Retry-After overrides the interval (nextRetryDelay); 4xx other than 429 are non-retryable at the source.
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
  });
}

/**
 * Device status counts of several organisations: one child per organisation,
 * all at once (each spends only its own organisation's budget), summed up.
 */
export async function dashboardStatusWorkflow(input: DashboardStatusInput): Promise<DashboardStatusReport> {
  const parentId = workflowInfo().workflowId;
  const { orgIds, ...rest } = input;
  const settled = await Promise.allSettled(
    orgIds.map((orgId) =>
      executeChild(dashboardOrgStatusWorkflow, {
        workflowId: `${parentId}/org/${orgId}`,
        args: [{ ...rest, orgId }],
        staticSummary: `device statuses of organisation ${orgId}`,
      }),
    ),
  );
  const orgs = settled.map((s, i): OrgStatusCounts => {
    if (s.status === 'fulfilled') return s.value;
    return { ...emptyCounts(orgIds[i] as string), error: toDeviceError(s.reason).message };
  });
  const totals = { total: 0, online: 0, offline: 0, alerting: 0, dormant: 0 };
  for (const o of orgs) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += o[k];
  return { orgs, totals, failedOrgs: orgs.filter((o) => o.error !== undefined).map((o) => o.orgId) };
}

/**
 * One organisation's device statuses, one page per activity (so the task
 * queue's rate limit is the request rate). With `concurrencyPerOrg` 1 it
 * walks the organisation's device list with one cursor (fewest requests);
 * above 1 it lists the networks and pages several networks at once, which
 * keeps the organisation's budget busy while earlier pages are in flight.
 * Every page lands in history, which is the checkpoint: a worker crash
 * resumes at the next page.
 */
export async function dashboardOrgStatusWorkflow(input: OrgStatusInput): Promise<OrgStatusCounts> {
  const { orgId } = input;
  const acts = orgActivities(orgId, input.noWorkerTimeoutMs ?? DEFAULT_NO_WORKER_TIMEOUT_MS);
  try {
    return await collect(input, acts);
  } catch (err) {
    throw explainNoWorker(err, orgId);
  }
}

async function collect(input: OrgStatusInput, acts: ReturnType<typeof orgActivities>): Promise<OrgStatusCounts> {
  const { orgId, dashboard } = input;
  const perPage = input.perPage ?? 1000;
  const maxListed = input.maxListed ?? DEFAULT_MAX_LISTED;
  const concurrency = Math.max(1, input.concurrencyPerOrg ?? 4);
  const counts = emptyCounts(orgId);
  const add = (page: StatusPage) => {
    counts.requests++;
    for (const k of ['online', 'offline', 'alerting', 'dormant'] as const) {
      counts[k] += page.counts[k];
      counts.total += page.counts[k];
    }
    for (const row of page.notOnline) {
      if (counts.notOnline.length < maxListed) counts.notOnline.push(row);
      else counts.notOnlineTruncated = true;
    }
  };
  const walk = async (networkIds?: string[]) => {
    let from: string | undefined;
    do {
      const page = await acts.fetchStatusPage(dashboard, orgId, { perPage, maxListed, ...(from ? { from } : networkIds ? { networkIds } : {}) });
      add(page);
      from = page.next;
    } while (from !== undefined);
  };

  if (concurrency === 1) {
    await walk();
    return counts;
  }
  const networks: string[] = [];
  let from: string | undefined;
  do {
    const page = await acts.fetchNetworksPage(dashboard, orgId, { perPage: 1000, ...(from ? { from } : {}) });
    counts.requests++;
    networks.push(...page.networkIds);
    from = page.next;
  } while (from !== undefined);
  counts.networks = networks.length;
  let nextNetwork = 0;
  const lane = async () => {
    while (nextNetwork < networks.length) await walk([networks[nextNetwork++] as string]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, networks.length) }, lane));
  return counts;
}

function emptyCounts(orgId: string): OrgStatusCounts {
  return { orgId, total: 0, online: 0, offline: 0, alerting: 0, dormant: 0, networks: 0, requests: 0, notOnline: [], notOnlineTruncated: false };
}
