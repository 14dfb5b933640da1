import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createRestActivities, RestRuntime, type RestActivityDeps } from '../activities/rest';
import { DASHBOARD_IP_RATE_PER_SEC, OrgRateLimiter } from '../devices/rest/org-limiter';
import { DEFAULT_REQUESTS_PER_TASK, taskBudget, type TaskBudget } from '../devices/rest/task-budget';
import { TASK_QUEUE } from '../contracts/names';
import { dashboardTaskQueue, isValidOrgId } from '../contracts/dashboard';

/**
 * Just under the dashboard's documented budget of 10 requests per second per
 * organisation: the server's limit and the dashboard's are both buckets of
 * about one second, and arriving exactly at the limit, network jitter turns
 * the first burst into a 429 now and then. Other applications share the
 * budget too; give an organisation a rate of its own with `ORG:rate`.
 */
export const DEFAULT_ORG_RATE_PER_SEC = 9;

export interface DashboardOrgSpec {
  orgId: string;
  /** Requests per second for this organisation, across every worker (a task carries up to its budget of them). */
  ratePerSec: number;
}

export interface DashboardOrgWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  /** The main task queue; each organisation's queue is `<taskQueue>-dashboard-<orgId>`. */
  taskQueue?: string;
  orgs: DashboardOrgSpec[];
  /** REST activity dependencies (secret resolution, client options); the limiter is built here from the rates. */
  deps?: Omit<RestActivityDeps, 'limiter'>;
  /** Activities of one organisation run at once on this worker. */
  maxConcurrentActivities?: number;
  /** Requests one activity task may send (the organisation's queue starts rate / this many tasks per second). Default 5. */
  requestsPerTask?: number;
  /**
   * This process's share of the dashboard's per-source-IP cap (100 requests/s
   * across all organisations). Default: $NETOPS_DASHBOARD_IP_RATE, else 100 (`netops worker --dashboard-ip-rate`).
   * Several workers behind one address must split it (e.g. 3 workers: 33).
   */
  ipRatePerSec?: number;
  extra?: Partial<WorkerOptions>;
}

export interface DashboardOrgWorkers {
  workers: Worker[];
  runtime: RestRuntime;
  /** Each organisation's per-task budget, as its queue is limited. */
  budgets: ReadonlyMap<string, TaskBudget>;
  /** Runs every worker until shutdown() (or a worker fails). */
  run(): Promise<void>;
  shutdown(): void;
  close(): Promise<void>;
}

/**
 * Parses `--dashboard-orgs`: comma-separated organisation ids, each with an
 * optional `:rate` (requests per second), e.g. `500000,500037:5`.
 */
export function parseDashboardOrgs(text: string, defaultRate = DEFAULT_ORG_RATE_PER_SEC): DashboardOrgSpec[] {
  const specs: DashboardOrgSpec[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [orgId = '', rate] = part.split(':', 2);
    if (!isValidOrgId(orgId)) throw new RangeError(`"${orgId}" is not an organisation id (letters, digits, '.', '_', '-')`);
    const ratePerSec = rate === undefined ? defaultRate : Number(rate);
    if (!(ratePerSec > 0) || ratePerSec > 1000) throw new RangeError(`"${part}": the rate must be a number of requests per second above 0 (at most 1000)`);
    if (specs.some((s) => s.orgId === orgId)) throw new RangeError(`organisation ${orgId} is listed twice`);
    specs.push({ orgId, ratePerSec });
  }
  if (specs.length === 0) throw new RangeError('no organisation ids given');
  return specs;
}

/**
 * One activity-only worker per organisation, polling that organisation's
 * task queue. The queue's `maxTaskQueueActivitiesPerSecond` is the
 * organisation's rate divided by the requests one task may send (its
 * budget, see task-budget.ts): that limit lives on the Temporal server and
 * covers every worker polling the queue, so three worker processes together
 * still start at most that many tasks per second, each spending at most its
 * budget, paced, within its window. The in-process token bucket (same rate)
 * stays as a backstop for what a task sends outside a slice (the upgrade
 * waiter's polls).
 */
export async function createDashboardOrgWorkers(opts: DashboardOrgWorkersOptions): Promise<DashboardOrgWorkers> {
  const budgets = new Map(opts.orgs.map((o) => [o.orgId, taskBudget(o.ratePerSec, opts.requestsPerTask ?? DEFAULT_REQUESTS_PER_TASK)]));
  // OrgRateLimiter has one rate for every org: the largest; slower orgs are held by their queue limit and task budget.
  const maxRate = Math.max(DEFAULT_ORG_RATE_PER_SEC, ...opts.orgs.map((o) => o.ratePerSec));
  const ipRatePerSec = opts.ipRatePerSec ?? ipRateFromEnv();
  const runtime = new RestRuntime({ ...opts.deps, limiter: new OrgRateLimiter({ ratePerSec: maxRate, burst: maxRate, ipRatePerSec }), taskBudgets: budgets });
  const activities = createRestActivities(runtime);
  const base = opts.taskQueue ?? TASK_QUEUE;
  const workers = await Promise.all(
    [...budgets].map(([orgId, budget]) =>
      Worker.create({
        connection: opts.connection,
        namespace: opts.namespace ?? 'default',
        taskQueue: dashboardTaskQueue(base, orgId),
        activities,
        maxTaskQueueActivitiesPerSecond: budget.tasksPerSec,
        maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? 50,
        ...opts.extra,
      }),
    ),
  );
  return {
    workers,
    runtime,
    budgets,
    run: async () => {
      await Promise.all(workers.map((w) => w.run()));
    },
    shutdown: () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
    close: () => runtime.close(),
  };
}

/**
 * This worker's share of the per-IP cap, checked: `--dashboard-ip-rate` when
 * given, else $NETOPS_DASHBOARD_IP_RATE, else the whole cap (100). Several
 * workers behind one public address must split the cap between them (three
 * workers: 33 each), or together they can exceed it.
 */
export function parseIpRate(raw: string | undefined, source = '--dashboard-ip-rate'): number {
  if (raw === undefined || raw.trim() === '') return DASHBOARD_IP_RATE_PER_SEC;
  const rate = Number(raw);
  if (!(rate > 0) || rate > DASHBOARD_IP_RATE_PER_SEC) {
    throw new RangeError(`${source}="${raw}": give this worker's share of the dashboard's per-IP cap, a number of requests per second above 0 and at most ${DASHBOARD_IP_RATE_PER_SEC} (split ${DASHBOARD_IP_RATE_PER_SEC} between the workers behind one address)`);
  }
  return rate;
}

/** NETOPS_DASHBOARD_IP_RATE, checked (see parseIpRate). */
export function ipRateFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return parseIpRate(env['NETOPS_DASHBOARD_IP_RATE'], 'NETOPS_DASHBOARD_IP_RATE');
}
