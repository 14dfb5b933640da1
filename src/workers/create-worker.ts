import { join, resolve } from 'node:path';
import { NativeConnection, Runtime, Worker, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { firstWritableDir, userDir } from '../results/writable-dir';
import { PLAIN_DATA_CONVERTER } from '../codec/data-converter';
import { TASK_QUEUE } from '../contracts/names';
import { cachedWorkflowBundle } from './workflow-bundle-cache';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  activities: object;
  /** A pre-built bundle (tests build one per run); otherwise the cached bundle of src/workflows. */
  workflowBundle?: { codePath: string };
  maxConcurrentActivityTaskExecutions?: number;
  extra?: Partial<WorkerOptions>;
}

/** The TypeScript entry of the workflow bundle; Temporal's bundler compiles it. */
export function workflowsEntry(): string {
  return join(__dirname, '..', 'workflows', 'index.ts');
}

/**
 * The bundle of this source tree, kept under NETOPS_BUNDLE_CACHE (default
 * `.data/cache/workflow-bundles` in the project, or the user's cache
 * directory when the project cannot be written); `NETOPS_BUNDLE_CACHE=off`
 * bundles at every start as Temporal does by default.
 */
export async function workflowBundleForThisTree(env: NodeJS.ProcessEnv = process.env): Promise<WorkflowBundleOption | undefined> {
  const setting = env['NETOPS_BUNDLE_CACHE'];
  if (setting === 'off') return undefined;
  const root = resolve(__dirname, '..', '..');
  // The bundler's webpack report goes through the process's logger: one JSON object per line in a container, never plain text.
  const cached = await cachedWorkflowBundle({ root, dir: setting || defaultBundleCacheDir(root, env), workflowsPath: workflowsEntry(), logger: Runtime.instance().logger });
  return 'codePath' in cached ? { codePath: cached.codePath } : { code: cached.code };
}

/** `.data/cache/workflow-bundles` in the project where it may be written, else ($XDG_CACHE_HOME or ~/.cache)/netops/workflow-bundles. */
export function defaultBundleCacheDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const user = userDir('cache', env);
  return firstWritableDir([join(root, '.data', 'cache', 'workflow-bundles'), user && join(user, 'netops', 'workflow-bundles')]);
}

/** One place that knows how a netops worker is put together. */
export async function createNetopsWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const bundle = opts.workflowBundle ?? (await workflowBundleForThisTree());
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    activities: opts.activities,
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: workflowsEntry() }),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 200,
    // Large payloads (the device list of a big rollout) are compressed; callers may add encryption.
    dataConverter: PLAIN_DATA_CONVERTER,
    ...opts.extra,
  });
}
