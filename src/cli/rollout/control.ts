import type { Command } from 'commander';
import type { NetopsClient } from '../../client/netops-client';
import { getOrCreateGroup, ROLLOUT_GROUP_DESCRIPTION } from '../shared/command-groups';
import { withNetops } from '../shared/with-netops';
import { parsePositiveInt } from '../shared/parse-options';
import { formatDuration } from '../shared/format-duration';
import { connectionFlags, renderProgress, renderReport } from './render';
import { renderTable } from '../shared/text-table';
import { addTemporalOptions, type TemporalFlags } from '../shared/temporal-connection';


interface JsonFlags extends TemporalFlags {
  json?: boolean;
}

interface ControlFlags extends JsonFlags {
  reason?: string;
  despiteFailedCanary?: boolean;
}

export function register(program: Command): void {
  const rollout = getOrCreateGroup(program, 'rollout', ROLLOUT_GROUP_DESCRIPTION);

  addTemporalOptions(
    rollout
      .command('status <name>')
      .description('show where a rollout is: counts and one line per device')
      .option('--json', 'print the progress as JSON'),
  )
    .addHelpText('after', '\nExample:\n  $ netops rollout status core-17.12 --json')
    .action(async (name: string, opts: JsonFlags) =>
      withNetops(opts, async (netops, conn) => {
        const described = await netops.handle(name).describe().catch(() => undefined);
        if (described && described.status.name !== 'RUNNING') {
          const report = await netops.result(name);
          process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
          return;
        }
        const p = await netops.progress(name);
        process.stdout.write(opts.json ? `${JSON.stringify(p, null, 2)}\n` : renderProgress(p, connectionFlags({ ...conn.target, profile: opts.profile })));
      }),
    );

  addTemporalOptions(
    rollout
      .command('watch <name>')
      .description('follow a rollout live until it ends, then print its report (exit 0 completed, 1 failed or aborted)')
      .option('--json', 'print the final report as JSON')
      .option('--interval <ms>', 'how often to poll', '1000')
      .option('--plain', 'one line per change, even on a terminal'),
  )
    .addHelpText('after', '\nCtrl-C stops watching; the rollout goes on.\n\nExample:\n  $ netops rollout watch core-17.12')
    .action(async (name: string, opts: JsonFlags & { interval: string; plain?: boolean }) =>
      withNetops(opts, async (netops, conn) => {
        const intervalMs = parsePositiveInt(opts.interval, '--interval', { min: 100 });
        // Loaded for `watch` only: the progress bar is no part of the read commands' start-up.
        const { watchToReport } = await import('./watch');
        await watchToReport(netops, name, { intervalMs, plain: opts.plain, json: opts.json, hintFlags: connectionFlags({ ...conn.target, profile: opts.profile }) });
      }),
    );

  addTemporalOptions(
    rollout
      .command('list')
      .description('list rollouts, newest first')
      .option('--device <name>', 'only rollouts that include this device')
      .option('--limit <n>', 'at most this many', '50')
      .option('--json', 'print as JSON'),
  )
    .addHelpText('after', '\nExample:\n  $ netops rollout list --device r1-a')
    .action(async (opts: JsonFlags & { device?: string; limit: string }) =>
      withNetops(opts, async (netops) => {
        const items = await netops.listRollouts({ device: opts.device, limit: parsePositiveInt(opts.limit, '--limit') });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
          return;
        }
        if (items.length === 0) {
          process.stdout.write(`no rollouts${opts.device ? ` touched ${opts.device}` : ''}\n`);
          return;
        }
        const now = Date.now();
        process.stdout.write(
          renderTable(
            ['NAME', 'STATUS', 'TARGET', 'STARTED', 'DURATION'],
            items.map((i) => [i.name, i.status, i.targetVersion ?? '', i.startTime.toISOString(), formatDuration((i.closeTime?.getTime() ?? now) - i.startTime.getTime())]),
          ),
        );
      }),
    );

  control(rollout, 'pause <name>', 'start no new device; running ones finish', (n, name, o) => n.pause(name, o.reason), true);
  control(rollout, 'resume <name>', 'start devices again after a pause', (n, name) => n.resume(name));
  control(
    rollout,
    'approve <name>',
    'let the rest of the rollout go after its canary (refused, exit 5, while a canary has not succeeded)',
    (n, name, o) => n.approve(name, { despiteFailedCanary: o.despiteFailedCanary, reason: o.reason }),
    true,
    (cmd) => cmd.option('--despite-failed-canary', 'approve although a canary did not succeed (recorded in the rollout and its report)'),
  );
  control(rollout, 'abort <name>', 'stop: running devices are cancelled and their HSRP/VRRP priority restored', (n, name, o) => n.abort(name, o.reason), true);
  control(rollout, 'retry <name> <device>', 'run a failed or busy device again (after fixing it, or once its other operation ended)', (n, name, _o, device) => n.retryDevice(name, device!));
  control(rollout, 'skip <name> <device>', 'leave a pending, failed or busy device out (frees the peers it holds back)', (n, name, o, device) => n.skipDevice(name, device!, o.reason), true);
}

function control(
  group: Command,
  usage: string,
  description: string,
  run: (netops: NetopsClient, name: string, opts: ControlFlags, device?: string) => Promise<{ message: string }>,
  withReason = false,
  extra: (cmd: Command) => Command = (cmd) => cmd,
): void {
  const verb = usage.split(' ')[0]!;
  const cmd = group.command(usage).description(description).option('--json', 'print the answer as JSON');
  if (withReason) cmd.option('--reason <text>', 'why (kept in the rollout report and history)');
  addTemporalOptions(extra(cmd))
    .addHelpText('after', `\nExample:\n  $ netops rollout ${verb} core-17.12${usage.includes('<device>') ? ' r1-a' : ''}`)
    .action(async (name: string, ...rest: unknown[]) => {
      const device = typeof rest[0] === 'string' ? rest[0] : undefined;
      const opts = (device ? rest[1] : rest[0]) as ControlFlags;
      await withNetops(opts, async (netops) => {
        const answer = await run(netops, name, opts, device);
        process.stdout.write(opts.json ? `${JSON.stringify(answer)}\n` : `${name}: ${answer.message}\n`);
      });
    });
}
