import type { Command } from 'commander';
import { NativeConnection } from '@temporalio/worker';
import { buildActivities } from '../../workers/activities';
import { createNetopsWorker } from '../../workers/create-worker';
import { TASK_QUEUE } from '../../workflows/constants';
import { CliError, ExitCode } from '../cli-error';
import { parsePositiveInt } from '../parse-options';
import { untilInterrupted } from '../process-signals';
import { addTemporalOptions, resolveTemporalTarget, type TemporalFlags } from '../temporal-connection';

interface WorkerOptions extends TemporalFlags {
  taskQueue: string;
  maxActivities: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('worker')
    .description('Run a netops worker: executes workflows and the device I/O activities until Ctrl-C')
    .option('--task-queue <name>', 'task queue to poll', TASK_QUEUE)
    .option('--max-activities <n>', 'activities run at once by this worker', '200');
  addTemporalOptions(cmd)
    .addHelpText(
      'after',
      `
Run as many workers as you like on one task queue; Temporal spreads the work.
Ctrl-C lets running activities finish before it exits (a second Ctrl-C does not wait).

Example:
  $ npx netops worker --address 127.0.0.1:7233
  $ TEMPORAL_PROFILE=cloud npx netops worker`,
    )
    .action(async (opts: WorkerOptions) => {
      const maxActivities = parsePositiveInt(opts.maxActivities, '--max-activities', { max: 10_000 });
      const target = resolveTemporalTarget(opts);
      let connection: NativeConnection;
      try {
        connection = await NativeConnection.connect(target.connectionOptions as Parameters<typeof NativeConnection.connect>[0]);
      } catch (err) {
        throw new CliError(`cannot reach Temporal at ${target.address} (${(err as Error).message.split('\n')[0]})`, ExitCode.unavailable);
      }
      const worker = await createNetopsWorker({
        connection,
        namespace: target.namespace,
        taskQueue: opts.taskQueue,
        activities: buildActivities(),
        maxConcurrentActivityTaskExecutions: maxActivities,
      });
      process.stderr.write(`worker polling task queue "${opts.taskQueue}" on ${target.address} (namespace ${target.namespace})\n`);
      const running = worker.run();
      void untilInterrupted().then(() => {
        process.stderr.write('worker shutting down...\n');
        worker.shutdown();
      });
      await running;
      await connection.close();
    });
}
