import { join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { PLAIN_DATA_CONVERTER } from '../codec/data-converter';
import { TASK_QUEUE } from '../workflows/constants';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  activities: object;
  /** A pre-built bundle (tests build one per run); otherwise bundled from src/workflows. */
  workflowBundle?: { codePath: string };
  maxConcurrentActivityTaskExecutions?: number;
  extra?: Partial<WorkerOptions>;
}

/** The TypeScript entry of the workflow bundle; Temporal's bundler compiles it. */
export function workflowsEntry(): string {
  return join(__dirname, '..', 'workflows', 'index.ts');
}

/** One place that knows how a netops worker is put together. */
export async function createNetopsWorker(opts: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    activities: opts.activities,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: workflowsEntry() }),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 200,
    // Large payloads (the device list of a big rollout) are compressed; callers may add encryption.
    dataConverter: PLAIN_DATA_CONVERTER,
    ...opts.extra,
  });
}
