import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../src/inventory';
import { toDeviceTarget } from '../../../src/client/device-targets';
import { startLab, type Lab, type StartLabOptions } from '../../../src/lab';
import type { DeviceTarget } from '../../../src/workflows/rollout-api';

export interface CollectLab {
  lab: Lab;
  dir: string;
  inventoryPath: string;
  resultsDir: string;
  targets: DeviceTarget[];
  stop(): Promise<void>;
}

/** A fast lab of mixed-platform HSRP/VRRP pairs, its inventory, and an empty result store. */
export async function startCollectLab(opts: StartLabOptions = {}): Promise<CollectLab> {
  const dir = mkdtempSync(join(tmpdir(), 'netops-collect-'));
  const lab = await startLab({ devices: 8, pairs: true, sites: 2, platformMix: true, fast: true, dataDir: join(dir, 'lab'), eventLogPath: join(dir, 'events.jsonl'), ...opts });
  const inventoryPath = lab.writeInventory(join(dir, 'inventory.yaml'));
  const inv = await loadInventory(inventoryPath);
  return {
    lab,
    dir,
    inventoryPath,
    resultsDir: join(dir, 'results'),
    targets: inv.devices.map(toDeviceTarget),
    async stop() {
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `show version` commands the lab saw per device (abbreviations included). */
export function showVersionCounts(lab: Lab, sinceSeq = 0): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of lab.events) {
    if (e.seq <= sinceSeq || e.type !== 'command' || !/^\s*sh(ow?)?\s+ver/i.test(e.command)) continue;
    counts.set(e.device, (counts.get(e.device) ?? 0) + 1);
  }
  return counts;
}
