import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory';
import { labImageName, makeLabImage } from '../../src/lab';
import type { RolloutProgress, RolloutReport } from '../../src/workflows/rollout-api';
import { runCli, startCli, type CliRun, type LongRunning } from '../support/cli-process';
import { freeServerPorts, isListening } from './free-port';

/**
 * The README's first five minutes, as a user lives them: `netops dev` in one
 * terminal, then a second rollout started and steered from another terminal
 * with separate CLI processes, then Ctrl-C, after which nothing is left behind.
 */
const NEXT_VERSION = '17.15.01';

let dir: string;
let port: number;
let uiPort: number;
let dev: LongRunning;
let address: string;

function netops(args: string[]): Promise<CliRun> {
  return runCli([...args, '--address', address], { timeoutMs: 90_000 });
}

async function progress(): Promise<RolloutProgress> {
  const run = await netops(['rollout', 'status', 'second', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as RolloutProgress;
}

async function waitForStatus(status: RolloutProgress['status'], timeoutMs = 90_000): Promise<RolloutProgress> {
  const started = Date.now();
  for (;;) {
    const p = await progress();
    if (p.status === status) return p;
    if (Date.now() - started > timeoutMs) throw new Error(`rollout "second" is ${p.status}, not ${status}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Processes whose command line holds `--port <port>`: the dev server's Temporal, if it outlived `dev`. */
function processesOnPort(p: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const i = args.indexOf('--port');
    if (i >= 0 && args[i + 1] === String(p)) found.push(`${pid}: ${args.join(' ')}`);
  }
  return found;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netops-e2e-dev-'));
  ({ port, uiPort } = await freeServerPorts());
  address = `127.0.0.1:${port}`;
  dev = startCli(['dev', '--port', String(port), '--ui-port', String(uiPort), '--devices', '8', '--sites', '2', '--fresh', '--plain'], {
    env: { NETOPS_DATA_DIR: dir },
  });
});

afterAll(async () => {
  await dev?.stop('SIGINT');
  rmSync(dir, { recursive: true, force: true });
});

describe('netops dev, then a second rollout from another terminal', () => {
  it('runs its own rollout to completion and stays up', async () => {
    await dev.waitFor(/everything stays up until Ctrl-C/, 180_000);
    const out = dev.output();
    expect(out).toMatch(new RegExp(`Temporal 127\\.0\\.0\\.1:${port}, Web UI http://127\\.0\\.0\\.1:${uiPort}`));
    expect(out).toMatch(/rollout dev-\S+ completed: 8 upgraded/);
    expect(out).toContain(`inventory ${join(dir, 'inventory.yaml')}`);
    expect(await isListening(port)).toBe(true);
    expect(await isListening(uiPort)).toBe(true);
  });

  it('starts, pauses, resumes, approves and watches a second rollout to a newer image', async () => {
    const image = join(dir, 'images', labImageName('iosxe', NEXT_VERSION));
    writeFileSync(image, makeLabImage(NEXT_VERSION, 512 * 1024));

    const start = await netops([
      'rollout', 'start', '--inventory', join(dir, 'inventory.yaml'), '--image', image,
      '--timings', 'lab', '--canary', '1', '--window', '2', '--name', 'second',
    ]);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain(`started rollout second: 8 devices to ${NEXT_VERSION}`);
    expect(start.stdout).toContain(`http://127.0.0.1:${uiPort}/namespaces/default/workflows/rollout%2Fsecond`);

    const twice = await netops([
      'rollout', 'start', '--inventory', join(dir, 'inventory.yaml'), '--image', image, '--timings', 'lab', '--name', 'second',
    ]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('netops: a rollout named "second" is already running; pick another --name or steer that one\n');

    const first = await progress();
    expect(first).toMatchObject({ name: 'second', targetVersion: NEXT_VERSION, total: 8, approved: false });
    expect(first.canary).toHaveLength(1);

    const pause = await netops(['rollout', 'pause', 'second', '--reason', 'lunch']);
    expect(pause.code, pause.stderr).toBe(0);
    expect(pause.stdout).toMatch(/^second: paused/);
    const paused = await progress();
    expect(paused.paused).toBe(true);
    expect(paused.status).toBe('paused');
    // Only the canary may have started before the pause; nothing else moves while paused.
    expect(paused.devices.filter((d) => !d.canary && d.state !== 'pending')).toEqual([]);

    const resume = await netops(['rollout', 'resume', 'second']);
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stdout).toBe('second: resumed\n');

    const waiting = await waitForStatus('awaiting-approval');
    expect(waiting.done).toBe(1);
    expect(waiting.devices.filter((d) => !d.canary).every((d) => d.state === 'pending')).toBe(true);

    const approve = await netops(['rollout', 'approve', 'second']);
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout).toMatch(/^second: approved/);

    const again = await netops(['rollout', 'approve', 'second']);
    expect(again.code).toBe(5);
    expect(again.stderr).toBe('netops: refused: already approved\n');

    const watch = await netops(['rollout', 'watch', 'second', '--json', '--interval', '500']);
    expect(watch.code, watch.stderr).toBe(0);
    const report = JSON.parse(watch.stdout) as RolloutReport;
    expect(report.status).toBe('completed');
    expect(report.counts.upgraded).toBe(8);
    expect(report.devices.map((d) => d.versionAfter)).toEqual(Array(8).fill(NEXT_VERSION));
    expect(report.devices.every((d) => d.versionBefore === '17.12.04')).toBe(true);

    const list = await netops(['rollout', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^second\s+COMPLETED\s+17\.15\.01/m);
    expect(list.stdout).toMatch(/^dev-\S+\s+COMPLETED\s+17\.12\.04/m);

    // Two rollouts over the same pairs: never both members down at once.
    const eventLog = readdirSync(dir).find((f) => f.startsWith('lab-events-'));
    expect(eventLog).toBeDefined();
    const verify = await runCli(['lab', 'verify', join(dir, eventLog!)]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('stops the worker, the lab and the Temporal server on Ctrl-C', async () => {
    const inventory = await loadInventory(join(dir, 'inventory.yaml'));
    const labPorts = inventory.devices.map((d) => d.port);
    expect(await isListening(labPorts[0]!)).toBe(true);

    const code = await dev.stop('SIGINT');
    expect(code).toBe(0);
    expect(dev.output()).toMatch(/stopping\.\.\.\nstopped\.\n$/);
    expect(await isListening(port)).toBe(false);
    expect(await isListening(uiPort)).toBe(false);
    for (const p of labPorts) expect(await isListening(p), `lab device port ${p}`).toBe(false);
    expect(processesOnPort(port)).toEqual([]);
  });
});
