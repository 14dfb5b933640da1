import { restActivity, RestRuntime, type RestActivityDeps } from './runtime';
import { readNetworkFirmware, rollbackFirmwareUpgrade, scheduleFirmwareUpgrade, waitForFirmwareUpgrade } from './firmware';
import { countDeviceStatuses } from './status-overview';
import { collectStatusSlice, type StatusSliceInput } from './status-slice';
import type { DashboardRef, FirmwareTarget, NetworkRef, RollbackRequest, ScheduleRequest, WaitOptions, WaitRequest } from './types';

/**
 * The dashboard REST activities, bound to one worker's runtime (connection
 * pool + per-organisation and per-IP budgets). Register the returned object
 * on the worker. The firmware activities are the Dashboard API v1's network
 * firmware upgrades (GET/PUT firmwareUpgrades, POST firmwareUpgrades/rollbacks).
 */
export function createRestActivities(deps: RestActivityDeps | RestRuntime = {}) {
  const rt = deps instanceof RestRuntime ? deps : new RestRuntime(deps);
  return {
    readNetworkFirmware: restActivity((net: NetworkRef, target: FirmwareTarget) => readNetworkFirmware(rt, net, target)),
    scheduleFirmwareUpgrade: restActivity((net: NetworkRef, req: ScheduleRequest) => scheduleFirmwareUpgrade(rt, net, req)),
    waitForFirmwareUpgrade: restActivity((net: NetworkRef, req: WaitRequest, opts?: WaitOptions) => waitForFirmwareUpgrade(rt, net, req, opts)),
    rollbackFirmwareUpgrade: restActivity((net: NetworkRef, req: RollbackRequest) => rollbackFirmwareUpgrade(rt, net, req)),
    collectStatusSlice: restActivity((dashboard: DashboardRef, orgId: string, input: StatusSliceInput) => collectStatusSlice(rt, dashboard, orgId, input)),
    countDeviceStatuses: restActivity((dashboard: DashboardRef, orgId: string) => countDeviceStatuses(rt, dashboard, orgId)),
  };
}

export type RestActivities = ReturnType<typeof createRestActivities>;
export { RestRuntime, type RestActivityDeps } from './runtime';
export { restFailure, writeOutcomeUnknown } from './failures';
export * from './types';
export { readFirmwareState, resolveTarget, sameTime, versionName, type ProductFirmwareState } from './firmware-state';
export { type StatusLane, type StatusSliceInput, type StatusSliceResult, type StatusEndpoint } from './status-slice';
export { type StatusOverview } from './status-overview';
export { emptyTally, readStatusRow, tallyStatuses, type StatusTally } from './status-tally';
