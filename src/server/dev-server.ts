import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { freePort } from './free-port';
import { resolveTemporalCli } from './temporal-cli';

export interface DevServerOptions {
  /** SQLite file for persistence; omit for an in-memory server (tests). */
  dbFile?: string;
  ip?: string;
  /** gRPC port; 0 or omitted picks a free one. */
  port?: number;
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  /** Explicit CLI path; otherwise resolved (and installed if needed). */
  cliPath?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Dynamic config values (`--dynamic-config-value KEY=JSON`), e.g. { 'matching.numTaskqueueReadPartitions': 1 }. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/**
 * One partition per task queue. A single-process dev server gains nothing
 * from more, and a queue's server-side rate limit is split evenly across its
 * partitions: with the default four, a dashboard organisation's queue
 * (a few tasks per second) dispatches in uneven clumps, each partition at a
 * quarter of the rate. See docs/dashboard.md for production servers.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, number>> = {
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

export interface DevServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  pid: number;
  /** Resolves when the server process has exited (cleanly or not). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with our namespace and search attributes,
 * waits until its frontend answers, and returns a handle that always stops it.
 * The server runs in its own process group and is watched by a reaper, so it
 * dies with us even if we are SIGKILLed.
 */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const namespace = opts.namespace ?? 'default';
  const port = opts.port || (await freePort(ip));
  const cli = opts.cliPath ?? resolveTemporalCli({ log: opts.log }).path;
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace, '--log-level', 'warn'];
  if (opts.headless) {
    args.push('--headless');
  } else {
    args.push('--ui-port', String(opts.uiPort || (await freePort(ip))));
  }
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${sa.cliType}`);
  for (const [key, value] of Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...opts.dynamicConfig })) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const child = spawn(cli, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  startReaper(child);

  const address = `${ip}:${port}`;
  const uiPortIndex = args.indexOf('--ui-port');
  const uiUrl = uiPortIndex >= 0 ? `http://${ip}:${args[uiPortIndex + 1]}` : undefined;
  const handle: DevServer = {
    address,
    uiUrl,
    namespace,
    pid: child.pid ?? -1,
    exited,
    stop: () => stopProcessGroup(child, exited),
  };
  try {
    await waitUntilReady(address, namespace, exited, opts.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await handle.stop();
    const tail = output.join('').trim().split('\n').slice(-10).join('\n');
    throw new Error(`${(err as Error).message}${tail ? `\n${tail}` : ''}`);
  }
  return handle;
}

function startReaper(child: ChildProcess): void {
  if (!child.pid) return;
  const reaper = spawn(process.execPath, [join(__dirname, 'reaper.cjs'), String(process.pid), String(child.pid)], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();
}

async function waitUntilReady(address: string, namespace: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  let exitCode: number | null = null;
  void exited.then((code) => {
    dead = true;
    exitCode = code;
  });
  let lastError = '';
  while (Date.now() < deadline) {
    if (dead) throw new Error(`the Temporal dev server exited with code ${exitCode} before it was ready`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = (err as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the Temporal dev server at ${address} was not ready after ${timeoutMs} ms (${lastError})`);
}

async function stopProcessGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
