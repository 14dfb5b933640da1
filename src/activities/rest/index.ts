import { restActivity, RestRuntime, type RestActivityDeps } from './runtime';
import { readNetworkFirmware, rollbackFirmwareUpgrade, scheduleFirmwareUpgrade, waitForFirmwareUpgrade } from './firmware';
import { checkStagedGroup, deferStagedUpgrade, readStagedPlan, rollbackStagedUpgrade, scheduleStagedUpgrade, waitForStagedStage } from './staged';
import type { StageCheckRequest, StagedDeferRequest, StagedPlanRequest, StagedRollbackRequest, StagedScheduleRequest, StageWaitRequest } from './staged-types';
import { countDeviceStatuses } from './status-overview';
import { collectStatusSlice, type StatusSliceInput } from './status-slice';
import type { DashboardRef, FirmwareTarget, NetworkRef, RollbackRequest, ScheduleRequest, WaitOptions, WaitRequest } from './types';

/**
 * The dashboard REST activities, bound to one worker's runtime (connection
 * pool + per-organisation and per-IP budgets). Register the returned object
 * on the worker. The firmware activities are the Dashboard API v1's network
 * firmware upgrades (GET/PUT firmwareUpgrades, POST firmwareUpgrades/rollbacks)
 * and, for switch networks, staged upgrades (firmwareUpgrades/staged/...).
 */
export function createRestActivities(deps: RestActivityDeps | RestRuntime = {}) {
  const rt = deps instanceof RestRuntime ? deps : new RestRuntime(deps);
  return {
    readNetworkFirmware: restActivity((net: NetworkRef, target: FirmwareTarget) => readNetworkFirmware(rt, net, target)),
    scheduleFirmwareUpgrade: restActivity((net: NetworkRef, req: ScheduleRequest) => scheduleFirmwareUpgrade(rt, net, req)),
    waitForFirmwareUpgrade: restActivity((net: NetworkRef, req: WaitRequest, opts?: WaitOptions) => waitForFirmwareUpgrade(rt, net, req, opts)),
    rollbackFirmwareUpgrade: restActivity((net: NetworkRef, req: RollbackRequest) => rollbackFirmwareUpgrade(rt, net, req)),
    readStagedPlan: restActivity((net: NetworkRef, req: StagedPlanRequest) => readStagedPlan(rt, net, req)),
    scheduleStagedUpgrade: restActivity((net: NetworkRef, req: StagedScheduleRequest) => scheduleStagedUpgrade(rt, net, req)),
    waitForStagedStage: restActivity((net: NetworkRef, req: StageWaitRequest, opts?: WaitOptions) => waitForStagedStage(rt, net, req, opts)),
    checkStagedGroup: restActivity((net: NetworkRef, req: StageCheckRequest) => checkStagedGroup(rt, net, req)),
    deferStagedUpgrade: restActivity((net: NetworkRef, req: StagedDeferRequest) => deferStagedUpgrade(rt, net, req)),
    rollbackStagedUpgrade: restActivity((net: NetworkRef, req: StagedRollbackRequest) => rollbackStagedUpgrade(rt, net, req)),
    collectStatusSlice: restActivity((dashboard: DashboardRef, orgId: string, input: StatusSliceInput) => collectStatusSlice(rt, dashboard, orgId, input)),
    countDeviceStatuses: restActivity((dashboard: DashboardRef, orgId: string) => countDeviceStatuses(rt, dashboard, orgId)),
  };
}

export type RestActivities = ReturnType<typeof createRestActivities>;
export { RestRuntime, type RestActivityDeps } from './runtime';
export { writeOutcomeUnknown } from '../failures';
export * from './types';
export * from './staged-types';
export { STAGED_PRODUCTS, isStagedProduct, type StagedProduct, type PlannedStage } from './staged-state';
export { readFirmwareState, resolveTarget, sameTime, versionName, type ProductFirmwareState } from './firmware-state';
export { type StatusLane, type StatusSliceInput, type StatusSliceResult, type StatusEndpoint } from './status-slice';
export { type StatusOverview } from './status-overview';
export { emptyTally, readStatusRow, tallyStatuses, type StatusTally } from './status-tally';
