import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startDevServer, type DevServer } from '../../src/server/dev-server';
import { resolveTemporalCli } from '../../src/server/temporal-cli';
import { workflowsEntry } from '../../src/workers/create-worker';

/**
 * One in-memory Temporal dev server for the whole integration suite. Its
 * address and the CLI path reach every test file through `inject()`; the
 * workflow bundle is built once here, not once per file.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalCli: string;
    workflowBundlePath: string;
  }
}

let server: DevServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cli = resolveTemporalCli().path;
  process.env.NETOPS_TEST_SERVER = '1';
  startClusterBuildEarly();
  server = await startDevServer({ cliPath: cli, headless: true });
  // Interrupted runs (Ctrl-C) skip teardown in some paths; the reaper covers
  // SIGKILL, these cover the signals we can still catch.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void server?.stop().finally(() => process.exit(130));
    });
  }
  const outDir = join(__dirname, '..', '..', '.data', 'test');
  mkdirSync(outDir, { recursive: true });
  const codePath = join(outDir, `workflow-bundle-${process.pid}.js`);
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsEntry(), logger: quietLogger() });
    writeFileSync(codePath, bundle.code);
  } catch (err) {
    await server.stop();
    throw err;
  }

  project.provide('temporalAddress', server.address);
  project.provide('temporalCli', cli);
  project.provide('workflowBundlePath', codePath);
  return async () => {
    await server?.stop();
    rmSync(codePath, { force: true });
  };
}

function quietLogger() {
  const noop = () => undefined;
  return { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => process.stderr.write(`${m}\n`), log: noop };
}

/**
 * The cluster test (test/integration/cluster/) needs the Temporal server built
 * from its Go module: minutes on a fresh machine. Started here, at nice 19 in
 * the background, the build overlaps the other test files; the test waits for
 * it (the script takes a lock) and a cached build returns at once.
 */
function startClusterBuildEarly(): void {
  if (process.getuid?.() !== 0) return; // the cluster test needs root and skips otherwise
  const build = spawn('bash', [join(__dirname, '..', '..', 'scripts', 'cluster', 'build-temporal-server.sh')], { detached: true, stdio: 'ignore' });
  build.on('error', () => undefined);
  build.unref();
}
