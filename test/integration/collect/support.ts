import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../src/inventory';
import { toDeviceTarget } from '../../../src/client/device-targets';
import { startLab, type Lab, type LabEvent, type StartLabOptions } from '../../../src/lab';
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

const SHOW_VERSION = /^\s*sh(ow?)?\s+ver/i;

/** One SSH session as the lab saw it. */
export interface LabSession {
  session: string;
  device: string;
  openSeq: number;
  /** From its `session.close`: the client ended it (true) or the connection was lost (false); undefined while open. */
  clean?: boolean;
  commands: string[];
  showVersion: boolean;
}

/** Every session in the event log, by session id, with the commands run in it. */
export function labSessions(events: LabEvent[]): Map<string, LabSession> {
  const sessions = new Map<string, LabSession>();
  for (const e of events) {
    if (e.type === 'session.open') sessions.set(e.session, { session: e.session, device: e.device, openSeq: e.seq, commands: [], showVersion: false });
    const s = 'session' in e && e.session !== undefined ? sessions.get(e.session) : undefined;
    if (!s) continue;
    if (e.type === 'session.close') s.clean = e.clean;
    if (e.type === 'command') {
      s.commands.push(e.command.trim());
      if (SHOW_VERSION.test(e.command)) s.showVersion = true;
    }
  }
  return sessions;
}

/** `show version` commands the lab saw per device (abbreviations included). */
export function showVersionCounts(lab: Lab, sinceSeq = 0): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of lab.events) {
    if (e.seq <= sinceSeq || e.type !== 'command' || !SHOW_VERSION.test(e.command)) continue;
    counts.set(e.device, (counts.get(e.device) ?? 0) + 1);
  }
  return counts;
}
