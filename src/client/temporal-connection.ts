import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { Command } from 'commander';
import { CliError, ExitCode } from './cli-error';
import { optionalDataConverter } from './worker-setup';

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
    .option('--tls', 'connect with TLS (implied by an API key)');
}

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

/** Connects, or fails with one line that says where we tried and what to do. */
export async function connectClient(flags: TemporalFlags, env: NodeJS.ProcessEnv = process.env): Promise<ConnectedClient> {
  const target = resolveTemporalTarget(flags, env);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...target.connectionOptions, connectTimeout: 5000 });
    await connection.workflowService.getSystemInfo({});
  } catch (err) {
    throw new CliError(
      `cannot reach Temporal at ${target.address} (${firstLine(err)}); start one with \`npx netops server\` or set --address / TEMPORAL_ADDRESS`,
      ExitCode.unavailable,
    );
  }
  const client = new Client({ connection, namespace: target.namespace, ...optionalDataConverter() });
  return { client, connection, target, close: () => connection.close() };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
}
