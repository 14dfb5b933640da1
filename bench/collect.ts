/**
 * Collection benchmark: three show commands on 1,000 and 10,000 lab devices,
 * at one concurrency, three ways, in one run:
 *
 *   (a) temporal  collectWorkflow on a dev server, the worker in a child process
 *   (b) fanout    the bare fan-out of bench/fanout.ts (no Temporal), invoked as is
 *   (c) asyncssh  bench/peers/asyncssh_collect.py (Debian python3-asyncssh)
 *
 * The lab runs in its own child process in every case. Reported: wall time,
 * devices/s, CPU seconds and peak RSS of the process doing the collection
 * (the worker for (a)), and for (a) the largest history of any run in the
 * continue-as-new chain against Temporal's warning limits. The worker first
 * collects from 20 devices unmeasured: what a fresh worker pays once (its
 * first workflow and activities) is not a collection's cost.
 *
 *   npx tsx bench/collect.ts                       # 1000 and 10000, concurrency 100
 *   npx tsx bench/collect.ts --sizes 200 --only temporal,fanout
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Command } from 'commander';

const COMMANDS = ['show version', 'show ip interface brief', 'show ip bgp summary'];
/** Devices of the Temporal path's warm-up collection (not measured). */
const WARMUP_DEVICES = 20;
/** Temporal's own warning thresholds for one run's history. */
const HISTORY_WARN_EVENTS = 10_240;
const HISTORY_WARN_BYTES = 10 * 1024 * 1024;

interface LabReady {
  inventoryPath: string;
  credentials: { username: string; password: string; enableSecret: string };
  devices: { name: string; host: string; port: number; platform: string }[];
}

interface PathResult {
  path: 'temporal' | 'fanout' | 'asyncssh';
  devices: number;
  ok: number;
  failed: number;
  seconds: number;
  devicesPerSecond: number;
  cpuSeconds: number;
  peakRssMiB: number;
  note?: string;
  /** The machine's 1-minute load average when this path started. */
  loadavg1?: number;
  history?: { runs: number; maxEvents: number; maxBytes: number; warning: boolean };
}

// ---------------------------------------------------------------- children

async function labChild(devices: number, dir: string): Promise<void> {
  const { startLab } = await import('../src/lab');
  const lab = await startLab({ devices, pairs: true, platformMix: true, fast: true, dataDir: join(dir, 'lab') });
  const inventoryPath = lab.writeInventory(join(dir, 'inventory.yaml'));
  const ready: LabReady = { inventoryPath, credentials: lab.credentials, devices: lab.devices.map((d) => ({ name: d.name, host: d.host, port: d.port, platform: d.platform })) };
  process.send?.({ ready });
  process.on('message', (m: { stop?: boolean }) => {
    if (m.stop) void lab.stop().then(() => process.exit(0));
  });
}

async function workerChild(address: string, taskQueue: string, maxSessions: number, cps: number, bundlePath: string): Promise<void> {
  const { buildActivities } = await import('../src/workers/activities');
  const { createNetopsWorker } = await import('../src/workers/create-worker');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address });
  const worker = await createNetopsWorker({
    connection,
    taskQueue,
    activities: buildActivities({ maxSessions, connectsPerSecond: cps }),
    workflowBundle: { codePath: bundlePath },
    maxConcurrentActivityTaskExecutions: 200,
  });
  const running = worker.run();
  const profileDir = process.env['NETOPS_BENCH_CPU_PROF'];
  const profiler = profileDir ? await windowProfiler(join(profileDir, `worker-${taskQueue}.cpuprofile`)) : undefined;
  process.on('message', async (m: { mark?: boolean; report?: boolean; stop?: boolean }) => {
    if (m.mark) await profiler?.start();
    if (m.report) await profiler?.stop();
    if (profileDir && (m.mark || m.report)) writeFileSync(join(profileDir, `worker-${taskQueue}-threads-${m.mark ? 'before' : 'after'}.json`), JSON.stringify(threadTimes()));
    if (m.mark || m.report) process.send?.({ cpu: process.cpuUsage(), maxRssKiB: process.resourceUsage().maxRSS });
    if (m.stop) {
      worker.shutdown();
      void running.then(() => connection.close()).then(() => process.exit(0));
    }
  });
  process.send?.({ ready: true });
}

/** `--cpu-prof DIR`: the worker and the bare fan-out write V8 CPU profiles of their measured window there (open them in Chrome DevTools). */
let cpuProfDir: string | undefined;

/** CPU seconds per thread of this process (Linux), by thread name: where a worker's CPU goes besides its main thread. */
function threadTimes(): Record<string, number> {
  const out: Record<string, number> = {};
  const tick = 100; // USER_HZ on Linux
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** A V8 CPU profile of the main thread between start() and stop(), written to `file`. */
async function windowProfiler(file: string): Promise<{ start(): Promise<void>; stop(): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  return {
    start: async () => void (await session.post('Profiler.start')),
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}

function forkSelf(args: string[]): ChildProcess {
  return fork(__filename, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...(cpuProfDir ? { NETOPS_BENCH_CPU_PROF: cpuProfDir } : {}) } });
}

function nextMessage<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise((resolveMsg, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${what} exited (${code}) before answering`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolveMsg(m as T);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (child.connected) child.send({ stop: true });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- paths

async function temporalPath(n: number, lab: LabReady, env: { address: string; bundlePath: string; dir: string }, concurrency: number, cps: number): Promise<PathResult> {
  const { loadInventory } = await import('../src/inventory');
  const { toDeviceTarget } = await import('../src/client/device-targets');
  const { LocalResultStore } = await import('../src/results');
  const { collectWorkflowId } = await import('../src/contracts/collect');
  const taskQueue = `bench-collect-${process.pid}-${n}`;
  const worker = forkSelf(['--worker-child', env.address, taskQueue, String(concurrency), String(cps), env.bundlePath]);
  try {
    await nextMessage(worker, 'worker');
    const targets = (await loadInventory(lab.inventoryPath)).devices.map(toDeviceTarget);
    const root = join(env.dir, 'results');
    const key = `bench-${n}`;
    await new LocalResultStore(root).putDeviceSet(key, targets);
    const connection = await Connection.connect({ address: env.address });
    const client = new Client({ connection });
    const name = `bench-${n}-${Date.now()}`;
    const workflowId = collectWorkflowId(name);
    // A worker pays once per process for its first workflow (the bundle loaded into the workflow
    // thread's context) and its first activities (lazy imports, JIT): a small collection first, outside
    // the measured window, as the fan-out's module loading is outside its own.
    const warm = `bench-warmup-${n}-${Date.now()}`;
    await client.workflow.execute('collectWorkflow', {
      taskQueue,
      workflowId: collectWorkflowId(warm),
      args: [{ name: warm, devices: targets.slice(0, WARMUP_DEVICES), commands: COMMANDS, store: { kind: 'local', root } }],
    });
    worker.send({ mark: true });
    const before = await nextMessage<{ cpu: NodeJS.CpuUsage }>(worker, 'worker');
    const t0 = process.hrtime.bigint();
    const result = (await client.workflow.execute('collectWorkflow', {
      taskQueue,
      workflowId,
      args: [
        {
          name,
          deviceSet: { key, count: targets.length },
          commands: COMMANDS,
          batchSize: 100,
          concurrencyPerBatch: concurrency,
          // The defaults: while one batch ends and the next is scheduled, the others keep the session slots busy.
          parallelBatches: 4,
          store: { kind: 'local', root },
          timings: { heartbeatTimeoutMs: 60_000, deviceAttempts: 3 },
        },
      ],
    })) as { summary: { ok: number; failed: number; byError: Record<string, number> } };
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    worker.send({ report: true });
    const after = await nextMessage<{ cpu: NodeJS.CpuUsage; maxRssKiB: number }>(worker, 'worker');
    const history = await historyOf(client, workflowId);
    await connection.close();
    const cpuSeconds = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1e6;
    return {
      path: 'temporal',
      devices: n,
      ok: result.summary.ok,
      failed: result.summary.failed,
      seconds: round(seconds),
      devicesPerSecond: round(n / seconds),
      cpuSeconds: round(cpuSeconds),
      peakRssMiB: round(after.maxRssKiB / 1024),
      history,
      ...(result.summary.failed ? { note: JSON.stringify(result.summary.byError) } : {}),
    };
  } finally {
    await stopChild(worker);
  }
}

/** Every run of the continue-as-new chain, from visibility (it may lag a moment). */
async function historyOf(client: Client, workflowId: string): Promise<PathResult['history']> {
  for (let i = 0; i < 20; i++) {
    const runs: { events: number; bytes: number }[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push({ events: w.historyLength, bytes: w.historySize ?? 0 });
    if (runs.length > 0 && runs.every((r) => r.events > 0)) {
      const maxEvents = Math.max(...runs.map((r) => r.events));
      const maxBytes = Math.max(...runs.map((r) => r.bytes));
      return { runs: runs.length, maxEvents, maxBytes, warning: maxEvents >= HISTORY_WARN_EVENTS || maxBytes >= HISTORY_WARN_BYTES };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}

async function fanoutPath(n: number, concurrency: number, cps: number): Promise<PathResult> {
  const profile = cpuProfDir ? ['--cpu-prof', join(cpuProfDir, `fanout-${n}.cpuprofile`)] : [];
  const out = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'fanout.ts'), '--devices', String(n), '--concurrency', String(concurrency), '--connects-per-second', String(cps), '--json', ...profile]);
  const r = JSON.parse(lastLine(out)) as { ok: number; seconds: number; devicesPerSecond: number; cpuSecondsPer1000Devices: number; peakRssMiB: number; failed: Record<string, number> };
  return {
    path: 'fanout',
    devices: n,
    ok: r.ok,
    failed: n - r.ok,
    seconds: r.seconds,
    devicesPerSecond: r.devicesPerSecond,
    cpuSeconds: round((r.cpuSecondsPer1000Devices * n) / 1000),
    peakRssMiB: r.peakRssMiB,
    ...(n - r.ok ? { note: JSON.stringify(r.failed) } : {}),
  };
}

async function asyncsshPath(n: number, lab: LabReady, dir: string, concurrency: number, cps: number): Promise<PathResult> {
  const file = join(dir, 'asyncssh-devices.json');
  writeFileSync(file, JSON.stringify({ devices: lab.devices, username: lab.credentials.username, password: lab.credentials.password, enableSecret: lab.credentials.enableSecret, commands: COMMANDS }));
  // Debian's python3-asyncssh lives in the system interpreter, not in a pyenv one first on PATH.
  const python = process.env['NETOPS_BENCH_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const out = await run(python, ['-W', 'ignore', join(__dirname, 'peers', 'asyncssh_collect.py'), file, '--concurrency', String(concurrency), '--connects-per-second', String(cps)]);
  const r = JSON.parse(lastLine(out)) as { mode: string; ok: number; unparsed: number; failed: Record<string, number>; seconds: number; cpuSeconds: number; peakRssMiB: number; asyncssh: string };
  const failed = Object.values(r.failed).reduce((a, b) => a + b, 0);
  return {
    path: 'asyncssh',
    devices: n,
    ok: r.ok,
    failed,
    seconds: r.seconds,
    devicesPerSecond: round(n / r.seconds),
    cpuSeconds: r.cpuSeconds,
    peakRssMiB: r.peakRssMiB,
    note: `asyncssh ${r.asyncssh}, ${r.mode === 'shell' ? 'interactive shell with prompt detection, as the Node paths' : 'exec channels'}, host keys not checked${failed ? `, failed ${JSON.stringify(r.failed)}` : ''}${r.unparsed ? `, ${r.unparsed} unparsed` : ''}`,
  };
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`${cmd} ${args[0]} exited with ${code}`))));
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '{}';
}

/** Runs one path, noting the machine's load when it started. */
async function measured(run: () => Promise<PathResult>): Promise<PathResult> {
  const load = round(loadavg()[0] ?? 0);
  return { ...(await run()), loadavg1: load };
}

function median(xs: number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

/** Whether ssh2's native crypto binding is built here (without it, ciphers run in JavaScript and cost several times the CPU). */
function nativeCrypto(): boolean {
  try {
    createRequire(__filename)('ssh2/lib/protocol/crypto/build/Release/sshcrypto.node');
    return true;
  } catch {
    return false;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (process.argv[2] === '--lab-child') return labChild(Number(process.argv[3]), process.argv[4]!);
  if (process.argv[2] === '--worker-child') {
    const [address, taskQueue, maxSessions, cps, bundlePath] = process.argv.slice(3);
    return workerChild(address!, taskQueue!, Number(maxSessions), Number(cps), bundlePath!);
  }
  const program = new Command('collect-bench')
    .description('Collect three show commands from N lab devices: Temporal collectWorkflow vs bare fan-out vs Python asyncssh')
    .option('--sizes <list>', 'device counts, comma separated', '1000,10000')
    .option('--concurrency <n>', 'SSH sessions at once (all three paths)', '100')
    .option('--connects-per-second <n>', 'new connections per second (all three paths)', '200')
    .option('--only <paths>', 'subset of temporal,fanout,asyncssh', 'temporal,fanout,asyncssh')
    .option('--rounds <n>', 'runs of each path per size, alternating which goes first; ratios from the medians', '1')
    .option('--cpu-prof <dir>', 'write V8 CPU profiles of the worker and the bare fan-out into <dir>')
    .option('--json', 'print only the JSON line')
    .addHelpText('after', '\nExample:\n  npx tsx bench/collect.ts --sizes 1000 --concurrency 100\n  npx tsx bench/collect.ts --sizes 1000 --only temporal,fanout --cpu-prof /tmp/prof\n');
  program.parse();
  const o = program.opts<{ sizes: string; concurrency: string; connectsPerSecond: string; only: string; rounds: string; cpuProf?: string; json?: boolean }>();
  cpuProfDir = o.cpuProf;
  const sizes = o.sizes.split(',').map(Number);
  const concurrency = Number(o.concurrency);
  const cps = Number(o.connectsPerSecond);
  const only = new Set(o.only.split(','));
  const rounds = Number(o.rounds);
  const loadAtStart = round(loadavg()[0] ?? 0);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  if (![...sizes, concurrency, cps].every((x) => Number.isInteger(x) && x > 0)) throw new Error('--sizes, --concurrency and --connects-per-second must be positive integers');

  const { startDevServer } = await import('../src/server/dev-server');
  const { workflowsEntry } = await import('../src/workers/create-worker');
  const dir = mkdtempSync(join(tmpdir(), 'netops-bench-collect-'));
  const server = only.has('temporal') ? await startDevServer({ headless: true }) : undefined;
  const results: PathResult[] = [];
  try {
    let bundlePath = '';
    if (server) {
      const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, log: () => undefined };
      const bundle = await bundleWorkflowCode({ workflowsPath: workflowsEntry(), logger: quiet });
      bundlePath = join(dir, 'workflow-bundle.js');
      writeFileSync(bundlePath, bundle.code);
    }
    for (const n of sizes) {
      // Rounds alternate which path goes first, so a change in the machine's load is not charged to one path.
      for (let round = 0; round < rounds; round++) {
        const fanoutFirst = round % 2 === 1;
        if (only.has('fanout') && fanoutFirst) results.push(await measured(() => fanoutPath(n, concurrency, cps)));
        if (only.has('temporal') || only.has('asyncssh')) {
          const labDir = join(dir, `lab-${n}-${round}`);
          const labProc = forkSelf(['--lab-child', String(n), labDir]);
          const { ready: lab } = await nextMessage<{ ready: LabReady }>(labProc, 'lab');
          try {
            if (server) results.push(await measured(() => temporalPath(n, lab, { address: server.address, bundlePath, dir: labDir }, concurrency, cps)));
            if (only.has('asyncssh')) results.push(await measured(() => asyncsshPath(n, lab, labDir, concurrency, cps)));
          } finally {
            await stopChild(labProc);
          }
        }
        if (only.has('fanout') && !fanoutFirst) results.push(await measured(() => fanoutPath(n, concurrency, cps)));
      }
      if (!o.json) process.stderr.write(`collect bench: ${n} devices done\n`);
    }
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memGiB: round(totalmem() / 2 ** 30), node: process.version, loadavg1: round(loadavg()[0] ?? 0), loadavgAtStart: loadAtStart, note: 'lab in its own child process on the same machine; other work may share the CPUs' };
  const targets = sizes.map((n) => {
    const med = (p: string, k: 'seconds' | 'cpuSeconds') => median(results.filter((r) => r.devices === n && r.path === p).map((r) => r[k]));
    const t = { seconds: med('temporal', 'seconds'), cpu: med('temporal', 'cpuSeconds') };
    const f = { seconds: med('fanout', 'seconds'), cpu: med('fanout', 'cpuSeconds') };
    const a = med('asyncssh', 'seconds');
    const tRuns = results.filter((r) => r.devices === n && r.path === 'temporal');
    const wall = t.seconds && f.seconds ? round(t.seconds / f.seconds) : undefined;
    const cpu = t.cpu && f.cpu ? round(t.cpu / f.cpu) : undefined;
    return {
      devices: n,
      rounds,
      wallTemporalVsFanout: wall,
      cpuTemporalVsFanout: cpu,
      within1_1xOfFanout: wall !== undefined && cpu !== undefined ? wall <= 1.1 && cpu <= 1.1 : undefined,
      temporalFasterThanAsyncssh: t.seconds && a ? t.seconds < a : undefined,
      workerUnder1_5GB: tRuns.length ? tRuns.every((r) => r.peakRssMiB < 1536) : undefined,
      noHistoryWarning: tRuns.length ? tRuns.every((r) => r.history && !r.history.warning) : undefined,
    };
  });
  if (!o.json) {
    const header = ['devices', 'path', 'ok/failed', 'wall s', 'devices/s', 'CPU s', 'peak RSS MiB', 'load (start)', 'history (runs, max events)'];
    const rows = results.map((r) => [String(r.devices), r.path, `${r.ok}/${r.failed}`, String(r.seconds), String(r.devicesPerSecond), String(r.cpuSeconds), String(r.peakRssMiB), String(r.loadavg1 ?? '-'), r.history ? `${r.history.runs}, ${r.history.maxEvents}${r.history.warning ? ' WARNING' : ''}` : '-']);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
    for (const t of targets)
      console.log(
        `${t.devices} devices${rounds > 1 ? ` (median of ${rounds})` : ''}: temporal/fanout wall ${t.wallTemporalVsFanout ?? '-'}x, CPU ${t.cpuTemporalVsFanout ?? '-'}x (target <= 1.1 both: ${t.within1_1xOfFanout ?? '-'}), faster than asyncssh: ${t.temporalFasterThanAsyncssh ?? '-'}, worker < 1.5 GB: ${t.workerUnder1_5GB ?? '-'}, no history warning: ${t.noHistoryWarning ?? '-'}`,
      );
    console.log(`machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memGiB} GiB, load ${loadAtStart} at start, ${machine.loadavg1} at end, node ${machine.node}; ssh2 native crypto: ${nativeCrypto() ? 'built' : 'NOT built (pure-JS ciphers)'}`);
  }
  console.log(JSON.stringify({ bench: 'collect', concurrency, connectsPerSecond: cps, commands: COMMANDS, nativeCrypto: nativeCrypto(), results, targets, machine }));
}

main().catch((err: Error) => {
  console.error(`collect bench: ${err.message}`);
  process.exit(1);
});
