import { restActivity, RestRuntime, type RestActivityDeps } from './runtime';
import { collectStatusSlice, type StatusSliceInput } from './status-slice';
import type { DashboardRef, NetworkRef, ScheduleOptions, WaitOptions } from './types';
import { rollbackNetworkUpgrade, scheduleNetworkUpgrade, waitForNetworkUpgrade } from './upgrades';
import { verifyNetworkFirmware } from './verify-firmware';

/**
 * The dashboard REST activities, bound to one worker's runtime (connection
 * pool + per-organisation budget). Register the returned object on the worker.
 */
export function createRestActivities(deps: RestActivityDeps | RestRuntime = {}) {
  const rt = deps instanceof RestRuntime ? deps : new RestRuntime(deps);
  return {
    scheduleNetworkUpgrade: restActivity((net: NetworkRef, firmware: string, idempotencyKey: string, opts?: ScheduleOptions) =>
      scheduleNetworkUpgrade(rt, net, firmware, idempotencyKey, opts),
    ),
    waitForNetworkUpgrade: restActivity((net: NetworkRef, firmware: string, opts?: WaitOptions) => waitForNetworkUpgrade(rt, net, firmware, opts)),
    rollbackNetworkUpgrade: restActivity((net: NetworkRef, reason: string) => rollbackNetworkUpgrade(rt, net, reason)),
    collectStatusSlice: restActivity((dashboard: DashboardRef, orgId: string, input: StatusSliceInput) => collectStatusSlice(rt, dashboard, orgId, input)),
    verifyNetworkFirmware: restActivity((net: NetworkRef, firmware: string) => verifyNetworkFirmware(rt, net, firmware)),
  };
}

export type RestActivities = ReturnType<typeof createRestActivities>;
export { RestRuntime, type RestActivityDeps } from './runtime';
export { restFailure, writeOutcomeUnknown } from './failures';
export * from './types';
export { type FirmwareCheck } from './verify-firmware';
export { type StatusLane, type StatusSliceInput, type StatusSliceResult } from './status-slice';
export { emptyTally, tallyStatuses, type StatusTally } from './status-tally';
