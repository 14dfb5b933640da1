import { startDashboardSim, type DashboardSim, type DashboardSimOptions } from '../../../src/lab/dashboard';
import type { DashboardConnection, FirmwareJob } from '../../../src/workflows/dashboard-api';
import type { NetworkTarget, RolloutInput, RolloutSettings } from '../../../src/workflows/rollout-api';
import { TEST_TIMINGS } from '../../support/rollout-fixture';
import { KEY_ENV } from './helpers';

export const NEW_FIRMWARE = 'NX 30.1';

/** A simulator whose staged upgrades take ~100 ms per stage (600 simulated seconds at 6,000x). */
export async function startFirmwareSim(opts: DashboardSimOptions = {}): Promise<{ sim: DashboardSim; dashboard: DashboardConnection }> {
  const sim = await startDashboardSim({ orgs: 2, networksPerOrg: 6, devicesPerNetwork: 4, rateLimitPerSec: 10, timeScale: 6_000, seed: 5, ...opts });
  process.env[KEY_ENV] = sim.apiKey;
  return { sim, dashboard: { baseUrl: sim.url, apiKey: { kind: 'env', name: KEY_ENV } } };
}

/** Every network of the simulator as a rollout target; names carry `prefix` so device/<name> ids never collide across tests. */
export function networkTargets(sim: DashboardSim, prefix: string): NetworkTarget[] {
  return sim.orgIds.flatMap((orgId) =>
    sim.networkIds(orgId).map((networkId) => ({ kind: 'network' as const, name: `${prefix}-${networkId}`, site: orgId, groups: [], orgId, networkId })),
  );
}

export function firmwareRollout(name: string, sim: DashboardSim, dashboard: DashboardConnection, settings: Partial<RolloutSettings> = {}, job: Partial<FirmwareJob> = {}): RolloutInput {
  return {
    name,
    job: { kind: 'dashboard-firmware', firmware: NEW_FIRMWARE, dashboard, stages: 2, pollIntervalMs: 100, ...job },
    devices: networkTargets(sim, name),
    sites: {},
    settings: {
      window: 3,
      expectedDeviceDurationMs: 10_000,
      respectWindows: false,
      failureBudget: { count: 0 },
      requireApproval: false,
      dryRun: false,
      timings: TEST_TIMINGS,
      ...settings,
    },
  };
}

/** POSTs that scheduled an upgrade of the network (answered, not refused with 429). */
export function schedulePosts(sim: DashboardSim, networkId: string) {
  return sim.log.filter({ method: 'POST', pathIncludes: `/networks/${networkId}/firmwareUpgrades/staged/events` }).filter((e) => !e.path.endsWith('/rollbacks'));
}
