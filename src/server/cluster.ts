import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canBind, freeLowPort, isListening, waitForPort } from './cluster-ports';
import { initDatabase, postgresBinDir, startPostgres } from './cluster-postgres';
import { startReaper } from './process-reaper';
import { projectRoot, resolveTemporalCli } from './temporal-cli';

/**
 * A production-shaped Temporal cluster on this machine, for tests and for
 * users who want to try production locally: the server built from its Go
 * module (scripts/cluster/build-temporal-server.sh), PostgreSQL from Debian,
 * the schema set up by deploy/temporal/setup-postgres.sh, the four services as
 * separate processes, the namespace and search attributes created and
 * verified by deploy/temporal/create-namespace.sh. The same scripts the
 * compose deployment runs, so running this proves them.
 *
 * Everything lives under one directory (default .data/cluster): the state file
 * that `down` and `status` read, the PostgreSQL data, one log per process.
 */

/** Start order. History first, alone: four services started at once on an empty database race to insert the cluster metadata record, and the losers exit. */
export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

export interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
}

export interface ClusterState {
  dir: string;
  serverVersion: string;
  /** Frontend gRPC address, what clients and workers dial. */
  address: string;
  namespace: string;
  historyShards: number;
  binDir: string;
  frontendHttpPort: number;
  postgres: { pid: number; port: number; dataDir: string };
  services: Record<ClusterService, { pid?: number; ports: ServicePorts }>;
}

export interface ClusterOptions {
  /** Where state, data and logs live; default .data/cluster in the project. */
  dir?: string;
  namespace?: string;
  /** History shards, fixed for the life of the database (default 4). */
  historyShards?: number;
  /** Progress lines, one per step. */
  log?: (line: string) => void;
  /** Kill every process started here when this pid dies (tests). */
  tieTo?: number;
}

export class ClusterError extends Error {}

/** The port that answers once a service is up: its gRPC port, except the worker service, which serves none (it runs system workflows) and answers on its membership port. */
export function readinessPort(state: ClusterState, name: ClusterService): number {
  const ports = state.services[name].ports;
  return name === 'worker' ? ports.membership : ports.grpc;
}

const STATE_FILE = 'cluster.json';
const SERVICE_READY_MS = 120_000;

export function defaultClusterDir(): string {
  return join(projectRoot(), '.data', 'cluster');
}

export function readClusterState(dir = defaultClusterDir()): ClusterState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
}

function writeState(state: ClusterState): void {
  writeFileSync(join(state.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** The Temporal server version docker-compose.yml pins, which the build script builds. */
export function pinnedServerVersion(root = projectRoot()): string {
  const m = /TEMPORAL_VERSION:-([0-9.]+)\}/.exec(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
  if (!m?.[1]) throw new ClusterError('docker-compose.yml pins no Temporal server version (TEMPORAL_VERSION default)');
  return m[1];
}

/**
 * Builds (once, cached in .tools/) the server and SQL tool; returns their
 * directory. The script's progress lines reach `log`; a build already running
 * elsewhere (the test set-up starts one early) is waited for, not repeated.
 */
export function ensureServerBinaries(log: (line: string) => void): Promise<string> {
  const script = join(projectRoot(), 'scripts', 'cluster', 'build-temporal-server.sh');
  log('Temporal server binaries: building from the Go module unless cached in .tools/');
  return new Promise((resolveBin, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d: Buffer) => {
      err += d;
      for (const line of d.toString().split('\n')) if (line.startsWith('==') || line.startsWith('error')) log(line);
    });
    child.once('error', (e) => reject(new ClusterError(`cannot run ${script}: ${e.message}`)));
    child.once('close', (code) => {
      const bin = out.trim().split('\n').pop();
      if (code === 0 && bin) resolveBin(bin);
      else reject(new ClusterError(`building the Temporal server failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' / ')}; run ${script} to see the whole output`));
    });
  });
}

/**
 * Brings the whole cluster up, step by step, saying each; a cluster already
 * running from `dir` is left as it is. Anything it started is stopped again
 * when a step fails.
 */
export async function clusterUp(opts: ClusterOptions = {}): Promise<ClusterState> {
  const log = opts.log ?? (() => undefined);
  const dir = opts.dir ?? defaultClusterDir();
  const running = readClusterState(dir);
  if (running && describeCluster(running).every((p) => p.running)) {
    log(`cluster in ${dir} is already running at ${running.address}`);
    return running;
  }
  if (running && describeCluster(running).some((p) => p.running)) {
    log(`cluster in ${dir} is partly running: stopping what is left before starting again`);
    await clusterDown(dir, log);
  }
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const binDir = await ensureServerBinaries(log);
  const pgBin = postgresBinDir();
  const password = databasePassword(dir);

  const dataDir = join(dir, 'pgdata');
  initDatabase(pgBin, dataDir, 'temporal', password, log);
  // The ports of the last run where still free: the address stays the same
  // across down/up, and no stale membership row points at a port now unused.
  const taken = new Set<number>();
  const low = async (previous?: number) => {
    const port = previous !== undefined && !taken.has(previous) && (await canBind(previous)) ? previous : await freeLowPort(taken);
    taken.add(port);
    return port;
  };
  const pgPort = await low(running?.postgres.port);
  const pg = await startPostgres(pgBin, dataDir, pgPort, join(dir, 'logs', 'postgres.log'), { log, ...(opts.tieTo ? { tieTo: opts.tieTo } : {}) });
  const services = {} as ClusterState['services'];
  for (const name of CLUSTER_SERVICES) {
    const was = running?.services[name].ports;
    services[name] = { ports: { grpc: await low(was?.grpc), membership: await low(was?.membership), metrics: await low(was?.metrics) } };
  }
  const state: ClusterState = {
    dir,
    serverVersion: pinnedServerVersion(),
    address: `127.0.0.1:${services.frontend.ports.grpc}`,
    namespace: opts.namespace ?? 'default',
    historyShards: opts.historyShards ?? 4,
    binDir,
    frontendHttpPort: await low(running?.frontendHttpPort),
    postgres: { pid: pg.pid, port: pg.port, dataDir },
    services,
  };
  writeState(state);
  try {
    setUpSchema(state, log);
    for (const name of CLUSTER_SERVICES) await startClusterService(state, name, { log, ...(opts.tieTo ? { tieTo: opts.tieTo } : {}) });
    createNamespace(state, log);
  } catch (err) {
    log(`cluster start failed: ${(err as Error).message}; stopping what was started`);
    await clusterDown(dir, log);
    throw err instanceof ClusterError ? err : new ClusterError((err as Error).message);
  }
  log(`cluster ready: frontend ${state.address}, namespace ${state.namespace}, ${state.historyShards} history shards, PostgreSQL 127.0.0.1:${pg.port}`);
  return state;
}

function databasePassword(dir: string): string {
  const file = join(dir, 'postgres_password');
  if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function setUpSchema(state: ClusterState, log: (line: string) => void): void {
  log('setting up the temporal and temporal_visibility schemas (deploy/temporal/setup-postgres.sh)');
  runScript('setup-postgres.sh', log, {
    SQL_PASSWORD_FILE: join(state.dir, 'postgres_password'),
    TEMPORAL_SQL_TOOL: join(state.binDir, 'temporal-sql-tool'),
    SCHEMA_DIR: join(state.binDir, '..', 'schema', 'postgresql', 'v12'),
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(state.postgres.port),
    POSTGRES_USER: 'temporal',
  });
}

/** Registers the namespace and the search attributes and verifies them (deploy/temporal/create-namespace.sh). */
export function createNamespace(state: ClusterState, log: (line: string) => void): void {
  log(`creating namespace ${state.namespace} and the netops search attributes (deploy/temporal/create-namespace.sh)`);
  runScript('create-namespace.sh', log, {
    TEMPORAL_CLI: resolveTemporalCli({ log }).path,
    TEMPORAL_ADDRESS: state.address,
    TEMPORAL_NAMESPACE: state.namespace,
  });
}

function runScript(name: string, log: (line: string) => void, env: Record<string, string>): void {
  const script = join(projectRoot(), 'deploy', 'temporal', name);
  try {
    const out = execFileSync('sh', [script], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const line of out.trim().split('\n')) if (line) log(`  ${line}`);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    for (const line of (e.stdout ?? '').trim().split('\n')) if (line) log(`  ${line}`);
    throw new ClusterError(`${name} failed: ${(e.stderr ?? (err as Error).message).trim()}`);
  }
}

/** The environment the config template (deploy/temporal/cluster-config/cluster.yaml) reads: the compose variable names. */
function serviceEnv(state: ClusterState, name: ClusterService): NodeJS.ProcessEnv {
  const s = state.services;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.NETOPS_TEST_SERVER ? { NETOPS_TEST_SERVER: process.env.NETOPS_TEST_SERVER } : {}),
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(state.postgres.port),
    POSTGRES_USER: 'temporal',
    POSTGRES_PWD: readFileSync(join(state.dir, 'postgres_password'), 'utf8').trim(),
    NUM_HISTORY_SHARDS: String(state.historyShards),
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: join(projectRoot(), 'deploy', 'temporal', 'dynamicconfig', 'production-sql.yaml'),
    PROMETHEUS_ENDPOINT: `127.0.0.1:${s[name].ports.metrics}`,
    FRONTEND_GRPC_PORT: String(s.frontend.ports.grpc),
    FRONTEND_HTTP_PORT: String(state.frontendHttpPort),
    FRONTEND_MEMBERSHIP_PORT: String(s.frontend.ports.membership),
    HISTORY_GRPC_PORT: String(s.history.ports.grpc),
    HISTORY_MEMBERSHIP_PORT: String(s.history.ports.membership),
    MATCHING_GRPC_PORT: String(s.matching.ports.grpc),
    MATCHING_MEMBERSHIP_PORT: String(s.matching.ports.membership),
    WORKER_GRPC_PORT: String(s.worker.ports.grpc),
    WORKER_MEMBERSHIP_PORT: String(s.worker.ports.membership),
  };
}

/**
 * Starts one service as its own process (its log in logs/<service>.log) and
 * waits until its gRPC port answers; used by `up` and to restart a service
 * that was killed. `--allow-no-auth`: the cluster has no authorizer (loopback
 * only), and without the flag the server warns that future versions refuse.
 */
export async function startClusterService(state: ClusterState, name: ClusterService, opts: { log?: (line: string) => void; tieTo?: number } = {}): Promise<number> {
  const logFile = join(state.dir, 'logs', `${name}.log`);
  const ports = state.services[name].ports;
  opts.log?.(`starting the ${name} service (${name === 'worker' ? '' : `gRPC 127.0.0.1:${ports.grpc}, `}membership ${ports.membership}, log ${logFile})`);
  const out = openSync(logFile, 'a');
  const args = ['--root', join(projectRoot(), 'deploy', 'temporal'), '--config', 'cluster-config', '--env', 'cluster', '--allow-no-auth', 'start', '--service', name];
  const child = spawn(join(state.binDir, 'temporal-server'), args, { detached: true, stdio: ['ignore', out, out], env: serviceEnv(state, name) });
  child.unref();
  if (!child.pid) throw new ClusterError(`the ${name} service did not start (${join(state.binDir, 'temporal-server')})`);
  if (opts.tieTo) startReaper(opts.tieTo, child.pid);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  state.services[name].pid = child.pid;
  writeState(state);
  try {
    await waitForPort(readinessPort(state, name), SERVICE_READY_MS, () => (exited ? `the ${name} service ${exited} before it listened` : undefined));
  } catch (err) {
    throw new ClusterError(`${(err as Error).message} (service ${name}); its last log lines:\n${tail(logFile, 8)}`);
  }
  return child.pid;
}

/** Sends `signal` to a service started from this state (SIGKILL for crash tests) and waits until it is gone. */
export async function stopClusterService(state: ClusterState, name: ClusterService, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const pid = state.services[name].pid;
  if (pid === undefined || !isOurProcess(pid, join(state.binDir, 'temporal-server'))) return;
  await terminate(pid, signal);
}

async function terminate(pid: number, signal: NodeJS.Signals, graceMs = 20_000): Promise<void> {
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  send(signal);
  const deadline = Date.now() + graceMs;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      send('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      if (Date.now() > deadline + 5000) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops every service (the last started first) and PostgreSQL; the data stays for the next `up`. */
export async function clusterDown(dir = defaultClusterDir(), log: (line: string) => void = () => undefined): Promise<boolean> {
  const state = readClusterState(dir);
  if (!state) {
    log(`no cluster state in ${dir}: nothing to stop`);
    return false;
  }
  for (const name of [...CLUSTER_SERVICES].reverse()) {
    const pid = state.services[name].pid;
    if (pid !== undefined && isOurProcess(pid, join(state.binDir, 'temporal-server'))) {
      log(`stopping the ${name} service (pid ${pid})`);
      await terminate(pid, 'SIGTERM');
    }
    delete state.services[name].pid;
  }
  if (isOurProcess(state.postgres.pid, state.postgres.dataDir)) {
    log(`stopping PostgreSQL (pid ${state.postgres.pid})`);
    // SIGINT is PostgreSQL's fast shutdown: sessions end, data is flushed.
    await terminate(state.postgres.pid, 'SIGINT', 30_000);
  }
  writeState(state);
  log('cluster stopped (data kept in ' + state.postgres.dataDir + ')');
  return true;
}

export interface ClusterProcessStatus {
  name: 'postgres' | ClusterService;
  pid?: number;
  port: number;
  running: boolean;
}

/** What runs, from the state file and the process table (ports are checked by `clusterStatus`). */
export function describeCluster(state: ClusterState): ClusterProcessStatus[] {
  const server = join(state.binDir, 'temporal-server');
  return [
    { name: 'postgres', pid: state.postgres.pid, port: state.postgres.port, running: isOurProcess(state.postgres.pid, state.postgres.dataDir) },
    ...CLUSTER_SERVICES.map((name) => {
      const pid = state.services[name].pid;
      return { name, ...(pid !== undefined ? { pid } : {}), port: readinessPort(state, name), running: pid !== undefined && isOurProcess(pid, server) };
    }),
  ];
}

/** describeCluster plus whether each port answers. */
export async function clusterStatus(state: ClusterState): Promise<Array<ClusterProcessStatus & { listening: boolean }>> {
  return Promise.all(describeCluster(state).map(async (p) => ({ ...p, listening: await isListening(p.port) })));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid is alive and its command line names `marker` (not a recycled pid of someone else's). */
function isOurProcess(pid: number, marker: string): boolean {
  if (!alive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg.includes(marker));
  } catch {
    return false;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
