import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import { Option, type Command } from 'commander';
import { collectWorkflowId, type CollectInput } from '../../contracts/collect';
import { WORKFLOW_TYPES } from '../../contracts/names';
import { CliError, ExitCode } from '../shared/cli-error';
import { renderTable } from '../shared/text-table';
import { addTemporalOptions, connectClient, type TemporalFlags } from '../shared/temporal-connection';
import { addCollectOptions, checkName, collectInputFromFlags, type CollectFlags } from './input';

/** Schedule ids of collections: `collect-<name>`; `collect schedule list` shows only these. */
export const SCHEDULE_PREFIX = 'collect-';

export const OVERLAP_CHOICES = ['skip', 'buffer-one', 'buffer-all', 'cancel-other', 'terminate-other', 'allow-all'] as const;
type OverlapChoice = (typeof OVERLAP_CHOICES)[number];

export function overlapPolicy(choice: OverlapChoice): ScheduleOverlapPolicy {
  return choice.toUpperCase().replace(/-/g, '_') as ScheduleOverlapPolicy;
}

/** `90s`, `15m`, `2h`, `1d` -> milliseconds; at least a minute apart would be saner, but tests want seconds. */
export function parseEvery(value: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  const n = m ? Number(m[1]) : 0;
  if (!m || n < 1) throw new CliError(`--every: "${value}" is not an interval (a whole number and s, m, h or d, e.g. 15m)`, ExitCode.usage);
  return n * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export function scheduleSpec(opts: { every?: string; cron?: string }): ScheduleSpec {
  if (Boolean(opts.every) === Boolean(opts.cron)) throw new CliError('give exactly one of --every or --cron', ExitCode.usage);
  if (opts.every) return { intervals: [{ every: parseEvery(opts.every) }] };
  const fields = opts.cron!.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 7) throw new CliError(`--cron: "${opts.cron}" is not a cron expression (5 fields: minute hour day-of-month month day-of-week)`, ExitCode.usage);
  return { cronExpressions: [opts.cron!.trim()] };
}

interface CreateFlags extends CollectFlags {
  every?: string;
  cron?: string;
  overlap: OverlapChoice;
  paused?: boolean;
  json?: boolean;
}

async function withClient<T>(flags: TemporalFlags, fn: (client: Client) => Promise<T>): Promise<T> {
  const conn = await connectClient(flags);
  try {
    return await fn(conn.client);
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new CliError(`no such collection schedule: ${err.scheduleId.slice(SCHEDULE_PREFIX.length)}`, ExitCode.notFound);
    throw err;
  } finally {
    await conn.close();
  }
}

export function registerCollectSchedule(collect: Command): void {
  const schedule = collect.command('schedule').description('recurring collections on Temporal Schedules: create, list, pause, unpause, trigger, delete');

  addCollectOptions(
    schedule
      .command('create <name>')
      .description('create a schedule that runs a collection every interval or on a cron expression')
      .option('--every <interval>', 'run every interval: 30s, 15m, 1h, 1d')
      .option('--cron <expr>', "run on a cron expression (UTC), e.g. '*/15 * * * *'")
      .addOption(new Option('--overlap <policy>', 'when a run is still going at the next fire time').choices([...OVERLAP_CHOICES]).default('skip'))
      .option('--paused', 'create it paused')
      .option('--json', 'print {scheduleId} as JSON'),
  )
    .addHelpText(
      'after',
      `
The device list is resolved from the inventory NOW, at create time, and
stored in the schedule (credentials as references, never secrets): later
inventory edits do not change it; delete and create the schedule again.
Each run's id is <name>-<fire time>, e.g. nightly-2026-11-23T040000Z.
Overlap: skip (default) drops a fire while a run is still going; buffer-one
queues one; buffer-all queues all; cancel-other/terminate-other stop the
running one; allow-all runs them side by side.

Examples:
  $ netops collect schedule create health-15m --inventory inventory.yaml --every 15m
  $ netops collect schedule create nightly --inventory inventory.yaml --site ams1 \\
      --cron '0 3 * * *' --overlap buffer-one`,
    )
    .action(async (name: string, opts: CreateFlags) => {
      checkName(name, 'schedule name');
      const spec = scheduleSpec(opts);
      const input: CollectInput = await collectInputFromFlags(name, opts, `schedule-${name}`);
      await withClient(opts, async (client) => {
        const scheduleId = `${SCHEDULE_PREFIX}${name}`;
        await client.schedule
          .create({
            scheduleId,
            spec,
            action: { type: 'startWorkflow', workflowType: WORKFLOW_TYPES.collect, workflowId: collectWorkflowId(name), taskQueue: opts.taskQueue, args: [input] },
            policies: { overlap: overlapPolicy(opts.overlap) },
            state: { paused: Boolean(opts.paused), ...(opts.paused ? { note: 'created paused' } : {}) },
            memo: { netops: 'collect', when: opts.every ? `every ${opts.every}` : `cron '${opts.cron}'`, devices: input.devices?.length ?? input.deviceSet?.count ?? 0, inventory: opts.inventory },
          })
          .catch((err: Error) => {
            if (err.name === 'ScheduleAlreadyRunning') throw new CliError(`a collection schedule named ${name} already exists; delete it first or pick another name`, ExitCode.usage);
            throw err;
          });
        const devices = input.devices?.length ?? input.deviceSet?.count ?? 0;
        process.stdout.write(opts.json ? `${JSON.stringify({ scheduleId, name, devices })}\n` : `created schedule ${name} (${scheduleId}): ${devices} devices, ${opts.every ? `every ${opts.every}` : `cron '${opts.cron}'`}, overlap ${opts.overlap}${opts.paused ? ', paused' : ''}\n`);
      });
    });

  addTemporalOptions(schedule.command('list').description('list collection schedules').option('--json', 'print them as JSON'))
    .addHelpText('after', '\nExample:\n  $ netops collect schedule list --json')
    .action(async (opts: TemporalFlags & { json?: boolean }) =>
      withClient(opts, async (client) => {
        const rows: { name: string; scheduleId: string; paused: boolean; spec: string; nextRun?: string; recentRuns: number; note?: string }[] = [];
        for await (const s of client.schedule.list()) {
          if (!s.scheduleId.startsWith(SCHEDULE_PREFIX)) continue;
          const when = (s.memo as { when?: unknown } | undefined)?.when;
          const spec = typeof when === 'string' ? when : s.spec?.intervals?.length ? s.spec.intervals.map((i) => `every ${formatMs(Number(i.every))}`).join(', ') : s.spec?.calendars?.length ? 'calendar' : '-';
          rows.push({
            name: s.scheduleId.slice(SCHEDULE_PREFIX.length),
            scheduleId: s.scheduleId,
            paused: s.state.paused,
            spec,
            ...(s.info.nextActionTimes[0] ? { nextRun: s.info.nextActionTimes[0].toISOString() } : {}),
            recentRuns: s.info.recentActions.length,
            ...(s.state.note ? { note: s.state.note } : {}),
          });
        }
        rows.sort((a, b) => a.name.localeCompare(b.name));
        if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write('no collection schedules\n');
        else process.stdout.write(renderTable(['NAME', 'STATE', 'WHEN', 'NEXT RUN', 'RECENT RUNS'], rows.map((r) => [r.name, r.paused ? 'paused' : 'active', r.spec, r.nextRun ?? '-', String(r.recentRuns)])));
      }),
    );

  const control = (verb: 'pause' | 'unpause' | 'trigger' | 'delete', description: string, example: string) =>
    addTemporalOptions(schedule.command(`${verb} <name>`).description(description).option('--note <text>', 'why (pause/unpause), shown by the Web UI'))
      .addHelpText('after', `\nExample:\n  $ netops collect schedule ${example}`)
      .action(async (name: string, opts: TemporalFlags & { note?: string }) =>
        withClient(opts, async (client) => {
          const handle = client.schedule.getHandle(`${SCHEDULE_PREFIX}${name}`);
          if (verb === 'pause') await handle.pause(opts.note ?? 'paused from netops');
          else if (verb === 'unpause') await handle.unpause(opts.note ?? 'unpaused from netops');
          else if (verb === 'trigger') await handle.trigger();
          else await handle.delete();
          const done = { pause: 'paused', unpause: 'unpaused', trigger: 'triggered a run of', delete: 'deleted' }[verb];
          process.stdout.write(`${done} schedule ${name}\n`);
        }),
      );
  control('pause', 'pause a collection schedule (runs under way go on)', 'pause nightly --note "change freeze"');
  control('unpause', 'resume a paused collection schedule', 'unpause nightly');
  control('trigger', 'run a scheduled collection now, whatever its timetable (the overlap policy still applies)', 'trigger nightly');
  control('delete', 'delete a collection schedule (past results stay in the store)', 'delete nightly');
}

function formatMs(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
