import { collectOrgStatuses } from './collect-statuses';
import { fetchNetworksPage, fetchStatusPage, verifyNetworkFirmware, type PageCursor, type StatusPageOptions } from './pages';
import { restActivity, RestRuntime, type RestActivityDeps } from './runtime';
import type { CollectOptions, DashboardRef, NetworkRef, ScheduleOptions, WaitOptions } from './types';
import { rollbackNetworkUpgrade, scheduleNetworkUpgrade, waitForNetworkUpgrade } from './upgrades';

/**
 * The dashboard REST activities, bound to one worker's runtime (connection
 * pool + per-organisation budget). Register the returned object on the worker.
 */
export function createRestActivities(deps: RestActivityDeps | RestRuntime = {}) {
  const rt = deps instanceof RestRuntime ? deps : new RestRuntime(deps);
  return {
    collectOrgStatuses: restActivity((dashboard: DashboardRef, orgId: string, opts?: CollectOptions) => collectOrgStatuses(rt, dashboard, orgId, opts)),
    scheduleNetworkUpgrade: restActivity((net: NetworkRef, firmware: string, idempotencyKey: string, opts?: ScheduleOptions) =>
      scheduleNetworkUpgrade(rt, net, firmware, idempotencyKey, opts),
    ),
    waitForNetworkUpgrade: restActivity((net: NetworkRef, firmware: string, opts?: WaitOptions) => waitForNetworkUpgrade(rt, net, firmware, opts)),
    rollbackNetworkUpgrade: restActivity((net: NetworkRef, reason: string) => rollbackNetworkUpgrade(rt, net, reason)),
    fetchNetworksPage: restActivity((dashboard: DashboardRef, orgId: string, cursor?: PageCursor) => fetchNetworksPage(rt, dashboard, orgId, cursor)),
    fetchStatusPage: restActivity((dashboard: DashboardRef, orgId: string, opts?: StatusPageOptions) => fetchStatusPage(rt, dashboard, orgId, opts)),
    verifyNetworkFirmware: restActivity((net: NetworkRef, firmware: string) => verifyNetworkFirmware(rt, net, firmware)),
  };
}

export type RestActivities = ReturnType<typeof createRestActivities>;
export { RestRuntime, type RestActivityDeps } from './runtime';
export { restFailure, writeOutcomeUnknown } from './failures';
export * from './types';
export { summarisePage, type PageCursor, type NetworksPage, type StatusPageOptions, type StatusPage, type FirmwareCheck } from './pages';
