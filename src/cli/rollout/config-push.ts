import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { compileTemplate, dedupeLines, renderForDevice, TemplateError, toConfigLines } from '../../config';
import { renderConfigReport } from './config-report';
import type { Device, InventoryFormat } from '../../inventory';
import { rolloutWorkflowId, type ConfigVerify, type RolloutInput } from '../../contracts/rollout';
import { jobLabel } from '../../contracts/job-kinds';
import { CliError } from '../shared/cli-error';
import { getOrCreateGroup } from '../shared/command-groups';
import { toDeviceTarget } from '../../client/device-targets';
import { addPolicyOptions, policyFromFlags, type PolicyFlags } from './options';
import { splitList } from '../shared/parse-options';
import { checkJobFlags, jobRolloutInput } from './job-input';
import { addBudgetOptions, parseDuration, timingsFromFlags } from './settings';
import { watchToReport } from './watch';
import { addSelectionOptions, loadInventoryForCli, selectFromOptions, type SelectionFlags } from '../shared/selection-options';
import { addTemporalOptions, type TemporalFlags } from '../shared/temporal-connection';
import { webUiBase, workflowUrl } from '../shared/ui-link';
import { withNetops } from '../shared/with-netops';
import { addTrustInventoryOption, checkRedundancyGroups } from './inventory-check';

export interface ConfigPushFlags extends SelectionFlags, PolicyFlags, TemporalFlags {
  inventory: string;
  format: InventoryFormat;
  template?: string;
  lines?: string;
  label?: string;
  dryRun?: boolean;
  failureBudget: string;
  approval: boolean;
  trustInventory?: boolean;
  timings: string;
  verify: string;
  settle: string;
  save: boolean;
  name?: string;
  watch?: boolean;
  json?: boolean;
  uiUrl?: string;
}

const VERIFY_CHECKS = ['redundancy', 'interfaces', 'bgp'] as const;

export function parseVerify(value: string, settleMs: number): ConfigVerify {
  const items = value.trim() === 'none' ? [] : splitList(value);
  for (const item of items) {
    if (!(VERIFY_CHECKS as readonly string[]).includes(item)) throw new CliError(`--verify: "${item}" is not a check (expected a comma list of ${VERIFY_CHECKS.join(', ')}, or none)`);
  }
  return { redundancy: items.includes('redundancy'), interfaces: items.includes('interfaces'), bgp: items.includes('bgp'), settleMs };
}

async function readSource(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new CliError(`${flag}: cannot read ${path}: ${why}`);
  }
}

/** Each selected device's lines: the template rendered with its variables, or the same literal lines for all. */
async function linesPerDevice(opts: ConfigPushFlags, devices: Device[]): Promise<Record<string, string[]>> {
  if (opts.template !== undefined) {
    const text = await readSource(opts.template, '--template');
    try {
      const tpl = compileTemplate(text, opts.template);
      return Object.fromEntries(devices.map((d) => [d.name, renderForDevice(tpl, d)]));
    } catch (err) {
      if (err instanceof TemplateError) throw new CliError(err.message);
      throw err;
    }
  }
  const lines = toConfigLines(await readSource(opts.lines!, '--lines'));
  return Object.fromEntries(devices.map((d) => [d.name, lines]));
}

/**
 * Builds the rollout input of a push from flags: the template is read and
 * rendered for every selected device here, so a bad template or variable
 * stops the command before Temporal or any device is contacted.
 */
export async function configPushInputFromFlags(opts: ConfigPushFlags, log: (line: string) => void = () => undefined): Promise<RolloutInput> {
  if (opts.template === undefined && opts.lines === undefined) throw new CliError('give the configuration with --template FILE or --lines FILE');
  if (opts.template !== undefined && opts.lines !== undefined) throw new CliError('--template and --lines exclude each other: give one');
  const flags = checkJobFlags(opts);
  const policy = policyFromFlags(opts);
  const timings = timingsFromFlags({ timings: opts.timings });
  const verify = parseVerify(opts.verify, parseDuration(opts.settle, '--settle'));
  const inv = await loadInventoryForCli(opts.inventory, opts.format);
  const selected = selectFromOptions(inv, opts);
  const perDevice = await linesPerDevice(opts, selected);
  const empty = selected.filter((d) => perDevice[d.name]!.length === 0).map((d) => d.name);
  const source = (opts.template ?? opts.lines)!;
  if (empty.length === selected.length) throw new CliError(`${source} gives no configuration lines for any selected device; nothing to push`);
  if (empty.length > 0) log(`${empty.length} device(s) get no lines from ${source} and are left out: ${empty.join(', ')}`);
  const targets = selected.filter((d) => !empty.includes(d.name)).map(toDeviceTarget);
  for (const name of empty) delete perDevice[name];
  const label = opts.label ?? basename(source);
  const job = { kind: 'config' as const, label, ...dedupeLines(perDevice), verify, saveAfter: opts.save };
  return jobRolloutInput(flags, { job, targets, sites: inv.sites, policy, timings });
}

export function register(program: Command): void {
  const config = getOrCreateGroup(program, 'config', 'configuration pushes: templates rendered per device, applied through the rollout engine');
  const cmd = config
    .command('push')
    .description('push configuration lines (a template rendered per device, or literal lines) to the selected devices, safely')
    .requiredOption('--inventory <file>', 'inventory YAML file, Nornir hosts.yaml, or a Nornir inventory directory')
    .addOption(new Option('--format <format>', 'inventory format').choices(['auto', 'netops', 'nornir']).default('auto'))
    .option('--template <file>', 'Liquid template rendered per device with device.* and data.* (e.g. {{ device.name }}, {{ data.ntp }})')
    .option('--lines <file>', 'configuration lines sent as they are, the same to every device')
    .option('--label <text>', 'short name of the change in reports (default: the file name)')
    .option('--dry-run', 'show per device the lines its running configuration lacks; change nothing')
    .option('--timings <preset>', 'step timeouts and polls: "real" or "lab"', 'real')
    .option('--verify <checks>', 'post-change checks besides the pushed lines: comma list of redundancy, interfaces, bgp, or none', 'redundancy,interfaces,bgp')
    .option('--settle <duration>', 'wait after applying before the checks, e.g. 10s', '5s')
    .option('--no-save', 'leave the change in the running configuration only')
    .option('--name <name>', 'rollout name; the workflow id is rollout/<name> (default: config-<label>-<time>)')
    .option('--watch', 'follow the push until it ends (exit 0 completed, 1 failed or aborted); a dry run always waits')
    .option('--ui-url <url>', 'Web UI base URL for the printed link (env NETOPS_UI_URL)')
    .option('--json', 'print {name, workflowId, url} (with --watch or --dry-run: the final report) as JSON');
  addTrustInventoryOption(addTemporalOptions(addPolicyOptions(addBudgetOptions(addSelectionOptions(cmd), 'failures (refused lines, failed checks)', 'devices'))))
    .addHelpText(
      'after',
      `
Each device gets its lines through the rollout engine (window, HSRP/VRRP
pairs, canary, approval, failure budget, pause/abort) under the same
device/<name> lock as upgrades. A device already holding every line is
reported unchanged and not touched; otherwise its configuration is backed up,
the lines applied, checked and saved; any failure rolls it back. First the
redundancy groups are cross-checked with the devices (through a worker): a
disagreement stops here with the evidence, exit code 6 (--trust-inventory
skips the check, and the push's details say so).

Examples:
  $ netops config push --inventory inventory.yaml --site ams1 --template ntp.liquid --dry-run
  $ netops config push --inventory inventory.yaml --tag edge --template ntp.liquid --canary 1 --window 4 --watch
  $ netops config push --inventory inventory.yaml --devices r1-a,r1-b --lines banner.cfg --no-save`,
    )
    .action(async (opts: ConfigPushFlags) => {
      const input = await configPushInputFromFlags(opts, (line) => process.stderr.write(`${line}\n`));
      const detailsNote = await checkRedundancyGroups(opts, (line) => process.stderr.write(`${line}\n`));
      await withNetops(opts, async (netops, conn) => {
        await netops.startRollout(input, { detailsNote });
        const url = workflowUrl(webUiBase(conn.target.address, opts.uiUrl), conn.target.namespace, rolloutWorkflowId(input.name));
        const wait = opts.watch || opts.dryRun;
        if (!wait) {
          if (opts.json) process.stdout.write(`${JSON.stringify({ name: input.name, workflowId: rolloutWorkflowId(input.name), url })}\n`);
          else process.stdout.write(`started config push ${input.name}: ${jobLabel(input.job)} to ${input.devices.length} devices${url ? `\n  ${url}` : ''}\n`);
          return;
        }
        process.stderr.write(`started ${opts.dryRun ? 'dry run' : 'config push'} ${input.name}${url ? ` (${url})` : ''}\n`);
        await watchToReport(netops, input.name, { json: opts.json, render: renderConfigReport });
      });
    });
}
