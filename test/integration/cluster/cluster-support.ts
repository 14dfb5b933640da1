import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NETOPS_BIN, ROOT } from '../../support/cli-process';

/**
 * Why the cluster test cannot run here, or undefined when it can: it starts
 * PostgreSQL as the `postgres` user and a worker as `nobody`, which needs
 * root, and Debian's PostgreSQL (scripts/ensure-test-packages.sh installs it
 * in CI). The Temporal server itself is built by the test when missing.
 */
export function clusterSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (PostgreSQL runs as the postgres user, a worker as nobody)';
  const pg = '/usr/lib/postgresql';
  if (!existsSync(pg) || !readdirSync(pg).some((v) => existsSync(join(pg, v, 'bin', 'initdb')))) return 'PostgreSQL is not installed (apt-get install postgresql)';
  return undefined;
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | null>;
}

/** `netops worker` as its own process, optionally as another user, in the checkout (the application directory). */
export function startWorkerProcess(args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): WorkerProcess {
  const child = spawn(process.execPath, [NETOPS_BIN, 'worker', ...args], {
    cwd: ROOT,
    env: { ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
  return {
    child,
    output: () => out,
    async waitFor(pattern, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}) before printing ${pattern}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`the worker did not print ${pattern} within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The environment a worker needs and nothing of the test runner's: what an operator would set. */
export function workerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NO_COLOR: '1',
    NETOPS_LOG_FORMAT: 'json',
    ...(process.env.NETOPS_TEST_SERVER ? { NETOPS_TEST_SERVER: process.env.NETOPS_TEST_SERVER } : {}),
    ...extra,
  };
}
