import { startDashboardSim, type DashboardSim, type DashboardSimOptions } from '../../../src/lab/dashboard';
import type { DashboardConnection, FirmwareJob } from '../../../src/contracts/dashboard';
import type { NetworkTarget, RolloutInput, RolloutSettings } from '../../../src/contracts/rollout';
import { orgSites } from '../../../src/cli/dashboard/dashboard';
import { TEST_TIMINGS } from '../../support/rollout-fixture';
import { KEY_ENV } from './helpers';

/** The simulator's switch versions (src/lab/dashboard/firmware-catalog.ts): seeded networks run OLD, rollouts go to NEW. */
export const OLD_FIRMWARE = { shortName: 'MS 15.21', firmware: 'switch-15-21' };
export const NEW_FIRMWARE = 'MS 17.1.4';
export const NEW_FIRMWARE_NAME = 'switch-17-1-4';

/** A simulator of switch networks whose upgrades take ~100 ms (600 simulated seconds at 6,000x). */
export async function startFirmwareSim(opts: DashboardSimOptions = {}): Promise<{ sim: DashboardSim; dashboard: DashboardConnection }> {
  const sim = await startDashboardSim({ orgs: 2, networksPerOrg: 6, devicesPerNetwork: 4, rateLimitPerSec: 10, timeScale: 6_000, seed: 5, productTypes: ['switch'], ...opts });
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
    // The upgrade starts at once: the simulator's clock runs ahead, so "now" on the worker is already past there.
    job: { kind: 'dashboard-firmware', firmware: NEW_FIRMWARE, dashboard, pollIntervalMs: 100, startDelayMs: 0, ...job },
    devices: networkTargets(sim, name),
    sites: orgSites(sim.orgIds),
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

/** PUTs of the network's firmwareUpgrades (schedules) the simulator received, 429s included. */
export function schedulePuts(sim: DashboardSim, networkId: string) {
  return sim.log.filter({ method: 'PUT' }).filter((e) => e.apiPath === `/networks/${networkId}/firmwareUpgrades`);
}

/** Rollback POSTs of the network. */
export function rollbackPosts(sim: DashboardSim, networkId: string) {
  return sim.log.filter({ method: 'POST' }).filter((e) => e.apiPath === `/networks/${networkId}/firmwareUpgrades/rollbacks`);
}
