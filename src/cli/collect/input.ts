import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { InventoryFormat } from '../../inventory';
import { defaultResultsRoot, openResultStore, type ResultStoreRef } from '../../results';
import { COLLECT_PROFILES, type CollectInput, type CollectProfile } from '../../contracts/collect';
import { NAME_PATTERN, TASK_QUEUE } from '../../contracts/names';
import { CliError, ExitCode } from '../shared/cli-error';
import { toDeviceTarget } from '../../client/device-targets';
import { parsePositiveInt } from '../shared/parse-options';
import { addSelectionOptions, loadInventoryForCli, selectFromOptions, type SelectionFlags } from '../shared/selection-options';
import { addTemporalOptions, type TemporalFlags } from '../shared/temporal-connection';

/** Device lists larger than this go to the result store; Temporal refuses payloads over 2 MB. */
const INLINE_LIMIT_BYTES = 256 * 1024;

export interface CollectFlags extends SelectionFlags, TemporalFlags {
  inventory: string;
  format: InventoryFormat;
  command?: string[];
  commandProfile: string;
  batchSize: string;
  concurrency: string;
  parallelBatches: string;
  resultsDir?: string;
  taskQueue: string;
}

export function checkName(name: string, what: string): string {
  if (!NAME_PATTERN.test(name)) throw new CliError(`${what}: "${name}" is not a valid name (letters, digits, '.', '_', '-'; at most 80)`, ExitCode.usage);
  return name;
}

function collectCommand(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Inventory, selection, what to run and how wide: shared by `collect run` and `collect schedule create`. */
export function addCollectOptions(cmd: Command): Command {
  cmd
    .requiredOption('--inventory <file>', 'inventory YAML file, Nornir hosts.yaml, or a Nornir inventory directory')
    .addOption(new Option('--format <format>', 'inventory format').choices(['auto', 'netops', 'nornir']).default('auto'))
    .option('--command <text>', "a command to run (repeat the flag); 'a|b|c' picks the one each platform speaks, e.g. 'show standby brief|show hsrp brief|show vrrp'", collectCommand)
    .addOption(new Option('--command-profile <name>', 'named command set, expanded per platform, when no --command is given').choices([...COLLECT_PROFILES]).default('health'))
    .option('--batch-size <n>', 'devices per batch activity', '100')
    .option('--concurrency <n>', 'devices worked on at once inside one batch (the worker caps sessions too)', '25')
    .option('--parallel-batches <n>', 'batches running at once', '4')
    .option('--results-dir <dir>', 'result store root the workers write to (env NETOPS_RESULTS_DIR; default: the worker\'s .data/results)')
    .option('--task-queue <name>', 'task queue of the workers', TASK_QUEUE);
  return addTemporalOptions(addSelectionOptions(cmd));
}

export function storeRefFromFlags(resultsDir: string | undefined): ResultStoreRef {
  return resultsDir ? { kind: 'local', root: resultsDir } : { kind: 'local' };
}

/**
 * Loads and selects the devices and builds the workflow input; everything is
 * checked before Temporal is contacted. A large selection is written to the
 * result store once (under `setKey`) and the input carries a reference, so
 * the workers must share that store (the local store: the same disk).
 */
export async function collectInputFromFlags(name: string, opts: CollectFlags, setKey: string): Promise<CollectInput> {
  const batchSize = parsePositiveInt(opts.batchSize, '--batch-size', { max: 1000 });
  const concurrencyPerBatch = parsePositiveInt(opts.concurrency, '--concurrency', { max: 1000 });
  const parallelBatches = parsePositiveInt(opts.parallelBatches, '--parallel-batches', { max: 100 });
  const commands = (opts.command ?? []).map((c) => c.trim()).filter(Boolean);
  if (opts.command && commands.length === 0) throw new CliError('--command: empty command', ExitCode.usage);
  const inv = await loadInventoryForCli(opts.inventory, opts.format);
  const devices = selectFromOptions(inv, opts).map(toDeviceTarget);
  const store = storeRefFromFlags(opts.resultsDir);
  const base = { name, batchSize, concurrencyPerBatch, parallelBatches, store, ...(commands.length ? { commands } : { profile: opts.commandProfile as CollectProfile }) };
  const json = JSON.stringify(devices);
  if (json.length <= INLINE_LIMIT_BYTES) return { ...base, devices };
  const key = `${setKey}-${createHash('sha256').update(json).digest('hex').slice(0, 12)}`;
  // The set is on this machine's disk: the workers are told exactly where.
  const root = resolve(opts.resultsDir ?? defaultResultsRoot());
  await openResultStore({ kind: 'local', root }).putDeviceSet(key, devices);
  return { ...base, store: { kind: 'local', root }, deviceSet: { key, count: devices.length } };
}

export function runStamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
