import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTopology, labImageName, makeLabImage, startLab, type Lab, type LabTimings } from '../../src/lab';
import { loadInventory } from '../../src/inventory';
import { toDeviceTarget } from '../../src/client/device-targets';
import { inspectImage } from '../../src/client/image-file';
import { LAB_DEVICE_TIMINGS } from '../../src/cli/rollout/settings';
import type { DeviceTimings, RolloutInput, RolloutSettings } from '../../src/contracts/rollout';
import { planFaults, type FaultPlan } from './fault-plan';
import type { Prng } from './prng';

export const FROM_VERSION = '17.09.04a';
export const TO_VERSION = '17.12.04';

/** Device timings for the fast lab: a lost device is declared lost after 8 s, a lost worker's step retried within seconds. */
export const CHAOS_DEVICE_TIMINGS: DeviceTimings = {
  ...LAB_DEVICE_TIMINGS,
  reloadTimeoutMs: 8_000,
  pollInitialMs: 150,
  pollMaxMs: 400,
  drainTimeoutMs: 8_000,
  heartbeatTimeoutMs: 3_000,
  stepTimeoutMs: 10_000,
};

/** Lab timings: the fast lab, with a boot long enough that kills land inside reloads too. */
const CHAOS_LAB_TIMINGS: Partial<LabTimings> = { bootMs: 600 };

export interface ChaosFleet {
  lab: Lab;
  plan: FaultPlan;
  inventoryPath: string;
  imagePath: string;
  /** How often each transient fault actually fired (device -> count). */
  fired: Map<string, number>;
  input(name: string, settings: Partial<RolloutSettings>): Promise<RolloutInput>;
  stop(): Promise<void>;
}

export interface FleetOptions {
  dir: string;
  devices: number;
  sites: number;
  dropRate: number;
  rng: Prng;
  imageBytes: number;
}

/**
 * The lab of a chaos run in this process (it outlives every worker and
 * server kill), its faults armed, its inventory written with secret files,
 * and the target image on disk.
 */
export async function startChaosFleet(o: FleetOptions): Promise<ChaosFleet> {
  const topology = generateTopology({ devices: o.devices, pairs: true, sites: o.sites, platform: 'iosxe', initialVersion: FROM_VERSION });
  const plan = planFaults(topology.devices, o.rng, o.dropRate);
  const lab = await startLab({ topology, fast: true, timings: CHAOS_LAB_TIMINGS, eventLogPath: join(o.dir, 'events.jsonl'), dataDir: join(o.dir, 'lab') });
  const fired = new Map<string, number>();
  const transient = new Map(plan.faults.filter((f) => f.transient).map((f) => [f.device, f.fault.kind]));
  lab.log.subscribe((e) => {
    if (e.type !== 'fault' || e.action !== 'fired') return;
    fired.set(e.device, (fired.get(e.device) ?? 0) + 1);
    // Cleared outside the lab's own emit, so the fault's effect on this connection still happens.
    if (transient.get(e.device) === e.fault) setImmediate(() => lab.clearFault(e.device, transient.get(e.device)));
  });
  for (const f of plan.faults) lab.setFault(f.device, f.fault);
  const inventoryPath = lab.writeInventory(join(o.dir, 'inventory.yaml'));
  const imagePath = join(o.dir, labImageName('iosxe', TO_VERSION));
  writeFileSync(imagePath, makeLabImage(TO_VERSION, o.imageBytes));
  return {
    lab,
    plan,
    inventoryPath,
    imagePath,
    fired,
    async input(name, settings) {
      const inv = await loadInventory(inventoryPath);
      return {
        name,
        job: { kind: 'upgrade', image: await inspectImage(imagePath), rollbackOnFailedPostCheck: true },
        devices: inv.devices.map(toDeviceTarget),
        sites: inv.sites,
        settings: {
          window: 10,
          siteConcurrency: o.sites,
          expectedDeviceDurationMs: 60_000,
          respectWindows: false,
          failureBudget: { count: 10 },
          requireApproval: false,
          dryRun: false,
          timings: CHAOS_DEVICE_TIMINGS,
          ...settings,
        },
      };
    },
    stop: () => lab.stop(),
  };
}
