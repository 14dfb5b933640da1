import { connect as tcpConnect } from 'node:net';
import { Client, Connection, isGrpcServiceError, type ConnectionOptions } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { Command } from 'commander';
import { CliError, ExitCode } from './cli-error';
import { parsePositiveInt } from './parse-options';
import { optionalDataConverter } from './data-converter-option';

/**
 * Where the Temporal server is, in priority order: command-line flags, then
 * Temporal's own environment variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_PROFILE, ...) and client config file
 * (TEMPORAL_CONFIG_FILE or ~/.config/temporalio/temporal.toml), then the
 * local dev server. That way a Temporal Cloud profile works unchanged.
 */
export interface TemporalFlags {
  address?: string;
  namespace?: string;
  profile?: string;
  apiKey?: string;
  tls?: boolean;
  /** Seconds to keep trying to reach the server (commander's value of --wait-for-server). */
  waitForServer?: string;
}

export interface TemporalTarget {
  address: string;
  namespace: string;
  connectionOptions: ConnectionOptions;
}

export const DEFAULT_ADDRESS = '127.0.0.1:7233';

export function addTemporalOptions(cmd: Command): Command {
  return cmd
    .option('--address <host:port>', 'Temporal frontend address (env TEMPORAL_ADDRESS; default 127.0.0.1:7233)')
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE; default "default")')
    .option('--profile <name>', 'profile in the Temporal client config file (env TEMPORAL_PROFILE)')
    .option('--api-key <key>', 'API key for Temporal Cloud (prefer env TEMPORAL_API_KEY: flags show up in ps)')
    .option('--tls', 'connect with TLS (implied by an API key)')
    .option(
      '--wait-for-server <seconds>',
      `keep trying to reach Temporal for up to this long, at start and when a watch loses it (default: give up after ${CONNECT_DEADLINE_MS / 1000} s at start, ${WATCH_RECONNECT_DEFAULT_MS / 1000} s in a watch)`,
    );
}

/** How long one attempt to reach the server may take: an answer on loopback or a LAN comes in milliseconds. */
export const CONNECT_DEADLINE_MS = 3_000;
/** A watch outlives a server restart or a network blip of this length without --wait-for-server. */
export const WATCH_RECONNECT_DEFAULT_MS = 120_000;
const RETRY_PAUSE_MS = 500;

export function resolveTemporalTarget(flags: TemporalFlags, env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  let fromConfig: ReturnType<typeof loadClientConnectConfig> | undefined;
  try {
    fromConfig = loadClientConnectConfig({ profile: flags.profile, overrideEnvVars: stringEnv(env) });
  } catch (err) {
    throw new CliError(`cannot read the Temporal client config: ${(err as Error).message}`, ExitCode.usage);
  }
  const base = fromConfig.connectionOptions;
  const address = flags.address ?? base.address ?? DEFAULT_ADDRESS;
  const namespace = flags.namespace ?? fromConfig.namespace ?? 'default';
  const apiKey = flags.apiKey ?? (typeof base.apiKey === 'string' ? base.apiKey : undefined);
  const tls = flags.tls || apiKey ? (base.tls ?? true) : base.tls;
  const connectionOptions: ConnectionOptions = {
    address,
    ...(tls ? { tls } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(base.metadata ? { metadata: base.metadata } : {}),
  };
  return { address, namespace, connectionOptions };
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

export interface ConnectedClient {
  client: Client;
  connection: Connection;
  target: TemporalTarget;
  close(): Promise<void>;
}

/** What a long-running command (a watch) does when it loses the server it connected to. */
export interface ReconnectPolicy {
  address: string;
  /** Give up (exit 3) after the server has been unreachable this long. */
  giveUpAfterMs: number;
}

const reconnectPolicies = new WeakMap<Connection, ReconnectPolicy>();

/** The policy `connectClient` recorded for this connection; defaults for connections made elsewhere. */
export function reconnectPolicyFor(connection: Connection | undefined): ReconnectPolicy {
  return (connection && reconnectPolicies.get(connection)) ?? { address: DEFAULT_ADDRESS, giveUpAfterMs: WATCH_RECONNECT_DEFAULT_MS };
}

/**
 * Connects, or fails with one line that says where we tried and what to do:
 * within CONNECT_DEADLINE_MS by default (a refused port at once), or after
 * `--wait-for-server` seconds of trying.
 */
export async function connectClient(flags: TemporalFlags, env: NodeJS.ProcessEnv = process.env): Promise<ConnectedClient> {
  const target = resolveTemporalTarget(flags, env);
  const waitMs = waitForServerMs(flags);
  const giveUpAt = Date.now() + waitMs;
  let connection: Connection;
  for (;;) {
    try {
      connection = await connectOnce(target, env);
      break;
    } catch (err) {
      if (Date.now() + RETRY_PAUSE_MS >= giveUpAt) throw unreachable(target.address, err, waitMs);
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
    }
  }
  reconnectPolicies.set(connection, { address: target.address, giveUpAfterMs: flags.waitForServer === undefined ? WATCH_RECONNECT_DEFAULT_MS : waitMs });
  const client = new Client({ connection, namespace: target.namespace, ...optionalDataConverter() });
  return { client, connection, target, close: () => connection.close() };
}

/** How long `--wait-for-server` asks to keep trying, in ms (0: one attempt). */
export function waitForServerMs(flags: TemporalFlags): number {
  if (flags.waitForServer === undefined) return 0;
  return parsePositiveInt(flags.waitForServer, '--wait-for-server', { max: 7 * 24 * 3600 }) * 1000;
}

async function connectOnce(target: TemporalTarget, env: NodeJS.ProcessEnv): Promise<Connection> {
  // gRPC keeps retrying a refused port until its deadline; a plain TCP
  // connect says "refused" at once. Through a proxy only gRPC knows the way.
  if (!usesProxy(env)) await probeTcp(target.address);
  const connection = await Connection.connect({ ...target.connectionOptions, connectTimeout: CONNECT_DEADLINE_MS });
  try {
    // Something that accepts TCP is not yet a Temporal frontend: ask it.
    await connection.withDeadline(Date.now() + CONNECT_DEADLINE_MS, () => connection.workflowService.getSystemInfo({}));
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
  return connection;
}

function usesProxy(env: NodeJS.ProcessEnv): boolean {
  return ['grpc_proxy', 'https_proxy', 'http_proxy'].some((k) => env[k] || env[k.toUpperCase()]);
}

/** Resolves once something accepts a TCP connection at `host:port`. */
export function probeTcp(address: string, timeoutMs = CONNECT_DEADLINE_MS): Promise<void> {
  const { hostname, port } = new URL(`tcp://${address}`);
  return new Promise((resolveProbe, reject) => {
    const socket = tcpConnect({ host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port || 7233), timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs / 1000} s`));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      reject(new Error(err.code === 'ECONNREFUSED' ? 'connection refused: nothing listens there' : err.code === 'ENOTFOUND' ? `unknown host ${hostname}` : err.message));
    });
  });
}

function unreachable(address: string, err: unknown, waitedMs: number): CliError {
  const tried = waitedMs > 0 ? ` for ${Math.round(waitedMs / 1000)} s` : '';
  const wait = waitedMs > 0 ? '' : ', or add --wait-for-server SECONDS to wait for it';
  return new CliError(
    `cannot reach Temporal at ${address}${tried} (${firstLine(err)}); start one with \`npx netops server\` or set --address / TEMPORAL_ADDRESS${wait}`,
    ExitCode.unavailable,
  );
}

/**
 * Whether an error means the server could not be reached (as opposed to an
 * answer): gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4), on the error or
 * anywhere in its causes.
 */
export function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && (e.code === 14 || e.code === 4)) return true;
  }
  return false;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
}
