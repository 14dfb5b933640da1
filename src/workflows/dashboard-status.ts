import { ApplicationFailure, executeChild, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_NO_WORKER_TIMEOUT_MS, explainNoWorker, orgTaskQueue } from './dashboard-org-queue';
import type { RestActivities, StatusEndpoint, StatusLane, StatusSliceInput, StatusSliceResult } from '../activities/rest';
import {
  type DashboardStatusInput,
  type DashboardStatusReport,
  type OrgStatusCounts,
  type OrgStatusInput,
} from '../contracts/dashboard';
import { DASHBOARD_RETRY, toDeviceError } from './device-failure';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';

const DEFAULT_MAX_LISTED = 50;
/**
 * Slices of one organisation in flight at once. Two are enough to hide the
 * hand-over between slices: while one runs, the next waits in the queue for
 * its turn under the server's task rate, so the budget never idles.
 */
const CHAINS = 2;
/** Slices in a row that only met a 429 before the organisation's collection gives up. */
const MAX_RATE_LIMITED_SLICES = 20;

/** REST activities of one organisation, on that organisation's rate-limited task queue. */
function orgActivities(orgId: string, noWorkerTimeoutMs: number) {
  return proxyActivities<RestActivities>({
    taskQueue: orgTaskQueue(orgId),
    startToCloseTimeout: '1 minute',
    // Pages in flight per org are few, so a long wait means no worker polls the queue.
    scheduleToStartTimeout: noWorkerTimeoutMs,
    // A 429's Retry-After overrides the interval (nextRetryDelay); 4xx other than 429 are non-retryable at the source.
    retry: { ...DASHBOARD_RETRY, maximumAttempts: 10 },
  });
}

/**
 * Device status counts of several organisations: one child per organisation,
 * all at once (each spends only its own organisation's budget), summed up.
 */
export async function dashboardStatusWorkflow(raw: DashboardStatusInput): Promise<DashboardStatusReport> {
  const input: DashboardStatusInput = acceptInput('dashboardStatusWorkflow', raw);
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
 * One organisation's device statuses, in slices: each activity spends at
 * most one task's request budget (see src/devices/rest/task-budget.ts), and
 * the organisation's task queue starts at most rate / budget tasks per
 * second across every worker, so the organisation's limit holds however
 * many workers serve it. With `concurrencyPerOrg` 1 it walks the
 * organisation's device list with one cursor (fewest requests); above 1 it
 * lists the networks and walks that many networks at once, which keeps the
 * budget busy while answers are in flight. Each slice returns its cursors,
 * which the next slice continues: a worker crash costs at most one slice.
 */
export async function dashboardOrgStatusWorkflow(raw: OrgStatusInput): Promise<OrgStatusCounts> {
  const input: OrgStatusInput = acceptInput('dashboardOrgStatusWorkflow', raw);
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
  if (input.countsOnly) {
    const overview = await acts.countDeviceStatuses(dashboard, orgId);
    const total = Object.values(overview.counts).reduce((a, b) => a + b, 0);
    return { ...emptyCounts(orgId), ...overview.counts, total, requests: overview.requests, tasks: 1 };
  }
  const perPage = input.perPage ?? 1000;
  const maxListed = input.maxListed ?? DEFAULT_MAX_LISTED;
  const lanesWanted = Math.max(1, input.concurrencyPerOrg ?? 4);
  const counts = emptyCounts(orgId);
  let rateLimitedInARow = 0;
  // Availabilities until the organisation answers 404 there; then every later slice reads the older statuses.
  let endpoint: StatusEndpoint = 'availabilities';

  const slice = async (req: Omit<StatusSliceInput, 'perPage' | 'maxListed' | 'endpoint'>): Promise<StatusSliceResult> => {
    const r = await acts.collectStatusSlice(dashboard, orgId, { ...req, perPage, maxListed, ...(endpoint === 'statuses' ? { endpoint } : {}) });
    if (r.endpoint === 'statuses') endpoint = 'statuses';
    counts.tasks = (counts.tasks ?? 0) + 1;
    counts.requests += r.requests;
    for (const k of ['online', 'offline', 'alerting', 'dormant'] as const) {
      counts[k] += r.counts[k];
      counts.total += r.counts[k];
    }
    for (const row of r.notOnline) {
      if (counts.notOnline.length < maxListed) counts.notOnline.push(row);
      else counts.notOnlineTruncated = true;
    }
    if (r.retryAfterMs !== undefined) {
      counts.rateLimited = (counts.rateLimited ?? 0) + 1;
      rateLimitedInARow = r.requests === 0 ? rateLimitedInARow + 1 : 0;
      if (rateLimitedInARow >= MAX_RATE_LIMITED_SLICES) {
        throw ApplicationFailure.nonRetryable(`organisation ${orgId}: ${rateLimitedInARow} slices in a row were answered 429 only; another application may be spending the whole budget`, 'RateLimitedTooLong');
      }
      await sleep(r.retryAfterMs);
    } else rateLimitedInARow = 0;
    return r;
  };

  // Networks listed but not started yet, shared by the chains.
  const pending: string[] = [];
  const chain = async (start: StatusLane[], maxLanes: number): Promise<void> => {
    let lanes = start;
    while (lanes.length > 0 || pending.length > 0) {
      const spare = pending.splice(0, maxLanes);
      const r = await slice({ lanes, spare, maxLanes });
      pending.unshift(...spare.slice(r.spareUsed));
      lanes = r.lanes;
    }
  };

  if (lanesWanted === 1) {
    await chain([{}], 1);
    return counts;
  }
  let lanes: StatusLane[] = [];
  for (let from: string | undefined; ; ) {
    const spare = pending.splice(0);
    const r = await slice({ lanes: [], spare, maxLanes: lanesWanted, listNetworks: from === undefined ? {} : { from } });
    const listed = r.listing?.networkIds ?? [];
    counts.networks += listed.length;
    if (r.listing?.done) {
      pending.push(...[...spare, ...listed].slice(r.spareUsed));
      lanes = r.lanes;
      break;
    }
    pending.push(...spare, ...listed);
    from = r.listing?.next ?? from;
  }
  const chains = Math.min(CHAINS, lanesWanted);
  const perChain = Math.ceil(lanesWanted / chains);
  await Promise.all(Array.from({ length: chains }, (_, c) => chain(lanes.filter((_, i) => i % chains === c), perChain)));
  return counts;
}

function emptyCounts(orgId: string): OrgStatusCounts {
  return { orgId, total: 0, online: 0, offline: 0, alerting: 0, dormant: 0, networks: 0, requests: 0, tasks: 0, rateLimited: 0, notOnline: [], notOnlineTruncated: false };
}

failOnUnexpectedErrors(dashboardStatusWorkflow);
failOnUnexpectedErrors(dashboardOrgStatusWorkflow);
