/**
 * Bare fan-out benchmark (no Temporal): three show commands on N lab devices
 * over real SSH, at a given concurrency, through the same session limiter
 * the workers use, each command in the platform's words and parsed as the
 * collection parses it (both take the plan from the dialects). The lab runs in a child process so the CPU and memory
 * figures are the client's alone.
 *
 *   npx tsx bench/fanout.ts --devices 1000 --concurrency 100 --connects-per-second 200
 *
 * Prints a table, then one JSON line (machine noted) for tracking.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { Command } from 'commander';
import { SessionLimiter, withSession, type SessionTarget } from '../src/devices';
import { ParseProblem } from '../src/devices/errors';
import { collectPlan, dialectFor, parseShow, type PlannedShow } from '../src/devices/platforms';
import type { Platform } from '../src/inventory/types';

interface LabInfo {
  devices: { name: string; host: string; port: number; platform: Platform; hostKey: string }[];
  credentials: { username: string; password: string; enableSecret: string };
}

const COMMANDS = ['show version', 'show ip interface brief', 'show ip bgp summary'];

async function labChild(devices: number): Promise<void> {
  const { startLab } = await import('../src/lab');
  const lab = await startLab({ devices, pairs: true, platformMix: true, fast: true });
  const info: LabInfo = {
    devices: lab.devices.map((d) => ({ name: d.name, host: d.host, port: d.port, platform: d.platform, hostKey: d.hostKey })),
    credentials: lab.credentials,
  };
  process.send?.({ ready: info });
  process.on('message', async (m: { stop?: boolean }) => {
    if (m.stop) {
      await lab.stop();
      process.exit(0);
    }
  });
}

function startLabProcess(devices: number): Promise<{ child: ChildProcess; info: LabInfo }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--lab-child', String(devices)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m: { ready?: LabInfo }) => (m.ready ? resolve({ child, info: m.ready }) : reject(new Error('lab did not start'))));
    child.once('exit', (code) => reject(new Error(`lab process exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--lab-child') return labChild(Number(process.argv[3]));
  const program = new Command('fanout')
    .description('Run three show commands on N lab devices at a given concurrency and report throughput and cost.')
    .option('--devices <n>', 'number of lab devices', '1000')
    .option('--concurrency <n>', 'concurrent SSH sessions', '100')
    .option('--connects-per-second <n>', 'new connections per second (token bucket)', '200')
    .option('--cpu-prof <file>', 'write a V8 CPU profile of the measured window to <file>')
    .option('--json', 'print only the JSON line')
    .addHelpText('after', '\nExample:\n  npx tsx bench/fanout.ts --devices 200 --concurrency 50\n');
  program.parse();
  const o = program.opts<{ devices: string; concurrency: string; connectsPerSecond: string; cpuProf?: string; json?: boolean }>();
  const n = Number(o.devices);
  const concurrency = Number(o.concurrency);
  const cps = Number(o.connectsPerSecond);
  if (![n, concurrency, cps].every((x) => Number.isFinite(x) && x > 0)) throw new Error('--devices, --concurrency and --connects-per-second must be positive numbers');

  const { child, info } = await startLabProcess(n);
  let labExit: string | undefined;
  child.removeAllListeners('exit');
  child.on('exit', (code, signal) => {
    labExit = `lab process exited early (${signal ?? code}); failures after that are the lab's, not the client's`;
  });
  const limiter = new SessionLimiter({ maxSessions: concurrency, connectsPerSecond: cps, burst: Math.min(concurrency, cps) });
  const creds = info.credentials;
  const failures = new Map<string, number>();
  let ok = 0;
  const plans = new Map<Platform, PlannedShow[]>();
  const planFor = (p: Platform) => plans.get(p) ?? plans.set(p, collectPlan(dialectFor(p), COMMANDS)).get(p)!;
  let unparsed = 0;
  const profiler = o.cpuProf ? await windowProfiler(o.cpuProf) : undefined;
  await profiler?.start();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    info.devices.map((d) =>
      limiter
        .run(() =>
          withSession({ ...d, hostKeyCheck: 'strict' } satisfies SessionTarget, creds, async (s) => {
            for (const step of planFor(d.platform)) {
              const output = await s.run(step.command, { check: step.parse === 'version' });
              try {
                if (step.parse) parseShow(d.platform, step.parse, output);
              } catch (err) {
                if (!(err instanceof ParseProblem)) throw err;
                unparsed++;
              }
            }
          }),
        )
        .then(
          () => void ok++,
          (err: Error) => failures.set(err.name, (failures.get(err.name) ?? 0) + 1),
        ),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  await profiler?.stop();
  await new Promise((r) => setTimeout(r, 50));
  if (child.exitCode !== null || child.signalCode !== null) labExit ??= `lab process exited early (${child.signalCode ?? child.exitCode})`;
  if (child.connected) child.send({ stop: true });
  if (labExit) console.error(`fanout: ${labExit}`);

  const result = {
    bench: 'fanout',
    devices: n,
    concurrency,
    connectsPerSecond: cps,
    ok,
    unparsed,
    failed: Object.fromEntries(failures),
    seconds: round(seconds),
    devicesPerSecond: round(n / seconds),
    cpuSecondsPer1000Devices: round((cpuSeconds / n) * 1000),
    peakRssMiB: round(peakRssMiB),
    peakSessions: limiter.stats().peakActive,
    ...(labExit ? { labCrashed: true } : {}),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memGiB: round(totalmem() / 2 ** 30), node: process.version, loadavg1: round(loadavg()[0] ?? 0), note: 'lab in a child process on the same machine' },
  };
  if (!o.json) {
    const rows: [string, string][] = [
      ['devices (ok / failed)', `${n} (${ok} / ${n - ok})`],
      ['concurrency / connects/s', `${concurrency} / ${cps}`],
      ['wall time', `${result.seconds} s`],
      ['devices/s', String(result.devicesPerSecond)],
      ['CPU s per 1,000 devices', String(result.cpuSecondsPer1000Devices)],
      ['peak RSS (client)', `${result.peakRssMiB} MiB`],
      ['machine', `${result.machine.cpus} x ${result.machine.cpuModel}, load ${result.machine.loadavg1}`],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(28)} ${v}`);
  }
  console.log(JSON.stringify(result));
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

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((err: Error) => {
  console.error(`fanout: ${err.message}`);
  process.exit(1);
});
