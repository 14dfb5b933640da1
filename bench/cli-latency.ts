/**
 * How long `netops` takes to answer, against `temporal workflow list` (the
 * Temporal CLI, a Go binary, asking the same server) as the reference.
 *
 *   npx tsx bench/cli-latency.ts [--samples 15] [--json]
 *
 * Starts its own dev server (src/server), a 200-device lab (its inventory is
 * what `inventory validate` reads), a `netops worker`, and one rollout waiting
 * at its canary gate (what `rollout status` asks about: 200 device rows).
 * Commands run in turns (one sample of each, then the next round), so load
 * from other work on the machine spreads over all of them alike. Before each
 * sample dist/ is brought up to date untimed: a rebuild after someone's edit
 * is not what is measured. Targets: `--help` under 0.3 s; every other command
 * under 0.5 s plus the reference's own median. Beside wall time it reports CPU
 * seconds (GNU time), which other work on a shared machine barely changes:
 * on a quiet machine a start-up's wall time comes close to its CPU time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { labImageName, makeLabImage, startLab } from '../src/lab';
import { startDevServer } from '../src/server/dev-server';
import { resolveTemporalCli } from '../src/server/temporal-cli';

const ROOT = join(__dirname, '..');
const NETOPS = join(ROOT, 'bin', 'netops.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, loaded as the bin loads it
const { ensureBuilt } = require('../bin/build-cli.cjs') as { ensureBuilt: () => string };

interface Case {
  name: string;
  argv: string[];
  /** The reference case itself has no target; the others are held to theirs. */
  target?: (ref: number) => number;
}

function parseArgs(argv: string[]): { samples: number; json: boolean } {
  const i = argv.indexOf('--samples');
  return { samples: i >= 0 ? Number(argv[i + 1]) : 15, json: argv.includes('--json') };
}

/** GNU time, when the machine has it: the CPU seconds a run used, which load from other work barely changes. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Sample {
  wall: number;
  cpu?: number;
}

/** Wall time of one process run, from spawn to exit, and its CPU time; fails loudly on a non-zero exit. */
function timeOnce(c: Case, dir: string): Promise<Sample> {
  return new Promise((resolveTime, reject) => {
    const cpuFile = join(dir, 'cpu.txt');
    const argv = GNU_TIME ? [GNU_TIME, '-f', '%U %S', '-o', cpuFile, ...c.argv] : c.argv;
    const started = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${c.name} exited ${code}: ${stderr.trim()}`));
      const cpu = GNU_TIME ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) : undefined;
      resolveTime({ wall, ...(cpu === undefined ? {} : { cpu }) });
    });
  });
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function ssh2NativeCrypto(): boolean {
  const dir = dirname(require.resolve('ssh2/package.json'));
  return existsSync(join(dir, 'lib', 'protocol', 'crypto', 'build', 'Release', 'sshcrypto.node'));
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`cli-latency: ${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'netops-cli-latency-'));
  const temporal = resolveTemporalCli({ log }).path;
  const server = await startDevServer({ headless: true, cliPath: temporal });
  const lab = await startLab({ devices: 200, pairs: true, sites: 4, platform: 'iosxe', initialVersion: '17.09.04a', fast: true, dataDir: join(dir, 'lab') });
  const inventory = lab.writeInventory(join(dir, 'inventory.yaml'));
  const image = join(dir, labImageName('iosxe', '17.12.04'));
  writeFileSync(image, makeLabImage('17.12.04', 256 * 1024));
  const address = ['--address', server.address];
  const worker = spawn(process.execPath, [NETOPS, 'worker', ...address], { cwd: ROOT, env: { ...process.env, NETOPS_LOG_LEVEL: 'error' }, stdio: 'ignore' });
  try {
    ensureBuilt();
    // rollout start cross-checks the groups with the devices through the worker: wait until it polls.
    for (let i = 0; ; i++) {
      const started = spawnSync(
        process.execPath,
        [NETOPS, 'rollout', 'start', '--inventory', inventory, '--image', image, '--timings', 'lab', '--canary', '1', '--window', '4', '--name', 'bench', ...address],
        { cwd: ROOT, encoding: 'utf8' },
      );
      if (started.status === 0) break;
      if (!/no worker polls/.test(started.stderr) || i > 120) throw new Error(`rollout start failed: ${started.stderr}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // `rollout status` needs the worker to answer its query: wait until it does.
    for (let i = 0; ; i++) {
      const s = spawnSync(process.execPath, [NETOPS, 'rollout', 'status', 'bench', '--json', ...address], { cwd: ROOT, encoding: 'utf8' });
      if (s.status === 0 && /"status": "(awaiting-approval|running)"/.test(s.stdout)) break;
      if (i > 240) throw new Error(`rollout bench never answered its status: ${s.stderr}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    log(`server ${server.address}, 200-device lab, worker and rollout "bench" ready; ${o.samples} samples per command`);

    const node = process.execPath;
    const cases: Case[] = [
      { name: 'temporal workflow list', argv: [temporal, 'workflow', 'list', '--address', server.address, '--limit', '20'] },
      { name: 'netops --help', argv: [node, NETOPS, '--help'], target: () => 0.3 },
      { name: 'netops rollout list', argv: [node, NETOPS, 'rollout', 'list', ...address], target: (ref) => 0.5 + ref },
      { name: 'netops rollout status bench', argv: [node, NETOPS, 'rollout', 'status', 'bench', ...address], target: (ref) => 0.5 + ref },
      { name: 'netops inventory validate (200 devices)', argv: [node, NETOPS, 'inventory', 'validate', inventory], target: (ref) => 0.5 + ref },
    ];
    const times = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
    for (const c of cases) await timeOnce(c, dir); // warm the page cache; not counted
    for (let round_ = 0; round_ < o.samples; round_++) {
      for (const c of cases) {
        ensureBuilt();
        times.get(c.name)!.push(await timeOnce(c, dir));
      }
    }

    const stats = cases.map((c) => {
      const samples = times.get(c.name)!;
      const sorted = samples.map((x) => x.wall).sort((a, b) => a - b);
      const cpu = samples.every((x) => x.cpu !== undefined) ? samples.map((x) => x.cpu!).sort((a, b) => a - b) : undefined;
      return { command: c.name, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), cpuMedian: cpu && quantile(cpu, 0.5), samples: sorted.length };
    });
    const ref = stats[0]!;
    const results = stats.map((s, i) => {
      const target = cases[i]!.target?.(ref.median);
      return {
        command: s.command,
        samples: s.samples,
        medianS: round(s.median),
        p95S: round(s.p95),
        vsReference: round(s.median / ref.median, 2),
        ...(s.cpuMedian === undefined ? {} : { cpuMedianS: round(s.cpuMedian), cpuVsReference: round(s.cpuMedian / (ref.cpuMedian || 1e-3), 2) }),
        ...(target === undefined ? {} : { targetS: round(target), meetsTarget: s.median < target }),
      };
    });
    const machine = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memGiB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      loadavg1: round(loadavg()[0] ?? 0, 2),
      ssh2NativeCrypto: ssh2NativeCrypto(),
      note: 'server, lab and worker on the same machine; other work may share the CPUs',
    };
    if (!o.json) {
      const header = ['command', 'median s', 'p95 s', 'x temporal', 'CPU s (median)', 'target s', 'meets'];
      const rows = results.map((r) => [
        r.command,
        r.medianS.toFixed(3),
        r.p95S.toFixed(3),
        r.vsReference.toFixed(2),
        r.cpuMedianS?.toFixed(3) ?? '-',
        r.targetS?.toFixed(3) ?? '(reference)',
        r.meetsTarget === undefined ? '' : r.meetsTarget ? 'yes' : 'NO',
      ]);
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [header, ...rows]) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
      console.log(`machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memGiB} GiB, load ${machine.loadavg1}, node ${machine.node}, ssh2 native crypto ${machine.ssh2NativeCrypto ? 'built' : 'not built'}`);
    }
    console.log(JSON.stringify({ bench: 'cli-latency', results, machine }));
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => (worker.exitCode !== null ? r(undefined) : worker.once('close', r)));
    await lab.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(`cli-latency bench: ${err.message}`);
  process.exit(1);
});
