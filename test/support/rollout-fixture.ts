import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labImageName, makeLabImage, startLab, type Lab, type StartLabOptions } from '../../src/lab';
import { loadInventory } from '../../src/inventory';
import { toDeviceTarget } from '../../src/client/device-targets';
import { inspectImage } from '../../src/client/image-file';
import { LAB_DEVICE_TIMINGS } from '../../src/cli/rollout/settings';
import type { DeviceTimings, RolloutInput, RolloutSettings } from '../../src/contracts/rollout';

export const FROM_VERSION = '17.09.04a';
export const TO_VERSION = '17.12.04';

/** Device timings for tests against the fast lab: every wait is short, every poll quick. */
export const TEST_TIMINGS: DeviceTimings = {
  ...LAB_DEVICE_TIMINGS,
  reloadTimeoutMs: 8_000,
  pollInitialMs: 100,
  pollMaxMs: 300,
  drainTimeoutMs: 5_000,
  heartbeatTimeoutMs: 3_000,
  stepTimeoutMs: 10_000,
};

export interface LabFixture {
  lab: Lab;
  dir: string;
  inventoryPath: string;
  imagePath: string;
  /** A rollout input over the whole lab (or `devices`), with test timings. */
  input(name: string, settings?: Partial<RolloutSettings>, devices?: string[]): Promise<RolloutInput>;
  stop(): Promise<void>;
}

/**
 * A fast lab of IOS-XE HSRP pairs, its inventory and a target image, as a
 * rollout test needs them. The event log is on disk so `lab verify` can read it.
 */
export async function startLabFixture(opts: StartLabOptions = {}): Promise<LabFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'netops-rollout-'));
  const lab = await startLab({
    devices: 8,
    pairs: true,
    sites: 2,
    platform: 'iosxe',
    initialVersion: FROM_VERSION,
    fast: true,
    eventLogPath: join(dir, 'events.jsonl'),
    dataDir: join(dir, 'lab'),
    ...opts,
  });
  const inventoryPath = lab.writeInventory(join(dir, 'inventory.yaml'));
  const imagePath = join(dir, labImageName('iosxe', TO_VERSION));
  writeFileSync(imagePath, makeLabImage(TO_VERSION, 256 * 1024));
  return {
    lab,
    dir,
    inventoryPath,
    imagePath,
    async input(name, settings = {}, devices) {
      const inv = await loadInventory(inventoryPath);
      const selected = devices ? inv.devices.filter((d) => devices.includes(d.name)) : inv.devices;
      const image = await inspectImage(imagePath);
      return {
        name,
        job: { kind: 'upgrade', image, rollbackOnFailedPostCheck: true },
        devices: selected.map(toDeviceTarget),
        sites: inv.sites,
        settings: {
          window: 4,
          expectedDeviceDurationMs: 60_000,
          respectWindows: true,
          failureBudget: { count: 0 },
          requireApproval: false,
          dryRun: false,
          timings: TEST_TIMINGS,
          ...settings,
        },
      };
    },
    async stop() {
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
