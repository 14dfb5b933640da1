import { createActivities, type ActivityDeps } from '../activities';
import { collectActivities } from '../activities/collect';
import { deviceLockActivities } from '../activities/device-lock';
import { discoveryActivities } from '../activities/discovery';
import { probeActivities } from '../activities/probe';
import { rolloutActivities } from '../activities/roles';
import { DeviceRuntime } from '../activities/runtime';
import { SessionLimiter } from '../devices/limiter';

export interface WorkerActivityOptions {
  /** Sessions open at once on this worker (per-worker cap; the fleet sees no connection storm). */
  maxSessions?: number;
  /** New SSH connections per second from this worker. */
  connectsPerSecond?: number;
  deps?: ActivityDeps;
}

/**
 * All activities a netops worker serves on its main queue, sharing one
 * session limiter. The dashboard REST activities are not among them: they
 * run only on the organisations' own rate-limited queues
 * (createDashboardOrgWorkers), where the server holds each organisation's
 * limit across workers.
 */
export function buildActivities(opts: WorkerActivityOptions = {}): object {
  const limiter = opts.deps?.limiter ?? new SessionLimiter({ maxSessions: opts.maxSessions ?? 100, connectsPerSecond: opts.connectsPerSecond ?? 50 });
  const deps: ActivityDeps = { ...opts.deps, limiter };
  return {
    ...probeActivities,
    ...deviceLockActivities,
    ...createActivities(deps),
    ...rolloutActivities(new DeviceRuntime(deps)),
    ...discoveryActivities(new DeviceRuntime(deps)),
    ...collectActivities(new DeviceRuntime(deps)),
  };
}
