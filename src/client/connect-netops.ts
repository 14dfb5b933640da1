import { Client, Connection, type TLSConfig } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { dataConverterFromEnv } from '../codec';
import { TASK_QUEUE } from '../contracts/names';
import { NetopsClient } from './netops-client';

export interface ConnectNetopsOptions {
  /** Temporal frontend, `host:port` (default 127.0.0.1:7233). */
  address?: string;
  /** Temporal namespace (default "default"). */
  namespace?: string;
  /** TLS settings, or `true` for the system's trust store (Temporal Cloud). */
  tls?: boolean | TLSConfig;
  /** Temporal Cloud API key; implies TLS. */
  apiKey?: string;
  /**
   * Payload codec set-up. Default: the same as the CLI and the workers, i.e.
   * encrypting when NETOPS_CODEC_KEY_FILE / NETOPS_CODEC_KEYS is set; a client
   * that disagrees with the workers could read neither inputs nor reports.
   */
  dataConverter?: DataConverter;
  /** Task queue the workers poll (default "netops"). */
  taskQueue?: string;
  /** Milliseconds to wait for the server before giving up (default 10 s). */
  connectTimeoutMs?: number;
}

export interface NetopsConnection {
  /** The typed netops client: start, steer and read rollouts. */
  netops: NetopsClient;
  /** The underlying Temporal client, for anything netops does not wrap. */
  client: Client;
  connection: Connection;
  /** Closes the connection; call it when the service shuts down. */
  close(): Promise<void>;
}

/**
 * One call from "I have an address" to a working NetopsClient, for services
 * that do not want to learn the Temporal connection API first. Errors are the
 * SDK's own (this is a library: no CLI exit codes, no printing).
 */
export async function connectNetops(opts: ConnectNetopsOptions = {}): Promise<NetopsConnection> {
  const tls = opts.tls ?? (opts.apiKey ? true : undefined);
  const connection = await Connection.connect({
    address: opts.address ?? '127.0.0.1:7233',
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
    ...(tls ? { tls } : {}),
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
  });
  const dataConverter = opts.dataConverter ?? dataConverterFromEnv();
  const client = new Client({ connection, namespace: opts.namespace ?? 'default', ...(dataConverter ? { dataConverter } : {}) });
  return {
    netops: new NetopsClient(client, opts.taskQueue ?? TASK_QUEUE),
    client,
    connection,
    close: () => connection.close(),
  };
}
