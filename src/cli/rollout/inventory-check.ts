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
    checked = await crossCheckInventory(inv.devices, selected, { ...opts, taskQueue: TASK_QUEUE, timeoutMs });
  } catch (err) {
    if (err instanceof CliError) throw new CliError(`${err.message}; the redundancy groups must be cross-checked before anything changes (or pass --trust-inventory)`, err.exitCode);
    throw err;
  }
  if (checked.disagreements.length > 0) {
    log(renderDisagreements(checked.disagreements));
    throw new CliError(
      `the inventory's redundancy groups disagree with the devices (${checked.disagreements.length} finding${checked.disagreements.length === 1 ? '' : 's'} above); nothing was started. Fix the inventory (netops inventory discover --write proposes the groups), or pass --trust-inventory`,
      ExitCode.inventoryDisagrees,
    );
  }
  return `redundancy groups: cross-checked with ${checked.asked} device${checked.asked === 1 ? '' : 's'}, no disagreement`;
}
