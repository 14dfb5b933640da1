import { readFile, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { isMap, parseDocument } from 'yaml';
import { TASK_QUEUE } from '../../contracts/names';
import { loadInventory, InventoryError, formatProblems, type Device, type InventoryFormat } from '../../inventory';
import { crossCheck, proposeGroups, unanswered, type DeviceFacts, type Disagreement, type ProposedGroup } from '../../inventory/discover';
import { parseDuration } from '../rollout/settings';
import { CliError, ExitCode } from '../shared/cli-error';
import { getOrCreateGroup } from '../shared/command-groups';
import { addSelectionOptions, loadInventoryForCli, selectFromOptions, type SelectionFlags } from '../shared/selection-options';
import { addTemporalOptions, type TemporalFlags } from '../shared/temporal-connection';
import { renderTable } from '../shared/text-table';
import { askDevices, renderDisagreements } from './ask-devices';

const INVENTORY_DESCRIPTION = 'validate and inspect device inventories (own YAML format or Nornir SimpleInventory)';

interface DiscoverFlags extends SelectionFlags, TemporalFlags {
  inventory: string;
  format: InventoryFormat;
  json?: boolean;
  write?: string;
  taskQueue: string;
  timeout: string;
}

/** What `discover --json` prints: the proposal, how the inventory compares, and the devices asked. */
export interface DiscoveryReport {
  asked: number;
  groups: ProposedGroup[];
  disagreements: Disagreement[];
  unanswered: { device: string; error: string }[];
  facts: DeviceFacts[];
}

/** `netops inventory discover` and `netops inventory apply-overlay`. */
export function register(program: Command): void {
  const inventory = getOrCreateGroup(program, 'inventory', INVENTORY_DESCRIPTION);
  const cmd = inventory
    .command('discover')
    .description('ask the devices which are partners (HSRP/VRRP groups, vPC domains) and propose redundancy groups, with the evidence')
    .requiredOption('--inventory <file>', 'inventory YAML file, Nornir hosts.yaml, or a Nornir inventory directory')
    .addOption(new Option('--format <format>', 'inventory format').choices(['auto', 'netops', 'nornir']).default('auto'))
    .option('--write <overlay>', 'write the proposed groups as an inventory overlay to review (then: netops inventory apply-overlay)')
    .option('--task-queue <name>', 'task queue of the workers that ask the devices', TASK_QUEUE)
    .option('--timeout <duration>', 'how long to wait for the devices to answer', '2m')
    .option('--json', 'print the proposal, the disagreements and what each device reported as JSON');
  addTemporalOptions(addSelectionOptions(cmd)).addHelpText(
    'after',
    `
The devices are asked read-only, through a worker (it holds the credentials):
show standby brief / show hsrp brief / show vrrp, show ip interface brief,
and on NX-OS show vpc. Partners are HSRP routers of one group number and
virtual IP that name each other's address as active or standby, VRRP routers
of one group and virtual IP in one site (FRR lists no backups), and vPC peers
of one domain in one site that report the peer adjacency. A device that
cannot be asked is listed as such, never as having no partner.

Exit codes: 0 the proposal was printed (also when the inventory disagrees:
the disagreements are listed), 2 bad input, 3 no worker or no answer.

Examples:
  $ netops inventory discover --inventory inventory.yaml --site ams1
  $ netops inventory discover --inventory inventory.yaml --write overlay.yaml
  $ netops inventory apply-overlay overlay.yaml --inventory inventory.yaml`,
  ).action(async (opts: DiscoverFlags) => discover(opts));

  inventory
    .command('apply-overlay')
    .description('set each device\'s redundancy_group from an overlay that inventory discover wrote (netops format, in place)')
    .argument('<overlay>', 'the overlay file (devices: {NAME: {redundancy_group: GROUP}})')
    .requiredOption('--inventory <file>', 'the netops-format inventory YAML file to change')
    .addHelpText(
      'after',
      `
Changes only the redundancy_group of the devices the overlay names (comments
and everything else stay as they are), then validates the result; an
inventory that would not validate is not written.

Examples:
  $ netops inventory apply-overlay overlay.yaml --inventory inventory.yaml`,
    )
    .action(async (overlay: string, opts: { inventory: string }) => applyOverlay(overlay, opts.inventory));
}

async function discover(opts: DiscoverFlags): Promise<void> {
  const inv = await loadInventoryForCli(opts.inventory, opts.format);
  const selected = selectFromOptions(inv, opts);
  const facts = await askDevices(selected, { ...opts, timeoutMs: parseDuration(opts.timeout, '--timeout') });
  const report: DiscoveryReport = {
    asked: selected.length,
    groups: proposeGroups(facts),
    disagreements: crossCheck(selected, facts),
    unanswered: unanswered(facts),
    facts,
  };
  if (opts.write) await writeFile(opts.write, renderOverlay(report.groups, selected, opts.inventory));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderReport(report, selected));
  if (opts.write) process.stdout.write(`\noverlay written to ${opts.write}: review it, then run netops inventory apply-overlay ${opts.write} --inventory ${opts.inventory}\n`);
}

function renderReport(r: DiscoveryReport, selected: Device[]): string {
  const declared = new Map(selected.map((d) => [d.name, d.redundancyGroup]));
  const lines: string[] = [`asked ${r.asked} device${r.asked === 1 ? '' : 's'}: ${r.groups.length} redundancy group${r.groups.length === 1 ? '' : 's'} found`];
  if (r.groups.length > 0) {
    lines.push('', renderTable(['GROUP', 'KIND', 'MEMBERS', 'INVENTORY SAYS'], r.groups.map((g) => [g.name, g.kind, g.members.join(', '), [...new Set(g.members.map((m) => declared.get(m) ?? '-'))].join(', ')])).trimEnd());
    lines.push('', 'Evidence:');
    for (const g of r.groups) lines.push(`  ${g.name}`, ...g.evidence.map((e) => `    ${e.device}: ${e.says}`));
  }
  if (r.unanswered.length > 0) lines.push('', 'Not asked (nothing is known about them):', ...r.unanswered.map((u) => `  ${u.device}: ${u.error}`));
  lines.push('', r.disagreements.length === 0 ? 'The inventory agrees with the devices.' : `The inventory disagrees with the devices (${r.disagreements.length}):\n${renderDisagreements(r.disagreements)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The overlay: every asked device's redundancy group as the devices report
 * it, with the evidence as comments. A device the inventory groups but no
 * partner confirms gets `null` (applying it removes the group), so that,
 * applied, the cross-check passes.
 */
export function renderOverlay(groups: ProposedGroup[], asked: Device[], inventory: string): string {
  const lines = [
    `# Redundancy groups as the devices reported them (netops inventory discover, ${new Date().toISOString()}).`,
    `# Review each group and its evidence, then: netops inventory apply-overlay <this file> --inventory ${inventory}`,
    'devices:',
  ];
  const placed = new Set<string>();
  for (const g of groups) {
    lines.push(`  # ${g.name} (${g.kind}):`, ...g.evidence.map((e) => `  #   ${e.device}: ${e.says}`));
    for (const m of g.members) {
      lines.push(`  ${m}:`, `    redundancy_group: ${g.name}`);
      placed.add(m);
    }
  }
  const ungrouped = asked.filter((d) => d.redundancyGroup !== undefined && !placed.has(d.name));
  if (ungrouped.length > 0) lines.push('  # grouped in the inventory, but no partner confirms it (or it could not be asked):');
  for (const d of ungrouped) lines.push(`  ${d.name}:`, `    redundancy_group: null   # was ${d.redundancyGroup}`);
  return `${lines.join('\n')}\n`;
}

async function applyOverlay(overlayPath: string, inventoryPath: string): Promise<void> {
  const overlay = parseDocument(await readText(overlayPath, 'overlay')).toJS() as { devices?: Record<string, { redundancy_group?: string | null }> } | null;
  const entries = Object.entries(overlay?.devices ?? {});
  if (entries.length === 0) throw new CliError(`${overlayPath}: no devices: in the overlay; write one with netops inventory discover --write`, ExitCode.usage);
  const original = await readText(inventoryPath, '--inventory');
  const doc = parseDocument(original);
  const devices = doc.get('devices');
  if (!isMap(devices)) throw new CliError(`--inventory: ${inventoryPath} has no devices: mapping (only the netops format is changed in place; in a Nornir hosts.yaml set redundancy_group by hand)`, ExitCode.usage);
  const missing = entries.map(([name]) => name).filter((name) => !devices.has(name));
  if (missing.length > 0) throw new CliError(`${overlayPath}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${inventoryPath}; nothing was changed`, ExitCode.usage);
  let changed = 0;
  for (const [name, v] of entries) {
    const group = v?.redundancy_group;
    const before = doc.getIn(['devices', name, 'redundancy_group']);
    if (group === null || group === undefined) {
      if (before !== undefined) doc.deleteIn(['devices', name, 'redundancy_group']);
    } else doc.setIn(['devices', name, 'redundancy_group'], group);
    if ((before ?? null) !== (group ?? null)) changed++;
  }
  const text = doc.toString();
  await writeFile(inventoryPath, text);
  try {
    await loadInventory(inventoryPath, { format: 'netops' });
  } catch (err) {
    await writeFile(inventoryPath, original);
    if (err instanceof InventoryError) {
      process.stderr.write(`${formatProblems(err.problems)}\n`);
      throw new CliError(`${inventoryPath} would not validate with ${overlayPath} applied; it was left as it was`, ExitCode.usage);
    }
    throw err;
  }
  process.stdout.write(`${inventoryPath}: redundancy_group of ${changed} device${changed === 1 ? '' : 's'} changed from ${overlayPath}\n`);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`${what}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, ExitCode.usage);
  }
}
