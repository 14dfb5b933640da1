import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type FaultKind,
  LAB_PLATFORMS,
  type Lab,
  type LabPlatform,
  formatVerifyResult,
  startLab,
  verifyEventLog,
} from '../../lab';
import { CliError, ExitCode } from '../shared/cli-error';

const FAULT_KINDS: FaultKind[] = [
  'auth-failure',
  'slow-banner',
  'slow-command',
  'hang-command',
  'drop-mid-command',
  'drop-mid-transfer',
  'corrupt-transfer',
  'max-sessions',
  'reload-never-returns',
  'flapping',
];

interface StartFlags {
  devices: number;
  pairs?: boolean;
  downstream?: boolean;
  sites: number;
  platformMix?: boolean;
  platform: LabPlatform;
  topology?: string;
  inventoryOut?: string;
  eventLog?: string;
  dataDir?: string;
  basePort?: number;
  fast?: boolean;
  faultRate?: number;
  faultKinds?: FaultKind[];
  json?: boolean;
}

interface VerifyFlags {
  json?: boolean;
  maxReloads?: number;
  graceMs?: number;
}

const intIn = (name: string, lo: number, hi: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < lo || n > hi) throw new InvalidArgumentError(`${name} must be a whole number from ${lo} to ${hi}`);
  return n;
};

const rate = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
};

const faultList = (v: string): FaultKind[] => {
  const kinds = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = kinds.find((k) => !FAULT_KINDS.includes(k as FaultKind));
  if (bad) throw new InvalidArgumentError(`unknown fault '${bad}' (known: ${FAULT_KINDS.join(', ')})`);
  return kinds as FaultKind[];
};

/** `netops lab [start]` runs a simulated fleet; `netops lab verify LOG` checks its event log. */
export function register(program: Command): void {
  const lab = program.command('lab').description('simulated fleet of IOS-XE, NX-OS and FRR devices over real SSH on 127.0.0.1, and its invariant checker');

  lab
    .command('start', { isDefault: true })
    .description('start the lab and run until Ctrl-C; writes an inventory for it')
    .addOption(new Option('--devices <n>', 'number of devices').argParser(intIn('--devices', 1, 20_000)).default(20))
    .option('--pairs', 'devices come in HSRP/VRRP pairs sharing a redundancy group')
    .option('--downstream', 'every NX-OS pair (a vPC domain) gets an IOS-XE access switch sw<k> dual-homed to it (extra devices)')
    .addOption(new Option('--sites <n>', 'number of sites').argParser(intIn('--sites', 1, 10_000)).default(1))
    .option('--platform-mix', 'mix iosxe, nxos and frr (per pair)')
    .addOption(new Option('--platform <platform>', 'platform when not mixed').choices([...LAB_PLATFORMS]).default('iosxe'))
    .option('--topology <file>', 'topology YAML instead of generated devices')
    .option('--inventory-out <path>', 'where to write the inventory YAML (default: <data dir>/inventory.yaml)')
    .option('--event-log <path>', 'JSON-lines event log for `netops lab verify`')
    .option('--data-dir <dir>', 'directory for secret files (default: a temporary directory removed on exit)')
    .addOption(new Option('--base-port <port>', 'first port; devices use consecutive ports (default: ports chosen by the OS)').argParser(intIn('--base-port', 1024, 65_000)))
    .option('--fast', 'test timings: reloads take 300 ms, hold time 150 ms')
    .addOption(new Option('--fault-rate <r>', 'fraction of devices (0..1) given a random fault').argParser(rate))
    .addOption(new Option('--fault-kinds <list>', 'comma-separated faults to draw from').argParser(faultList))
    .option('--json', 'print the started lab as JSON (one line) instead of text')
    .addHelpText(
      'after',
      `
Examples:
  $ netops lab --devices 200 --pairs --sites 10 --platform-mix --inventory-out lab.yaml --event-log lab-events.jsonl
  $ netops lab start --topology topo.yaml --fast
  $ netops lab --devices 50 --pairs --fault-rate 0.1 --fault-kinds slow-command,drop-mid-transfer

Log in with: ssh -p <port> admin@127.0.0.1 (password in the inventory's password file)`,
    )
    .action(async (flags: StartFlags) => runStart(flags));

  lab
    .command('verify')
    .description('check a lab event log: every redundancy group kept an active member, no dual-homed switch lost both paths, one mutating session per device, reload budget')
    .argument('<log>', 'event log written with --event-log')
    .option('--json', 'print the result as JSON')
    .addOption(new Option('--max-reloads <n>', 'most reloads allowed per device').argParser(intIn('--max-reloads', 0, 1_000_000)))
    .addOption(new Option('--grace-ms <ms>', 'how long a group may lack an active member (default: 1.5 x hold time + 250 ms)').argParser(intIn('--grace-ms', 0, 3_600_000)))
    .addHelpText(
      'after',
      `
Exit code 0 when every invariant held, 1 on a breach (with a timeline), 2 for a bad file.

Examples:
  $ netops lab verify lab-events.jsonl --max-reloads 1
  $ netops lab verify lab-events.jsonl --json`,
    )
    .action(async (log: string, flags: VerifyFlags) => runVerify(log, flags));
}

async function runStart(f: StartFlags): Promise<void> {
  if (f.topology && !existsSync(f.topology)) throw new CliError(`topology file not found: ${f.topology}`, ExitCode.usage);
  if (f.faultKinds && f.faultRate === undefined) throw new CliError('--fault-kinds needs --fault-rate', ExitCode.usage);
  let lab: Lab;
  try {
    lab = await startLab({
      devices: f.devices,
      pairs: f.pairs,
      downstream: f.downstream,
      sites: f.sites,
      platformMix: f.platformMix,
      platform: f.platform,
      topology: f.topology ? resolve(f.topology) : undefined,
      eventLogPath: f.eventLog ? resolve(f.eventLog) : undefined,
      dataDir: f.dataDir ? resolve(f.dataDir) : undefined,
      basePort: f.basePort,
      fast: f.fast,
      faultRate: f.faultRate,
      faultKinds: f.faultRate !== undefined ? (f.faultKinds ?? FAULT_KINDS.filter((k) => k !== 'auth-failure')) : undefined,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new CliError(`port in use: ${err.message}; choose another --base-port or omit it`, ExitCode.usage);
    throw new CliError(err.message, ExitCode.usage);
  }
  const inventory = lab.writeInventory(f.inventoryOut ? resolve(f.inventoryOut) : resolve(lab.dataDir, 'inventory.yaml'));
  const byPlatform = Object.fromEntries(LAB_PLATFORMS.map((p) => [p, lab.devices.filter((d) => d.platform === p).length]));
  if (f.json) {
    process.stdout.write(
      `${JSON.stringify({
        inventory,
        eventLog: lab.eventLogPath ?? null,
        dataDir: lab.dataDir,
        username: lab.credentials.username,
        devices: lab.devices.map((d) => ({ name: d.name, host: d.host, port: d.port, platform: d.platform, site: d.site, redundancyGroup: d.redundancyGroup ?? null })),
      })}\n`,
    );
  } else {
    const ports = lab.devices.map((d) => d.port);
    const first = lab.devices.slice(0, 5).map((d) => `  ${d.name.padEnd(12)} ${d.platform.padEnd(6)} ${d.host}:${d.port}${d.redundancyGroup ? `  group ${d.redundancyGroup}` : ''}`);
    process.stdout.write(
      [
        `netops lab: ${lab.devices.length} devices (${Object.entries(byPlatform).filter(([, n]) => n).map(([p, n]) => `${n} ${p}`).join(', ')}), ${plural(lab.groups.size, 'redundancy group')}, ${plural(lab.sites.length, 'site')}`,
        `  ports ${Math.min(...ports)}-${Math.max(...ports)} on 127.0.0.1 (see the inventory for each device's port and host key)`,
        ...first,
        ...(lab.devices.length > 5 ? [`  ... and ${lab.devices.length - 5} more`] : []),
        `inventory:  ${inventory}`,
        `event log:  ${lab.eventLogPath ?? '(none; use --event-log to keep one)'}`,
        `login:      ssh -p ${lab.devices[0]!.port} ${lab.credentials.username}@127.0.0.1 (password and enable secret: files in ${resolve(lab.dataDir, 'secrets')})`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await lab.stop();
  if (!f.json) process.stdout.write('netops lab: stopped\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function runVerify(log: string, f: VerifyFlags): Promise<void> {
  if (!existsSync(log)) throw new CliError(`event log not found: ${log}`, ExitCode.usage);
  let result;
  try {
    result = verifyEventLog(log, { maxReloadsPerDevice: f.maxReloads, graceMs: f.graceMs });
  } catch (e) {
    throw new CliError((e as Error).message, ExitCode.usage);
  }
  // An empty log proves nothing: most likely the wrong file, or a lab started without --event-log.
  if (result.stats.events === 0) throw new CliError(`${log} holds no lab events; pass the file the lab wrote with --event-log`, ExitCode.usage);
  if (f.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${formatVerifyResult(result)}\n`);
  if (!result.ok) process.exitCode = ExitCode.failed;
}
