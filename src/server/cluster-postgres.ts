import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startReaper } from './process-reaper';
import { waitForPort } from './cluster-ports';

/**
 * A PostgreSQL server of our own for the local cluster: Debian's binaries,
 * a data directory under the cluster's, a free loopback port, no Unix socket
 * (so it never meets the system's server), password authentication for the
 * `temporal` role as in the compose deployment. As root it runs as the
 * `postgres` user: PostgreSQL refuses to run as root.
 */

export class PostgresUnavailable extends Error {}

export interface PostgresHandle {
  pid: number;
  port: number;
  dataDir: string;
}

/** The newest installed /usr/lib/postgresql/<ver>/bin, or an error that says how to get one. */
export function postgresBinDir(root = '/usr/lib/postgresql'): string {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (!newest) throw new PostgresUnavailable(`PostgreSQL is not installed (no ${root}/<version>/bin/initdb): install Debian's package with \`apt-get install postgresql\` (as root)`);
  return join(root, newest, 'bin');
}

/** The account PostgreSQL runs as: ourselves, or `postgres` when we are root. */
export function postgresAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new PostgresUnavailable('running as root, but there is no `postgres` user to run PostgreSQL as (PostgreSQL refuses root): install Debian\'s postgresql package, which creates it');
  }
}

/** initdb once: a fresh data directory whose superuser is `user` with `password`. */
export function initDatabase(binDir: string, dataDir: string, user: string, password: string, log: (line: string) => void): void {
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`PostgreSQL data directory ${dataDir} exists: keeping it`);
    return;
  }
  const account = postgresAccount();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwFile = join(dirname(dataDir), '.initdb-password');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (account) {
    chownSync(dataDir, account.uid, account.gid);
    chownSync(pwFile, account.uid, account.gid);
  }
  chmodSync(dataDir, 0o700);
  log(`initialising PostgreSQL in ${dataDir} (initdb${account ? ', as user postgres' : ''})`);
  try {
    execFileSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', user, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(account ?? {}),
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? (err as Error).message;
    throw new PostgresUnavailable(`initdb failed for ${dataDir}: ${stderr}${account ? ' (the postgres user must be able to reach this directory: every parent needs o+x)' : ''}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/** Starts the postmaster on 127.0.0.1:port and waits until it accepts connections. */
export async function startPostgres(
  binDir: string,
  dataDir: string,
  port: number,
  logFile: string,
  opts: { tieTo?: number; log: (line: string) => void },
): Promise<PostgresHandle> {
  const account = postgresAccount();
  const out = openSync(logFile, 'a');
  if (account) chownSync(logFile, account.uid, account.gid);
  opts.log(`starting PostgreSQL on 127.0.0.1:${port} (log ${logFile})`);
  const child = spawn(join(binDir, 'postgres'), ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'], {
    detached: true,
    stdio: ['ignore', out, out],
    ...(account ?? {}),
  });
  child.unref();
  if (!child.pid) throw new PostgresUnavailable(`PostgreSQL did not start from ${binDir}`);
  if (opts.tieTo) startReaper(opts.tieTo, child.pid);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const died = () => (exited !== undefined ? `PostgreSQL exited with code ${exited}; see ${logFile}` : undefined);
  await waitForPort(port, 30_000, died);
  await waitUntilAccepting(binDir, port, died);
  return { pid: child.pid, port, dataDir };
}

/** The port opens before recovery ends; pg_isready says when sessions are accepted. */
async function waitUntilAccepting(binDir: string, port: number, died: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const reason = died();
    if (reason) throw new PostgresUnavailable(reason);
    try {
      execFileSync(join(binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      return;
    } catch {
      if (Date.now() > deadline) throw new PostgresUnavailable(`PostgreSQL on 127.0.0.1:${port} did not accept connections within 30 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
