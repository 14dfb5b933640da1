import { Option, type Command } from 'commander';
import {
  formatProblems,
  InventoryError,
  loadInventory,
  selectDevices,
  SelectionError,
  type Device,
  type Inventory,
  type InventoryFormat,
  type Selection,
} from '../../inventory';
import { CliError, ExitCode } from './cli-error';

/** What commander hands back for the flags `addSelectionOptions` adds. */
export interface SelectionFlags {
  devices?: string[];
  group?: string[];
  site?: string[];
  tag?: string[];
  filter?: string;
}

/** `--tag a --tag b,c` -> [a, b, c]: both repeated flags and comma lists work. */
function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return [...(previous ?? []), ...items];
}

/** Adds the device selection flags every device command shares. */
export function addSelectionOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--devices <names>', 'devices by name (comma list or repeat the flag)').argParser(collectList))
    .addOption(new Option('--group <names>', 'devices in any of these groups, inherited groups included').argParser(collectList))
    .addOption(new Option('--site <names>', 'devices at any of these sites').argParser(collectList))
    .addOption(new Option('--tag <names>', 'devices with any of these tags').argParser(collectList))
    .addOption(
      new Option('--filter <expr>', `filter expression, e.g. 'site == ams1 and (platform in [iosxe, nxos] or tag == edge)'`),
    );
}

/** The `Selection` the flags describe; flags of different kinds must all match. */
export function selectionFromOptions(opts: SelectionFlags): Selection {
  const sel: Selection = {};
  if (opts.devices?.length) sel.devices = opts.devices;
  if (opts.group?.length) sel.groups = opts.group;
  if (opts.site?.length) sel.sites = opts.site;
  if (opts.tag?.length) sel.tags = opts.tag;
  if (opts.filter !== undefined) sel.filter = opts.filter;
  return sel;
}

/** `selectDevices` for commands: selection mistakes become one-line usage errors (exit 2). */
export function selectFromOptions(inv: Inventory, opts: SelectionFlags): Device[] {
  try {
    return selectDevices(inv, selectionFromOptions(opts));
  } catch (err) {
    if (err instanceof SelectionError) throw new CliError(err.message, ExitCode.usage);
    throw err;
  }
}

/**
 * `loadInventory` for commands: every problem is printed on its own line to
 * stderr, then the command fails with exit code 2.
 */
export async function loadInventoryForCli(path: string, format: InventoryFormat = 'auto'): Promise<Inventory> {
  try {
    return await loadInventory(path, { format });
  } catch (err) {
    if (!(err instanceof InventoryError)) throw err;
    process.stderr.write(`${formatProblems(err.problems)}\n`);
    throw new CliError(problemSummary(path, err.problems.length), ExitCode.usage);
  }
}

export function problemSummary(path: string, count: number): string {
  return `inventory ${path} has ${count} problem${count === 1 ? '' : 's'}; nothing was run`;
}
