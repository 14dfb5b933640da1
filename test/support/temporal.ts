import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { PLAIN_DATA_CONVERTER } from '../../src/codec/data-converter';
import { createNetopsWorker } from '../../src/workers/create-worker';

let runtimeInstalled = false;

/** Keeps the SDK's own logs out of test output unless they matter. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* already installed by another helper in this fork */
  }
}

export interface TemporalTestEnv {
  address: string;
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  /** A task queue of this test file's own, so files never steal each other's tasks. */
  taskQueue: string;
  startWorker(activities: object, opts?: { taskQueue?: string }): Promise<RunningWorker>;
  close(): Promise<void>;
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** Connects to the suite's shared dev server (started by the global setup). */
export async function connectTestEnv(): Promise<TemporalTestEnv> {
  installQuietRuntime();
  const address = inject('temporalAddress');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace: 'default', dataConverter: PLAIN_DATA_CONVERTER });
  const taskQueue = `test-${randomUUID()}`;
  const running: RunningWorker[] = [];
  return {
    address,
    client,
    connection,
    nativeConnection,
    taskQueue,
    async startWorker(activities, opts = {}) {
      const worker = await createNetopsWorker({
        connection: nativeConnection,
        taskQueue: opts.taskQueue ?? taskQueue,
        activities,
        workflowBundle: { codePath: inject('workflowBundlePath') },
      });
      const done = worker.run();
      const handle: RunningWorker = {
        worker,
        async stop() {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await done;
        },
      };
      running.push(handle);
      return handle;
    },
    async close() {
      await Promise.all(running.map((w) => w.stop().catch(() => undefined)));
      await nativeConnection.close();
      await connection.close();
    },
  };
}
