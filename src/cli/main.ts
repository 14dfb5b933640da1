import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from './shared/cli-error';
import { registerCommands } from './commands';

/**
 * Builds the `netops` program with the commands `argv` needs (all of them
 * listed by name for `--help`); exported so tests can drive it in-process.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('netops')
    .description('Durable network automation on Temporal: pair-aware rollouts, config pushes, collection.')
    .version(readVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      writeOut: (s) => process.stdout.write(s),
    });
  await registerCommands(program, argv);
  return program;
}

/** Runs the CLI and resolves to the exit code; never throws for user errors. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander already printed its message (and help for --help/--version).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return ExitCode.ok;
    }
    return ExitCode.usage;
  }
  if (err instanceof CliError) {
    process.stderr.write(`netops: ${err.message}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`netops: ${message}\n`);
  if (process.env.NETOPS_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return ExitCode.failed;
}

function readVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../package.json') as { version: string }).version;
}
