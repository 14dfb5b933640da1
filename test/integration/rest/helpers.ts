import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createRestActivities, type DashboardRef, type NetworkRef, type RestActivityDeps } from '../../../src/activities/rest';
import { DashboardClient, OrgRateLimiter, type DashboardClientOptions } from '../../../src/devices/rest';
import type { DashboardSim } from '../../../src/lab/dashboard';

/** A client for the simulator; a fast budget unless the test is about rate limits. */
export function clientFor(sim: DashboardSim, opts: Partial<DashboardClientOptions> = {}): DashboardClient {
  return new DashboardClient({
    baseUrl: sim.url,
    apiKey: () => sim.apiKey,
    limiter: new OrgRateLimiter({ ratePerSec: 1_000, burst: 100 }),
    backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    ...opts,
  });
}

/** The key lives in an environment variable named by the reference, as in production. */
export function dashboardRef(sim: DashboardSim, envName = 'NETOPS_TEST_DASHBOARD_KEY'): DashboardRef {
  process.env[envName] = sim.apiKey;
  return { baseUrl: sim.url, apiKey: { kind: 'env', name: envName } };
}

export function networkRef(sim: DashboardSim, orgId: string, networkId: string): NetworkRef {
  return { dashboard: dashboardRef(sim), orgId, networkId };
}

export function activitiesFor(deps: RestActivityDeps = {}) {
  return createRestActivities({
    limiter: new OrgRateLimiter({ ratePerSec: 1_000, burst: 100 }),
    clientOptions: { backoff: { baseDelayMs: 5, maxDelayMs: 20 } },
    heartbeatEveryMs: 100,
    ...deps,
  });
}

/** Runs an activity in a mock context and records its heartbeats. */
export async function runActivity<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  args: A,
  heartbeatDetails?: unknown,
): Promise<{ result?: R; error?: unknown; heartbeats: unknown[] }> {
  // Failures are what several tests expect; keep the SDK's warnings out of the output.
  const env = new MockActivityEnvironment(heartbeatDetails === undefined ? {} : { heartbeatDetails }, { logger: new DefaultLogger('ERROR') });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(structuredClone(d)));
  try {
    return { result: await env.run(fn, ...args), heartbeats };
  } catch (error) {
    return { error, heartbeats };
  }
}
