import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../src/inventory';
import { toDeviceTarget } from '../../../src/client/device-targets';
import { startLab, type Lab, type LabEvent, type StartLabOptions } from '../../../src/lab';
import { buildActivities } from '../../../src/workers/activities';
import type { DeviceTarget } from '../../../src/contracts/rollout';
import { runCli, type CliRun } from '../../support/cli-process';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

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

export interface CollectCliEnv {
  readonly env: TemporalTestEnv;
  readonly fx: CollectLab;
  /** The flags every `netops collect ...` call of the file needs: inventory, result store, server, queue. */
  common(): string[];
  cli(args: string[]): Promise<CliRun>;
}

/**
 * The operator's view of collection: 8 mixed-platform lab devices, an
 * in-process worker on the file's own queue, and the real CLI. Registers
 * its own beforeAll/afterAll.
 */
export function useCollectCliEnv(): CollectCliEnv {
  let env: TemporalTestEnv | undefined;
  let fx: CollectLab | undefined;
  beforeAll(async () => {
    env = await connectTestEnv();
    fx = await startCollectLab({ devices: 8, sites: 2, platformMix: true });
    await env.startWorker(buildActivities({ maxSessions: 20, connectsPerSecond: 200 }));
  });
  afterAll(async () => {
    await env?.close();
    await fx?.stop();
  });
  const ready = () => {
    if (!env || !fx) throw new Error('useCollectCliEnv: used outside a test');
    return { env, fx };
  };
  return {
    get env() {
      return ready().env;
    },
    get fx() {
      return ready().fx;
    },
    common: () => ['--inventory', ready().fx.inventoryPath, '--results-dir', ready().fx.resultsDir, '--address', ready().env.address, '--task-queue', ready().env.taskQueue],
    cli: (args) => runCli(args, { timeoutMs: 60_000 }),
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
