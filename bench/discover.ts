/**
 * Discovery benchmark: `inventory discover`'s device pass on 1,000 lab
 * devices (HSRP/VRRP pairs and NX-OS vPC pairs, all three platforms),
 * against a plain collection of the same commands on the same devices.
 *
 *   (a) discover  the redundancyFacts activity as the worker runs it (parse
 *                 every table, vPC included) plus the pure grouping
 *   (b) collect   the same commands per device through the same runtime and
 *                 session limits, output kept raw, nothing parsed or grouped
 *
 * Both run in this process, one after the other (alternating which goes
 * first each round); the lab runs in its own child process. The workflow
 * around (a) adds one activity round trip, not measured here.
 *
 *   npx tsx bench/discover.ts                    # 1000 devices, 2 rounds
 *   npx tsx bench/discover.ts --devices 100 --rounds 1
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';

interface LabReady {
  inventoryPath: string;
}

async function labChild(devices: number, dir: string): Promise<void> {
  const { startLab } = await import('../src/lab');
  const lab = await startLab({ devices, pairs: true, platformMix: true, downstream: false, fast: true, dataDir: join(dir, 'lab') });
  process.send?.({ ready: { inventoryPath: lab.writeInventory(join(dir, 'inventory.yaml')) } satisfies LabReady });
  process.on('message', (m: { stop?: boolean }) => {
    if (m.stop) void lab.stop().then(() => process.exit(0));
  });
}

interface Row {
  path: 'discover' | 'collect';
  round: number;
  devices: number;
  answered: number;
  seconds: number;
  devicesPerSecond: number;
  cpuSeconds: number;
  groups?: number;
  loadavg1: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  const opts = new Command()
    .option('--devices <n>', 'lab devices', '1000')
    .option('--rounds <n>', 'rounds (each runs both paths)', '2')
    .option('--sessions <n>', 'sessions at once on the runtime', '100')
    .parse()
    .opts<{ devices: string; rounds: string; sessions: string }>();
  const devices = Number(opts.devices);
  const dir = mkdtempSync(join(tmpdir(), 'netops-bench-discover-'));
  const child = fork(__filename, ['--lab-child', String(devices), dir], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<LabReady>((resolve, reject) => {
    child.on('message', (m: { ready?: LabReady }) => m.ready && resolve(m.ready));
    child.on('exit', (code) => reject(new Error(`lab exited ${code}`)));
  });
  const { loadInventory } = await import('../src/inventory');
  const { toDeviceTarget } = await import('../src/client/device-targets');
  const { DeviceRuntime } = await import('../src/activities/runtime');
  const { SessionLimiter } = await import('../src/devices/limiter');
  const { discoveryActivities } = await import('../src/activities/discovery');
  const { proposeGroups } = await import('../src/inventory/discover');
  const targets = (await loadInventory(ready.inventoryPath)).devices.map(toDeviceTarget);
  const limiter = new SessionLimiter({ maxSessions: Number(opts.sessions), connectsPerSecond: 200 });
  const rt = new DeviceRuntime({ limiter });
  const { redundancyFacts } = discoveryActivities(rt);

  // The commands discovery sends, per platform, as a collection would send them.
  const COMMANDS: Record<string, string[]> = {
    iosxe: ['show standby brief', 'show ip interface brief'],
    nxos: ['show hsrp brief', 'show ip interface brief', 'show vpc'],
    frr: ['show vrrp', 'show interface json'],
  };
  const collect = async (): Promise<number> => {
    let ok = 0;
    await Promise.all(
      targets.map(async (d) => {
        try {
          await rt.session(d, async (s) => {
            for (const c of COMMANDS[d.platform]!) await s.run(c, { check: false });
          });
          ok++;
        } catch {
          // counted as not answered
        }
      }),
    );
    return ok;
  };
  const discover = async (): Promise<{ ok: number; groups: number }> => {
    const facts = await redundancyFacts(targets);
    return { ok: facts.filter((f) => f.error === undefined).length, groups: proposeGroups(facts).length };
  };

  const rows: Row[] = [];
  const measure = async (path: Row['path'], round: number) => {
    const load = round2(loadavg()[0] ?? 0);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = path === 'discover' ? await discover() : { ok: await collect() };
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    rows.push({ path, round, devices: targets.length, answered: r.ok, seconds: round2(seconds), devicesPerSecond: round2(targets.length / seconds), cpuSeconds: round2((cpu.user + cpu.system) / 1e6), ...('groups' in r ? { groups: r.groups } : {}), loadavg1: load });
  };
  for (let round = 1; round <= Number(opts.rounds); round++) {
    const order: Row['path'][] = round % 2 === 1 ? ['discover', 'collect'] : ['collect', 'discover'];
    for (const p of order) await measure(p, round);
  }
  child.send({ stop: true });
  rmSync(dir, { recursive: true, force: true });

  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memGiB: round2(totalmem() / 2 ** 30), node: process.version, loadavg1: round2(loadavg()[0] ?? 0), note: 'lab in its own child process on the same machine; other work may share the CPUs' };
  const header = ['PATH', 'ROUND', 'DEVICES', 'ANSWERED', 'SECONDS', 'DEV/S', 'CPU S', 'GROUPS', 'LOAD'];
  const table = [header, ...rows.map((r) => [r.path, String(r.round), String(r.devices), String(r.answered), String(r.seconds), String(r.devicesPerSecond), String(r.cpuSeconds), String(r.groups ?? '-'), String(r.loadavg1)])];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  process.stdout.write(`${table.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')}\n`);
  const mean = (p: Row['path']) => rows.filter((r) => r.path === p).reduce((a, r) => a + r.seconds, 0) / Math.max(1, rows.filter((r) => r.path === p).length);
  process.stdout.write(`discover/collect wall-time ratio (means): ${round2(mean('discover') / mean('collect'))}\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'discover', machine, sessions: Number(opts.sessions), rows }, null, 2)}\n`);
}

if (process.argv[2] === '--lab-child') void labChild(Number(process.argv[3]), process.argv[4]!);
else
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
