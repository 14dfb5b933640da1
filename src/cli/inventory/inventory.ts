import { Option, type Command } from 'commander';
import {
  formatProblem,
  formatSecretRef,
  InventoryError,
  loadInventory,
  type CredentialRef,
  type Device,
  type Inventory,
  type InventoryFormat,
} from '../../inventory';
import { renderTable as renderAligned } from '../shared/text-table';
import { CliError, ExitCode } from '../shared/cli-error';
import { getOrCreateGroup } from '../shared/command-groups';
import { addSelectionOptions, loadInventoryForCli, selectFromOptions, type SelectionFlags } from '../shared/selection-options';

interface FormatFlags {
  format: InventoryFormat;
  json?: boolean;
}

const formatOption = () =>
  new Option('--format <format>', 'inventory format; auto treats a directory or hosts.yaml as Nornir SimpleInventory')
    .choices(['auto', 'netops', 'nornir'])
    .default('auto');

/** `netops inventory validate|show`: check an inventory and see what it resolves to. */
export function register(program: Command): void {
  const inventory = getOrCreateGroup(program, 'inventory', 'validate and inspect device inventories (own YAML format or Nornir SimpleInventory)');

  inventory
    .command('validate')
    .description('check an inventory and report every problem at once (exit code 2 if there are any)')
    .argument('<file>', 'inventory YAML file, Nornir hosts.yaml, or a Nornir inventory directory')
    .addOption(formatOption())
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ netops inventory validate inventory.yaml
  ok: 12 devices, 3 sites, 5 redundancy groups
  $ netops inventory validate nornir/ --format nornir --json`,
    )
    .action(async (file: string, opts: FormatFlags) => validate(file, opts));

  addSelectionOptions(
    inventory
      .command('show')
      .description('print the resolved devices (after inheritance): address, platform, site, groups, pairs, credential references')
      .argument('<file>', 'inventory YAML file, Nornir hosts.yaml, or a Nornir inventory directory')
      .addOption(formatOption())
      .option('--json', 'print the resolved devices as JSON'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ netops inventory show inventory.yaml --site ams1
  $ netops inventory show inventory.yaml --filter 'platform == nxos and not tag == lab' --json`,
    )
    .action(async (file: string, opts: FormatFlags & SelectionFlags) => show(file, opts));
}

async function validate(file: string, opts: FormatFlags): Promise<void> {
  let inv: Inventory;
  try {
    inv = await loadInventory(file, { format: opts.format });
  } catch (err) {
    if (!(err instanceof InventoryError)) throw err;
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: false, problems: err.problems }, null, 2)}\n`);
    else process.stderr.write(err.problems.map((p) => `${formatProblem(p)}\n`).join(''));
    const n = err.problems.length;
    throw new CliError(`${file}: ${n} problem${n === 1 ? '' : 's'}`, ExitCode.usage);
  }
  const summary = {
    ok: true,
    devices: inv.devices.length,
    sites: Object.keys(inv.sites).length,
    redundancyGroups: new Set(inv.devices.flatMap((d) => (d.redundancyGroup ? [d.redundancyGroup] : []))).size,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `ok: ${plural(summary.devices, 'device')}, ${plural(summary.sites, 'site')}, ${plural(summary.redundancyGroups, 'redundancy group')}\n`,
  );
}

async function show(file: string, opts: FormatFlags & SelectionFlags): Promise<void> {
  const inv = await loadInventoryForCli(file, opts.format);
  const devices = selectFromOptions(inv, opts);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ source: inv.source, devices }, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderTable(devices));
}

const COLUMNS: Array<[string, (d: Device) => string]> = [
  ['NAME', (d) => d.name],
  ['ADDRESS', (d) => (d.host.includes(':') ? `[${d.host}]:${d.port}` : `${d.host}:${d.port}`)],
  ['PLATFORM', (d) => d.platform],
  ['SITE', (d) => d.site],
  ['GROUPS', (d) => d.groups.join(',') || '-'],
  ['TAGS', (d) => d.tags.join(',') || '-'],
  ['REDUNDANCY', (d) => d.redundancyGroup ?? '-'],
  ['PINNED KEY', (d) => (d.hostKey ? 'yes' : 'no')],
  ['KEY CHECK', (d) => d.hostKeyCheck],
  ['CREDENTIALS', (d) => describeCredentials(d.credentials)],
];

/** Aligned plain-text table; the last column is left unpadded so long references do not wrap others. */
export function renderTable(devices: Device[]): string {
  return renderAligned(
    COLUMNS.map(([title]) => title),
    devices.map((d) => COLUMNS.map(([, cell]) => cell(d))),
  );
}

/** The set name and references only: secrets are never loaded by the client. */
export function describeCredentials(c: CredentialRef): string {
  const parts = [`user ${c.username}`];
  if (c.password) parts.push(`password ${formatSecretRef(c.password)}`);
  if (c.enableSecret) parts.push(`enable ${formatSecretRef(c.enableSecret)}`);
  if (c.privateKey) parts.push(`key ${c.privateKey}`);
  if (c.passphrase) parts.push(`passphrase ${formatSecretRef(c.passphrase)}`);
  if (c.agent) parts.push('agent');
  return `${c.set} (${parts.join('; ')})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
