import { imageRolloutRefusals } from '../../contracts/image-platforms';
import { jobLabel } from '../../contracts/job-kinds';
import { Option, type Command } from 'commander';
import type { InventoryFormat } from '../../inventory';
import { rolloutWorkflowId, type RolloutInput } from '../../contracts/rollout';
import { CliError, ExitCode } from '../shared/cli-error';
import { getOrCreateGroup, ROLLOUT_GROUP_DESCRIPTION } from '../shared/command-groups';
import { toDeviceTarget } from '../../client/device-targets';
import { ImageFileError, inspectImage } from '../../client/image-file';
import { addPolicyOptions, policyFromFlags, type PolicyFlags } from './options';
import { addSettingsOptions, parseDuration, timingsFromFlags, type SettingsFlags } from './settings';
import { checkJobFlags, jobRolloutInput } from './job-input';
import { connectionFlags } from './render';
import { watchToReport } from './watch';
import { addSelectionOptions, loadInventoryForCli, selectFromOptions, type SelectionFlags } from '../shared/selection-options';
import { addTemporalOptions, type TemporalFlags } from '../shared/temporal-connection';
import { webUiBase, workflowUrl } from '../shared/ui-link';
import { withNetops } from '../shared/with-netops';
import { addTrustInventoryOption, checkRedundancyGroups } from './inventory-check';

interface StartFlags extends SelectionFlags, PolicyFlags, SettingsFlags, TemporalFlags {
  inventory: string;
  format: InventoryFormat;
  image: string;
  imageVersion?: string;
  name?: string;
  watch?: boolean;
  json?: boolean;
  uiUrl?: string;
  busyWait?: string;
  trustInventory?: boolean;
  isolation?: 'isolate' | 'drain' | 'none';
}

/** Builds the workflow input from flags; everything is checked before Temporal is contacted. */
export async function rolloutInputFromFlags(opts: StartFlags): Promise<RolloutInput> {
  const flags = checkJobFlags(opts);
  const policy = policyFromFlags(opts);
  const timings = timingsFromFlags(opts);
  const busyWaitMs = opts.busyWait !== undefined ? parseDuration(opts.busyWait, '--busy-wait') : undefined;
  const inv = await loadInventoryForCli(opts.inventory, opts.format);
  const selected = selectFromOptions(inv, opts);
  const noImage = imageRolloutRefusals(selected);
  if (noImage.length > 0) throw new CliError(`--image: ${noImage.join('; ')}`, ExitCode.usage);
  const image = await inspectImage(opts.image, opts.imageVersion).catch(imageFlagError);
  // `drain` is what a rollout did before the policy existed: it stays out of the input, which stays as it was.
  const isolation = opts.isolation && opts.isolation !== 'drain' ? { isolation: opts.isolation } : {};
  const job = { kind: 'upgrade' as const, image, rollbackOnFailedPostCheck: opts.rollback, ...isolation };
  return jobRolloutInput(flags, { job, targets: selected.map(toDeviceTarget), sites: inv.sites, policy, timings, busyWaitMs });
}

export function register(program: Command): void {
  const rollout = getOrCreateGroup(program, 'rollout', ROLLOUT_GROUP_DESCRIPTION);
  const cmd = rollout
    .command('start')
    .description('start a pair-aware image rollout on the selected devices')
    .requiredOption('--inventory <file>', 'inventory YAML file, Nornir hosts.yaml, or a Nornir inventory directory')
    .addOption(new Option('--format <format>', 'inventory format').choices(['auto', 'netops', 'nornir']).default('auto'))
    .requiredOption('--image <file>', 'image file to install (read once here for its size and MD5)')
    .option('--image-version <version>', 'version the image boots into, as `show version` prints it (default: from the file name)')
    .option('--name <name>', 'rollout name; the workflow id is rollout/<name> (default: <version>-<time>)')
    .option('--watch', 'follow the rollout until it ends (exit 0 completed, 1 failed or aborted)')
    .option('--busy-wait <duration>', 'how long to wait for a device another operation holds before reporting it busy, e.g. 10m (default 30m)')
    .addOption(
      new Option('--isolation <policy>', 'how a device leaves the forwarding path before its reload: isolate (maintenance mode, NX-OS/IOS-XE), drain (HSRP/VRRP priority of an active member), none')
        .choices(['isolate', 'drain', 'none'])
        .default('drain'),
    )
    .option('--ui-url <url>', 'Web UI base URL for the printed link (env NETOPS_UI_URL)')
    .option('--json', 'print {name, workflowId, url} (with --watch: the final report) as JSON');
  addTrustInventoryOption(addTemporalOptions(addSettingsOptions(addPolicyOptions(addSelectionOptions(cmd)))))
    .addHelpText(
      'after',
      `
The rollout runs on the workers; this command returns once it has started
(unless --watch). Steer it with rollout pause|resume|approve|abort|retry|skip.
First the redundancy groups are cross-checked with the devices (through a
worker): a disagreement stops here with the evidence, exit code 6
(--trust-inventory skips the check, and the rollout's details say so).

Examples:
  $ netops rollout start --inventory inventory.yaml --site ams1 --image cat9k_iosxe.17.12.04.SPA.bin \\
      --canary 1 --window 4 --failure-budget 2 --name ams1-17.12
  $ netops rollout start --inventory inventory.yaml --image nxos64-cs.10.4.3.F.bin --dry-run --watch`,
    )
    .action(async (opts: StartFlags) => {
      const input = await rolloutInputFromFlags(opts);
      const detailsNote = await checkRedundancyGroups(opts, (line) => process.stderr.write(`${line}\n`));
      await withNetops(opts, async (netops, conn) => {
        await netops.startRollout(input, { detailsNote });
        const url = workflowUrl(webUiBase(conn.target.address, opts.uiUrl), conn.target.namespace, rolloutWorkflowId(input.name));
        if (!opts.watch) {
          if (opts.json) process.stdout.write(`${JSON.stringify({ name: input.name, workflowId: rolloutWorkflowId(input.name), url })}\n`);
          else {
            const follow = `netops rollout watch ${input.name}${connectionFlags({ ...conn.target, profile: opts.profile })}`;
            process.stdout.write(`started rollout ${input.name}: ${input.devices.length} devices to ${jobLabel(input.job)}${url ? `\n  ${url}` : ''}\n  follow it: ${follow}\n`);
          }
          return;
        }
        process.stderr.write(`started rollout ${input.name}${url ? ` (${url})` : ''}\n`);
        await watchToReport(netops, input.name, { json: opts.json, hintFlags: connectionFlags({ ...conn.target, profile: opts.profile }) });
      });
    });
}

/** The library's image error as the --image flag's usage error. */
function imageFlagError(err: unknown): never {
  if (!(err instanceof ImageFileError)) throw err;
  const hint = err.reason === 'version-unknown' ? '; pass --image-version (as `show version` prints it)' : '';
  throw new CliError(`--image: ${err.message}${hint}`, ExitCode.usage);
}
