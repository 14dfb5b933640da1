import type { Command } from 'commander';
import { ROLLOUT_GROUP_DESCRIPTION } from './shared/command-groups';

type Register = (program: Command) => void;

interface CommandModule {
  load: () => Promise<{ register: Register }>;
  /**
   * The sub-commands this module adds, when it shares its family with others
   * (`rollout plan` and `rollout start` have modules of their own); a module
   * without a list takes every other sub-command of its family.
   */
  subcommands?: readonly string[];
}

/** A top-level command (`netops rollout ...`) and the modules that add its commands. */
export interface CommandFamily {
  name: string;
  /** Listed by `netops --help` without loading a module; a unit test holds it equal to the module's own. */
  description: string;
  modules: readonly CommandModule[];
}

/**
 * Every command family, in `--help` order. A command module imports what its
 * actions need (the worker SDK, ssh2, undici, ...), which costs up to a second
 * per module, so a run loads only the modules of the command it was given.
 * To add a family: a module under `commands/` exporting `register(program)`,
 * and an entry here.
 */
export const COMMAND_FAMILIES: readonly CommandFamily[] = [
  {
    name: 'cluster',
    description: 'a production-shaped Temporal cluster on this machine: PostgreSQL and four server services as separate processes',
    modules: [{ load: () => import('./server/cluster') }],
  },
  {
    name: 'codec-server',
    description: "Serve Temporal's remote codec protocol so the Web UI and `temporal` CLI can show encrypted payloads",
    modules: [{ load: () => import('./server/codec-server') }],
  },
  {
    name: 'collect',
    description: 'collect operational data from many devices, once or on a schedule',
    modules: [{ load: () => import('./collect/collect') }],
  },
  {
    name: 'config',
    description: 'configuration pushes: templates rendered per device, applied through the rollout engine',
    modules: [{ load: () => import('./rollout/config-push') }],
  },
  {
    name: 'dashboard',
    description: 'cloud-managed fleets through a dashboard REST API: status, firmware rollouts',
    modules: [{ load: () => import('./dashboard/dashboard') }],
  },
  {
    name: 'dev',
    description: 'the whole thing on this machine: Temporal dev server, a lab of HSRP pairs, a worker, and a real rollout to watch',
    modules: [{ load: () => import('./server/dev') }],
  },
  {
    name: 'inventory',
    description: 'validate and inspect device inventories (own YAML format or Nornir SimpleInventory)',
    modules: [{ load: () => import('./inventory/discover'), subcommands: ['discover', 'apply-overlay'] }, { load: () => import('./inventory/inventory') }],
  },
  {
    name: 'lab',
    description: 'simulated fleet of IOS-XE, NX-OS and FRR devices over real SSH on 127.0.0.1, and its invariant checker',
    modules: [{ load: () => import('./lab/lab') }],
  },
  {
    name: 'rollout',
    description: ROLLOUT_GROUP_DESCRIPTION,
    modules: [
      { load: () => import('./rollout/plan'), subcommands: ['plan'] },
      { load: () => import('./rollout/start'), subcommands: ['start'] },
      { load: () => import('./rollout/control') },
    ],
  },
  {
    name: 'server',
    description: 'Run a local Temporal dev server (SQLite under .data/, Web UI, our search attributes) until Ctrl-C',
    modules: [{ load: () => import('./server/server') }],
  },
  {
    name: 'worker',
    description: 'Run a netops worker: executes workflows and the device I/O activities until Ctrl-C',
    modules: [{ load: () => import('./server/worker') }],
  },
];

/**
 * Registers what `argv` asks for: the named family's modules (only the one
 * that owns the sub-command, when that is known), or, for `--help`, an
 * unknown command or no command, every family by name and description only.
 */
export async function registerCommands(program: Command, argv: readonly string[], families: readonly CommandFamily[] = COMMAND_FAMILIES): Promise<void> {
  const [first, second] = requestedCommand(argv);
  const family = families.find((f) => f.name === first);
  if (!family) {
    for (const f of families) program.command(f.name).description(f.description);
    return;
  }
  for (const { register } of await Promise.all(modulesFor(family, second).map((m) => m.load()))) register(program);
}

/** Every command module, loaded: what `--help` lists must equal what they register (a unit test). */
export async function registerEveryCommand(program: Command, families: readonly CommandFamily[] = COMMAND_FAMILIES): Promise<void> {
  for (const f of families) for (const m of f.modules) (await m.load()).register(program);
}

function modulesFor(family: CommandFamily, subcommand: string | undefined): readonly CommandModule[] {
  if (subcommand === undefined) return family.modules;
  const owner = family.modules.find((m) => m.subcommands?.includes(subcommand)) ?? family.modules.find((m) => !m.subcommands);
  return owner ? [owner] : family.modules;
}

/**
 * The command and sub-command words of `node netops ...` (argv as Node gives
 * it): the first two words that are not options; `help X` asks about X.
 * `netops` itself takes no option with a value, so no word is mistaken for one.
 */
export function requestedCommand(argv: readonly string[]): [string | undefined, string | undefined] {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  if (words[0] === 'help') return [words[1], words[2]];
  return [words[0], words[1]];
}
