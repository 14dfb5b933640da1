import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Context } from '@temporalio/activity';
import { SessionLimiter } from '../devices/limiter';
import type { DeviceSession } from '../devices/ssh/session';
import type { SessionLogger, SessionOptions } from '../devices/ssh/types';
import { withSession } from '../devices/ssh/with-session';
import { resolveSecret as defaultResolveSecret } from '../inventory/secrets';
import { ConfigBackups } from './config-backups';
import { resolveCredentials, type SecretResolver } from './credentials';
import { toActivityFailure } from './failures';
import type { DeviceAccess, ImageRef } from './types';

export interface ActivityDeps {
  /** Caps concurrent sessions and new connections per second on this worker. */
  limiter?: SessionLimiter;
  logger?: SessionLogger;
  sessionOptions?: SessionOptions;
  resolveSecret?: SecretResolver;
  /** Opens an image's bytes; default reads `image.source` as a local path. */
  openImage?: (image: ImageRef) => Readable;
  /** Where config pushes keep running-config copies of devices without a restore point of their own (FRR). */
  configBackups?: ConfigBackups;
}

/** What every activity shares: credentials, admission control, one session per call. */
export class DeviceRuntime {
  readonly limiter: SessionLimiter;
  readonly logger: SessionLogger;
  private readonly resolveSecret: SecretResolver;
  readonly openImage: (image: ImageRef) => Readable;
  readonly configBackups: ConfigBackups;

  constructor(private readonly deps: ActivityDeps = {}) {
    this.limiter = deps.limiter ?? new SessionLimiter({ maxSessions: 50, connectsPerSecond: 20 });
    this.logger = deps.logger ?? { warn: () => undefined };
    this.resolveSecret = deps.resolveSecret ?? defaultResolveSecret;
    this.openImage = deps.openImage ?? ((image) => createReadStream(image.source, { highWaterMark: 256 * 1024 }));
    this.configBackups = deps.configBackups ?? new ConfigBackups();
  }

  /**
   * This runtime resolving each secret reference at most once: for one
   * activity working on many devices under the same credentials (a
   * collection batch), so a file secret is not read again per session.
   */
  resolvingSecretsOnce(): DeviceRuntime {
    const resolved = new Map<string, Promise<string>>();
    const once: SecretResolver = (ref) => resolved.get(JSON.stringify(ref)) ?? resolved.set(JSON.stringify(ref), this.resolveSecret(ref)).get(JSON.stringify(ref))!;
    return new DeviceRuntime({ ...this.deps, limiter: this.limiter, logger: this.logger, configBackups: this.configBackups, openImage: this.openImage, resolveSecret: once });
  }

  /** Resolves credentials, waits for a slot, opens one session, runs `fn`, always closes. */
  async session<T>(device: DeviceAccess, fn: (s: DeviceSession) => Promise<T>, opts: SessionOptions = {}): Promise<T> {
    const creds = await resolveCredentials(device.credentials, this.resolveSecret);
    const options: SessionOptions = {
      ...this.deps.sessionOptions,
      ...opts,
      timeouts: { ...this.deps.sessionOptions?.timeouts, ...opts.timeouts },
      logger: this.logger,
    };
    const signal = cancellationSignal();
    if (signal) options.signal = signal;
    return this.limiter.run(() => withSession(device, creds, fn, options));
  }
}

/** Wraps an activity body so every error leaves through the failure policy, named after the input's device. */
export function deviceActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toActivityFailure(err, deviceNameOf(args[0]));
    }
  };
}

/** Device activities take `{ device, ... }`; others (a collection run's bookkeeping) name no device. */
function deviceNameOf(input: unknown): string | undefined {
  const name = (input as { device?: { name?: unknown } } | undefined)?.device?.name;
  return typeof name === 'string' ? name : undefined;
}

function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** Heartbeats when running inside an activity; a no-op elsewhere (benchmarks, scripts). */
export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not in an activity context
  }
}

/** Details recorded by the previous attempt's heartbeats, if any. */
export function previousHeartbeat<T>(): T | undefined {
  try {
    return Context.current().info.heartbeatDetails as T | undefined;
  } catch {
    return undefined;
  }
}

/** Cancellation-aware sleep inside activities, plain timer elsewhere. */
export function sleep(ms: number): Promise<void> {
  try {
    return Context.current().sleep(ms);
  } catch {
    return new Promise((r) => setTimeout(r, ms));
  }
}
