import { resolve } from 'node:path';
import type { Command } from 'commander';
import { clusterDown, clusterStatus, clusterUp, defaultClusterDir, readClusterState } from '../../server/cluster';
import { CliError, ExitCode } from '../shared/cli-error';
import { parsePositiveInt } from '../shared/parse-options';
import { renderTable } from '../shared/text-table';

export const CLUSTER_DESCRIPTION = 'a production-shaped Temporal cluster on this machine: PostgreSQL and four server services as separate processes';

interface DirOptions {
  dir: string;
}

interface UpOptions extends DirOptions {
  namespace: string;
  historyShards: string;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

export function register(program: Command): void {
  const cluster = program.command('cluster').description(CLUSTER_DESCRIPTION);
  const dirOption = ['--dir <path>', 'where the cluster keeps its state, PostgreSQL data and logs', defaultClusterDir()] as const;

  cluster
    .command('up')
    .description('build the Temporal server (once), start PostgreSQL and the history, matching, frontend and worker services, create the namespace and search attributes')
    .option(...dirOption)
    .option('--namespace <name>', 'namespace to create', 'default')
    .option('--history-shards <n>', 'history shards (fixed once the database exists)', '4')
    .addHelpText(
      'after',
      `
The first run builds go.temporal.io/server at the version docker-compose.yml
pins into .tools/ (several minutes; needs Go), later runs start at once. Needs
Debian's postgresql package. Processes keep running after this command
returns; stop them with \`netops cluster down\`. See docs/operations.md.

Example:
  $ npx netops cluster up
  $ TEMPORAL_ADDRESS=$(npx netops cluster status --address) npx netops worker`,
    )
    .action(async (opts: UpOptions) => {
      const historyShards = parsePositiveInt(opts.historyShards, '--history-shards', { max: 16_384 });
      try {
        const state = await clusterUp({ dir: resolve(opts.dir), namespace: opts.namespace, historyShards, log: say });
        say(`next: TEMPORAL_ADDRESS=${state.address} npx netops worker; this cluster has no Web UI, so NETOPS_UI_URL=off keeps the CLI from printing links to one`);
        process.stdout.write(`${state.address}\n`);
      } catch (err) {
        throw new CliError(`the cluster did not come up: ${(err as Error).message}`, ExitCode.unavailable);
      }
    });

  cluster
    .command('down')
    .description('stop every process `cluster up` started (the data is kept for the next `up`)')
    .option(...dirOption)
    .action(async (opts: DirOptions) => {
      const stopped = await clusterDown(resolve(opts.dir), say);
      if (!stopped) throw new CliError(`no cluster in ${resolve(opts.dir)}: nothing to stop`, ExitCode.notFound);
    });

  cluster
    .command('status')
    .description('what runs: each process, its pid and port, and whether the port answers')
    .option(...dirOption)
    .option('--address', 'print only the frontend address (for TEMPORAL_ADDRESS)')
    .action(async (opts: DirOptions & { address?: boolean }) => {
      const state = readClusterState(resolve(opts.dir));
      if (!state) throw new CliError(`no cluster in ${resolve(opts.dir)}; start one with \`netops cluster up\``, ExitCode.notFound);
      const processes = await clusterStatus(state);
      const healthy = processes.every((p) => p.running && p.listening);
      if (opts.address) {
        if (!healthy) throw new CliError(`the cluster in ${state.dir} is not fully running; see \`netops cluster status\``, ExitCode.unavailable);
        process.stdout.write(`${state.address}\n`);
        return;
      }
      process.stdout.write(
        `Temporal ${state.serverVersion} cluster in ${state.dir}: frontend ${state.address}, namespace ${state.namespace}, ${state.historyShards} history shards\n` +
          renderTable(
            ['PROCESS', 'PID', 'PORT', 'STATE'],
            processes.map((p) => [p.name, p.pid === undefined ? '-' : String(p.pid), String(p.port), p.running ? (p.listening ? 'running' : 'running, port not answering') : 'stopped']),
          ),
      );
      if (!healthy) throw new CliError('not every process of the cluster is running', ExitCode.unavailable);
    });
}
