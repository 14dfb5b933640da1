import { startDashboardSim, type DashboardSim, type DashboardSimOptions } from '../../../src/lab/dashboard';
import { OrgRateLimiter } from '../../../src/devices/rest';
import { createRestActivities, RestRuntime } from '../../../src/activities/rest';
import { createDashboardOrgWorkers, type DashboardOrgWorkers } from '../../../src/workers/dashboard-workers';
import type { DashboardConnection } from '../../../src/contracts/dashboard';
import type { NetworkTarget } from '../../../src/contracts/rollout';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

export interface DashboardEnv {
  env: TemporalTestEnv;
  sim: DashboardSim;
  dashboard: DashboardConnection;
  orgWorkers?: DashboardOrgWorkers;
  /** Starts in-process per-org workers on the test's queues. */
  startOrgWorkers(ratePerSec?: number, extraOrgs?: string[]): Promise<DashboardOrgWorkers>;
  networkTargets(orgId?: string): NetworkTarget[];
  stop(): Promise<void>;
}

/** The key lives in an environment variable named by the reference, as in production. */
export const KEY_ENV = 'NETOPS_TEST_DASHBOARD_KEY';

/**
 * A simulator, the suite's Temporal server, a workflow worker on this file's
 * own task queue (so the per-org queues `<queue>-dashboard-<org>` are this
 * file's too).
 */
export async function startDashboardEnv(simOpts: DashboardSimOptions, opts: { mainWorker?: boolean } = {}): Promise<DashboardEnv> {
  const sim = await startDashboardSim(simOpts);
  process.env[KEY_ENV] = sim.apiKey;
  const env = await connectTestEnv();
  if (opts.mainWorker !== false) {
    // The main queue runs workflows only: REST activities live on the per-org queues.
    await env.startWorker({});
  }
  const running: DashboardOrgWorkers[] = [];
  const runs: Promise<void>[] = [];
  const dashboard: DashboardConnection = { baseUrl: sim.url, apiKey: { kind: 'env', name: KEY_ENV } };
  return {
    env,
    sim,
    dashboard,
    async startOrgWorkers(ratePerSec = 10, extraOrgs = []) {
      const w = await createDashboardOrgWorkers({
        connection: env.nativeConnection,
        taskQueue: env.taskQueue,
        orgs: [...sim.orgIds, ...extraOrgs].map((orgId) => ({ orgId, ratePerSec })),
        deps: { clientOptions: { backoff: { baseDelayMs: 5, maxDelayMs: 20 } }, heartbeatEveryMs: 200 },
      });
      running.push(w);
      runs.push(w.run());
      return w;
    },
    networkTargets(orgId) {
      return sim.networkIds(orgId).map((networkId) => {
        const org = sim.devices().find((d) => d.networkId === networkId)?.organizationId ?? '';
        return { kind: 'network', name: networkId, site: org, groups: [], orgId: org, networkId };
      });
    },
    async stop() {
      for (const w of running) w.shutdown();
      await Promise.allSettled(runs);
      for (const w of running) await w.close();
      await env.close();
      await sim.stop();
    },
  };
}

export { createRestActivities, RestRuntime, OrgRateLimiter };

export interface RateSeen {
  requests: number;
  /** Most requests that arrived within any 1 s window. */
  maxPerSecond: number;
  /**
   * The smallest bucket size with which a token bucket refilling at `ratePerSec`
   * would have let every one of these requests through: the burst the stream
   * actually used. A stream within "10/s with a burst of 10" has at most 10.
   */
  burstUsed: number;
  /** When 429s arrived, in ms after the organisation's first request. */
  rejectedAtMs: number[];
}

/** What the simulator saw of one organisation's request rate. */
export function rateSeen(sim: DashboardSim, orgId: string, ratePerSec = 10): RateSeen {
  const times = sim.log.filter({ orgId }).map((e) => e.at).sort((a, b) => a - b);
  const maxIn = (ts: number[]) => {
    let best = 0;
    let start = 0;
    for (let end = 0; end < ts.length; end++) {
      while ((ts[end] as number) - (ts[start] as number) >= 1000) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  };
  let burstUsed = 0;
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const refilled = (((times[j] as number) - (times[i] as number)) / 1000) * ratePerSec;
      burstUsed = Math.max(burstUsed, j - i + 1 - refilled);
    }
  }
  const first = times[0] ?? 0;
  const rejectedAtMs = sim.log.filter({ orgId, status: 429 }).map((e) => Math.round(e.at - first));
  return { requests: times.length, maxPerSecond: maxIn(times), burstUsed: Math.round(burstUsed * 100) / 100, rejectedAtMs };
}
