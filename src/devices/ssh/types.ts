import type { Device } from '../../contracts/inventory';

/** Secrets resolved inside an activity; never logged, never returned. */
export interface ResolvedCredentials {
  username: string;
  password?: string;
  enableSecret?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  /** Path of the ssh-agent socket. */
  agent?: string;
}

/** The part of a Device a session needs. */
export type SessionTarget = Pick<Device, 'name' | 'host' | 'port' | 'platform' | 'hostKey' | 'hostKeyCheck' | 'knownHostsFile'>;

/** Per-phase limits, so no call can wait forever. All in milliseconds. */
export interface SessionTimeouts {
  /** TCP connect. */
  connectMs: number;
  /** From TCP connected to SSH key exchange done (banner, kex, host key). */
  bannerMs: number;
  /** From key exchange done to authenticated. */
  authMs: number;
  /** Whole command, from send to prompt. */
  commandMs: number;
  /** Longest silence while a command runs before the session is declared hung. */
  idleMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  connectMs: 10_000,
  bannerMs: 15_000,
  authMs: 20_000,
  commandMs: 60_000,
  idleMs: 30_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
};

export interface SessionLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

export const silentLogger: SessionLogger = { warn: () => undefined };

export interface SessionOptions {
  timeouts?: Partial<SessionTimeouts>;
  logger?: SessionLogger;
  /** Enter privileged mode right after login when an enable secret is known (default true). */
  autoEnable?: boolean;
  /** Aborting closes the session at once (activity cancellation). */
  signal?: AbortSignal;
}
