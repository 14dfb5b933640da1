import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadInventory } from '../../src/inventory';
import type { DeviceOutcome, RolloutProgress, RolloutReport } from '../../src/contracts/rollout';
import { ROOT } from '../support/cli-process';
import { freeServerPorts, isListening } from './free-port';

/**
 * The README's quick start and its "meanwhile" flow, as a new user runs them
 * on a fresh clone: `npm run dev` (the embedded default: 40 devices, 4 sites),
 * and, while its rollout runs, the second rollout from another terminal with
 * the README's own commands. Then Ctrl-C to the npm process.
 *
 * Differences from a user's terminal, each for a reason: the clone links this
 * checkout's node_modules (an install takes minutes; that `npm ci` accepts the
 * lock is checked apart, in a directory of its own), the Temporal CLI comes
 * from the suite (no download), and the ports are free ones passed with
 * --port / --address (7233 may be taken on a shared machine).
 */

let clone: string;
let port: number;
let uiPort: number;
let dev: ChildProcessWithoutNullStreams;
let devOut = '';
let devExit: Promise<number | null>;
/** The user's environment: the demo's state in the clone's own .data/dev, as the README says. */
function env(): NodeJS.ProcessEnv {
  const { NETOPS_DATA_DIR: _ignored, ...rest } = process.env;
  return { ...rest, NO_COLOR: '1', TEMPORAL_CLI: inject('temporalCli') };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One command line in the clone, through bash as a user's terminal runs it (globs included). */
function sh(command: string, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: clone, env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`${command}\` did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

const netops = (args: string) => sh(`node bin/netops.cjs ${args} --address 127.0.0.1:${port}`);

async function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const started = Date.now();
  for (;;) {
    const m = devOut.match(pattern);
    if (m) return m;
    if (dev.exitCode !== null) throw new Error(`npm run dev exited (${dev.exitCode}) before printing ${pattern}:\n${devOut}`);
    if (Date.now() - started > timeoutMs) throw new Error(`npm run dev did not print ${pattern} in ${timeoutMs} ms:\n${devOut}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every live process whose parent chain leads to `root` (the server and its reaper included). */
function descendants(root: number): Map<number, string> {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // gone meanwhile
    }
  }
  const found = new Map<number, string>();
  for (const pid of parent.keys()) {
    for (let p: number | undefined = pid, hops = 0; p && p > 1 && hops < 50; p = parent.get(p), hops++) {
      if (p === root) {
        found.set(pid, cmd.get(pid) ?? '');
        break;
      }
    }
  }
  return found;
}

/** Processes that name the clone or the demo's ports: what a leaked server, lab or worker would show. */
function leftovers(): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(clone) || new RegExp(`--port ${port}\\b|--ui-port ${uiPort}\\b`).test(cmdline)) out.push(`${entry}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'netops-e2e-readme-'));
  clone = join(base, 'temporal-netops');
  const cloned = spawnSync('git', ['clone', '--quiet', ROOT, clone], { encoding: 'utf8' });
  expect(cloned.status, cloned.stderr).toBe(0);
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  // The link is this test's, not the project's: keep it out of `git status` (.gitignore's `node_modules/` matches directories only).
  writeFileSync(join(clone, '.git', 'info', 'exclude'), 'node_modules\n');
  // The linked modules were installed from this very lock: the set-up must not reinstall through the link.
  const past = new Date(Date.now() - 3600_000);
  utimesSync(join(clone, 'package-lock.json'), past, past);
  ({ port, uiPort } = await freeServerPorts());

  dev = spawn('npm', ['run', 'dev', '--', '--port', String(port), '--ui-port', String(uiPort)], { cwd: clone, env: env() });
  dev.stdout.on('data', (d) => (devOut += d));
  dev.stderr.on('data', (d) => (devOut += d));
  devExit = new Promise((r) => dev.on('close', (code) => r(code)));
});

afterAll(async () => {
  if (dev && dev.exitCode === null) {
    dev.kill('SIGINT');
    const timer = setTimeout(() => dev.kill('SIGKILL'), 20_000);
    await devExit;
    clearTimeout(timer);
  }
  if (clone) rmSync(join(clone, '..'), { recursive: true, force: true });
});

describe('the README quick start and "meanwhile" flow on a fresh clone', () => {
  it('npm ci accepts the committed lock as it is (so the set-up never rewrites it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netops-e2e-lock-'));
    try {
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(clone, f), join(dir, f));
      const ci = spawnSync('npm', ['ci', '--dry-run', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      expect(ci.status, ci.stderr).toBe(0);
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(readFileSync(join(clone, 'package-lock.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the demo rollout and, meanwhile, a second one whose busy devices wait instead of failing', async () => {
    const began = Date.now();
    const milestone = (what: string) => console.info(`[readme-flow] ${what} after ${((Date.now() - began) / 1000).toFixed(0)} s`);
    const [, devName] = await waitForOutput(/rollout (dev-\S+): 40 devices 17\.09\.04a -> 17\.12\.04/, 300_000);
    milestone('the demo rollout started');
    // Meanwhile = while the demo's devices are being upgraded.
    await waitForOutput(/\br\d+-[ab]: running/, 120_000);
    expect(devOut).toContain(`worker log ${join(clone, '.data', 'dev', 'worker.log')}`);

    const start = await sh(
      `npx netops rollout start --inventory .data/dev/inventory.yaml --image .data/dev/images/cat9k_iosxe.17.12.04.SPA.bin --timings lab --canary 1 --window 4 --name second --address 127.0.0.1:${port}`,
    );
    expect(start.code, start.stderr).toBe(0);
    milestone('rollout second started');
    const status = await sh(`npx netops rollout status second --address 127.0.0.1:${port}`);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('second');

    // Follow both: a device of `second` the demo holds must wait for it, never count as failed.
    const seenBusy = new Set<string>();
    let approved = false;
    const deadline = Date.now() + 300_000;
    let last: RolloutProgress | undefined;
    for (;;) {
      const run = await netops('rollout status second --json');
      expect(run.code, run.stderr).toBe(0);
      const answer = JSON.parse(run.stdout) as RolloutProgress | RolloutReport;
      // Once the rollout has ended, status prints its report instead.
      if ('counts' in answer) break;
      last = answer;
      for (const d of last.devices) if (d.busy || /busy/.test(d.waitingFor ?? '')) seenBusy.add(d.name);
      expect(last.devices.filter((d) => d.outcome === 'failed' || d.outcome === 'busy').map((d) => `${d.name}: ${d.outcome} ${d.error?.message ?? ''}`)).toEqual([]);
      expect(last.failuresCounted ?? last.failed).toBe(0);
      if (last.status === 'awaiting-approval' && !approved) {
        const approve = await sh(`npx netops rollout approve second --address 127.0.0.1:${port}`);
        expect(approve.code, approve.stderr).toBe(0);
        approved = true;
        milestone('rollout second approved');
      }
      if (Date.now() > deadline) throw new Error(`rollout second still ${last.status} after 5 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(approved).toBe(true);
    milestone(`rollout second ended (${seenBusy.size} of its devices waited while busy)`);

    const second = await netops('rollout watch second --json');
    expect(second.code, second.stderr).toBe(0);
    const secondReport = JSON.parse(second.stdout) as RolloutReport;
    const demo = await netops(`rollout watch ${devName} --json`);
    expect(demo.code, demo.stderr).toBe(0);
    const demoReport = JSON.parse(demo.stdout) as RolloutReport;
    expect(secondReport.status, JSON.stringify(secondReport.devices.filter((d) => d.outcome !== 'upgraded' && d.outcome !== 'already-current'))).toBe('completed');
    expect(demoReport.status, JSON.stringify(demoReport.devices.filter((d) => d.outcome !== 'upgraded' && d.outcome !== 'already-current'))).toBe('completed');

    // Each device was upgraded once, by whichever rollout got it first; the other found it current.
    const outcomes = (r: RolloutReport) => new Map(r.devices.map((d) => [d.name, d.outcome as DeviceOutcome]));
    const [a, b] = [outcomes(demoReport), outcomes(secondReport)];
    expect(a.size).toBe(40);
    expect(b.size).toBe(40);
    for (const [name, outcome] of a) {
      expect([outcome, b.get(name)].sort(), name).toEqual(['already-current', 'upgraded']);
    }
    for (const name of seenBusy) expect(['upgraded', 'already-current'], name).toContain(b.get(name));
    expect(seenBusy.size, 'no device of `second` was ever held by the demo: the flow did not overlap').toBeGreaterThan(0);

    const verify = await sh('npx netops lab verify .data/dev/lab-events-*.jsonl');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    // The terminal told the rollout's story; webpack's report and the worker's own lines went to the log file.
    await waitForOutput(/everything stays up until Ctrl-C/, 120_000);
    expect(devOut).not.toMatch(/webpack|modules by path|"level":|sdkComponent=/);
    expect(readFileSync(join(clone, '.data', 'dev', 'worker.log'), 'utf8')).toMatch(/webpack \S+ compiled|Workflow bundle created/);
    expect(devOut).toContain(`--name second --watch --address 127.0.0.1:${port}`);
    // On two shared cores under other work the first start (bundling included) and two 40-device rollouts take minutes.
  }, 600_000);

  it('stops everything within 10 s of a SIGINT to the npm process, and leaves the clone as it was', async () => {
    const inventory = await loadInventory(join(clone, '.data', 'dev', 'inventory.yaml'));
    const labPorts = inventory.devices.map((d) => d.port);
    expect(await isListening(labPorts[0]!)).toBe(true);
    const tree = descendants(dev.pid!);
    expect([...tree.values()].some((c) => c.includes('server start-dev'))).toBe(true);

    const sent = Date.now();
    dev.kill('SIGINT');
    const code = await Promise.race([devExit, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
    expect(code, devOut.slice(-2000)).toBe(0);
    for (;;) {
      const alive = [...tree.keys()].filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '));
      if (alive.length === 0) break;
      if (Date.now() - sent > 10_000) throw new Error(`still running 10 s after SIGINT:\n${alive.map((p) => `${p}: ${tree.get(p)}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(devOut).toMatch(/stopping\.\.\.\nstopped\.\n$/);
    expect(leftovers()).toEqual([]);
    for (const p of [port, uiPort, ...labPorts]) expect(await isListening(p), `port ${p}`).toBe(false);

    const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: clone, encoding: 'utf8' });
    expect(status.stdout).toBe('');
  });
});
