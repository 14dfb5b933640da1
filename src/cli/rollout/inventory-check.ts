import type { Command } from 'commander';
import { TASK_QUEUE } from '../../contracts/names';
import type { InventoryFormat } from '../../inventory';
import { crossCheckInventory, renderDisagreements } from '../inventory/ask-devices';
import { CliError, ExitCode } from '../shared/cli-error';
import { loadInventoryForCli, selectFromOptions, type SelectionFlags } from '../shared/selection-options';
import type { TemporalFlags } from '../shared/temporal-connection';

export interface InventoryCheckFlags extends SelectionFlags, TemporalFlags {
  inventory: string;
  format: InventoryFormat;
  trustInventory?: boolean;
  /** The workers' task queue (default `netops`, where the rollout runs too). */
  taskQueue?: string;
}

export function addTrustInventoryOption(cmd: Command): Command {
  return cmd.option('--trust-inventory', 'start without cross-checking the redundancy groups with the devices (logged, and recorded in the rollout\'s details)');
}

/**
 * The cross-check every rollout and push runs before it starts: the
 * selection and the other members of its declared groups are asked (through
 * a worker) who their partners are, and any disagreement with the
 * inventory's `redundancy_group` stops here, before anything changes, with
 * the evidence per device. Returns the line the rollout's details record.
 */
export async function checkRedundancyGroups(opts: InventoryCheckFlags, log: (line: string) => void, timeoutMs = 120_000): Promise<string> {
  if (opts.trustInventory) {
    const note = 'redundancy groups: not cross-checked with the devices (--trust-inventory)';
    log(`netops: ${note}`);
    return note;
  }
  const inv = await loadInventoryForCli(opts.inventory, opts.format);
  const selected = selectFromOptions(inv, opts);
  let checked;
  try {
    checked = await crossCheckInventory(inv.devices, selected, { ...opts, taskQueue: opts.taskQueue ?? TASK_QUEUE, timeoutMs });
  } catch (err) {
    // Temporal itself unreachable says so in its own words, as every command does.
    if (err instanceof CliError && err.message.startsWith('cannot ask the devices')) throw new CliError(`${err.message}; the redundancy groups must be cross-checked before anything changes (or pass --trust-inventory)`, err.exitCode);
    throw err;
  }
  const unsure = checked.unanswered.map((u) => `${u.device} (${u.error})`);
  if (unsure.length > 0) log(`netops: redundancy groups not confirmed for devices that did not answer: ${unsure.join('; ')}`);
  if (checked.disagreements.length > 0) {
    log(renderDisagreements(checked.disagreements));
    throw new CliError(
      `the inventory's redundancy groups disagree with the devices (${checked.disagreements.length} finding${checked.disagreements.length === 1 ? '' : 's'} above); nothing was started. Fix the inventory (netops inventory discover --write proposes the groups), or pass --trust-inventory`,
      ExitCode.inventoryDisagrees,
    );
  }
  const notAsked = unsure.length > 0 ? `; not confirmed (no answer): ${checked.unanswered.map((u) => u.device).join(', ')}` : '';
  return `redundancy groups: cross-checked with ${checked.asked} device${checked.asked === 1 ? '' : 's'}, no disagreement${notAsked}`;
}
