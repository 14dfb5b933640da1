import type { Command } from 'commander';
import { InvalidResultKey, diffRuns, openResultStore, type CollectedDevice, type ResultStore } from '../../results';
import { collectWorkflowId, type CollectResult } from '../../contracts/collect';
import { WORKFLOW_TYPES } from '../../contracts/names';
import { CliError, ExitCode } from '../shared/cli-error';
import { innermostReason } from '../../client/start-failure';
import { getOrCreateGroup } from '../shared/command-groups';
import { connectClient } from '../shared/temporal-connection';
import { addCollectOptions, checkName, collectInputFromFlags, runStamp, storeRefFromFlags, type CollectFlags } from './input';
import { renderDiff, renderResult, renderRunTable } from './render';
import { registerCollectSchedule } from './schedule';

export const COLLECT_GROUP = 'collect operational data from many devices, once or on a schedule';

interface RunFlags extends CollectFlags {
  name?: string;
  wait?: boolean;
  json?: boolean;
}

interface StoreFlags {
  resultsDir?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const collect = getOrCreateGroup(program, 'collect', COLLECT_GROUP);

  addCollectOptions(
    collect
      .command('run')
      .description('collect from the selected devices now (one workflow, batches of devices per activity)')
      .option('--name <name>', 'run name; the workflow id is collect/<name> and the run id <name> (default: run-<time>)')
      .option('--wait', 'wait for the collection to finish and print its summary (exit 1 if any device could not be collected)')
      .option('--json', 'print {runId, workflowId} (with --wait: the result) as JSON'),
  )
    .addHelpText(
      'after',
      `
Results go to the result store (default .data/results on the workers); read
them with \`collect show <run>\` and compare runs with \`collect diff\`.
Unreachable devices and refused logins are recorded per device; the run goes on.
With --wait the exit code is 0 when every device was collected, 1 when any
could not be (see its error with \`collect show <run>\`).

Examples:
  $ netops collect run --inventory inventory.yaml --site ams1 --wait
  $ netops collect run --inventory inventory.yaml --command 'show version' \\
      --command 'show standby brief|show hsrp brief|show vrrp' --command 'show ip bgp summary' --name pre-change`,
    )
    .action(async (opts: RunFlags) => {
      const name = checkName(opts.name ?? `run-${runStamp()}`, '--name');
      const input = await collectInputFromFlags(name, opts, `run-${name}`);
      const conn = await connectClient(opts);
      try {
        const workflowId = collectWorkflowId(name);
        const handle = await conn.client.workflow
          .start(WORKFLOW_TYPES.collect, { taskQueue: opts.taskQueue, workflowId, args: [input] })
          .catch((err: Error) => {
            if (err.name === 'WorkflowExecutionAlreadyStartedError') throw new CliError(`a collection named ${name} already ran or is running; pick another --name`, ExitCode.usage);
            throw err;
          });
        const devices = input.devices?.length ?? input.deviceSet?.count ?? 0;
        if (!opts.wait) {
          process.stdout.write(opts.json ? `${JSON.stringify({ runId: name, workflowId })}\n` : `started collection ${name} on ${devices} devices (workflow ${workflowId})\n`);
          return;
        }
        process.stderr.write(`collecting from ${devices} devices (workflow ${workflowId})...\n`);
        const result = (await handle.result().catch((err: unknown) => {
          throw new CliError(`collection ${name} failed: ${innermostReason(err)}`, ExitCode.failed);
        })) as CollectResult;
        process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : renderResult(result));
        // Scripts ask "was everything collected?": any device that could not be is a failed run (its error is in the store).
        if (result.summary.failed > 0) process.exitCode = ExitCode.failed;
      } finally {
        await conn.close();
      }
    });

  collect
    .command('show <run>')
    .description("print one line per device of a run: reachable, version, redundancy state, BGP neighbours up, errors ('latest' for the newest run)")
    .option('--results-dir <dir>', 'result store root (env NETOPS_RESULTS_DIR; default .data/results)')
    .option('--json', 'print the run and its index rows as JSON')
    .addHelpText('after', '\nExamples:\n  $ netops collect show nightly-20261123T040000Z\n  $ netops collect show latest --json')
    .action(async (run: string, opts: StoreFlags) => {
      const store = openResultStore(storeRefFromFlags(opts.resultsDir));
      const runId = await resolveRun(store, run);
      const [meta, rows] = await Promise.all([store.getRun(runId), store.list(runId)]).catch((err: unknown) => {
        if (err instanceof InvalidResultKey) throw new CliError(err.message, ExitCode.usage);
        throw err;
      });
      if (!meta && rows.length === 0) throw new CliError(`no collection run '${runId}' in ${describeStore(opts.resultsDir)}; list runs with \`ls\` of that directory or run \`netops collect run\``, ExitCode.notFound);
      process.stdout.write(opts.json ? `${JSON.stringify({ run: meta ?? { runId }, devices: rows }, null, 2)}\n` : renderRunTable(meta, runId, rows));
    });

  collect
    .command('diff <runA> <runB>')
    .description('show what changed in the network between two runs: versions, redundancy roles, BGP neighbours up/down, reachability')
    .option('--results-dir <dir>', 'result store root (env NETOPS_RESULTS_DIR; default .data/results)')
    .option('--json', 'print the changes as JSON')
    .addHelpText('after', '\nExit code 0 whether or not anything changed.\n\nExample:\n  $ netops collect diff pre-change post-change')
    .action(async (a: string, b: string, opts: StoreFlags) => {
      const store = openResultStore(storeRefFromFlags(opts.resultsDir));
      const [runA, runB] = await Promise.all([resolveRun(store, a), resolveRun(store, b)]);
      // Both load at once, but a problem is reported for the first run named, whichever failed first.
      const loaded = await Promise.allSettled([loadRun(store, runA, opts.resultsDir), loadRun(store, runB, opts.resultsDir)]);
      const [devA, devB] = loaded.map((r) => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      }) as [CollectedDevice[], CollectedDevice[]];
      const diff = diffRuns(runA, devA, runB, devB);
      process.stdout.write(opts.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff));
    });

  registerCollectSchedule(collect);
}

function describeStore(dir: string | undefined): string {
  return dir ?? process.env['NETOPS_RESULTS_DIR'] ?? '.data/results';
}

/** `latest` is the newest run in the store; anything else is a run id as printed by `collect run`. */
async function resolveRun(store: ResultStore, run: string): Promise<string> {
  if (run !== 'latest') return run;
  const newest = (await store.listRuns())[0];
  if (!newest) throw new CliError('the result store has no runs yet; start one with `netops collect run`', ExitCode.notFound);
  return newest.runId;
}

async function loadRun(store: ResultStore, runId: string, dir: string | undefined): Promise<CollectedDevice[]> {
  let rows;
  try {
    rows = await store.list(runId);
  } catch (err) {
    if (err instanceof InvalidResultKey) throw new CliError(err.message, ExitCode.usage);
    throw err;
  }
  if (rows.length === 0) throw new CliError(`no collection run '${runId}' in ${describeStore(dir)}`, ExitCode.notFound);
  const records = await Promise.all(rows.map((r) => store.get(runId, r.device)));
  return records.filter((r): r is CollectedDevice => r !== undefined);
}
