import { Context } from '@temporalio/activity';
import type { Dispatcher } from 'undici';
import { DashboardClient, createDashboardAgent, type DashboardClientOptions } from '../../devices/rest/client';
import { RateLimited, RestError } from '../../devices/rest/errors';
import { OrgRateLimiter } from '../../devices/rest/org-limiter';
import { taskBudget, type TaskBudget } from '../../devices/rest/task-budget';
import { resolveSecret as defaultResolveSecret } from '../../inventory/secrets';
import type { SecretResolver } from '../credentials';
import { toActivityFailure } from '../failures';
import type { DashboardRef } from './types';

export interface RestActivityDeps {
  resolveSecret?: SecretResolver;
  /** One per worker, so every activity draws from the same per-organisation budget. */
  limiter?: OrgRateLimiter;
  dispatcher?: Dispatcher;
  clientOptions?: Pick<DashboardClientOptions, 'timeouts' | 'maxAttempts' | 'backoff'>;
  /** A 429 asking for at most this long is waited out inside the activity (heartbeating); longer ones fail the attempt with nextRetryDelay. */
  maxInlineWaitMs?: number;
  /** Heartbeat at least this often while waiting. */
  heartbeatEveryMs?: number;
  defaultPollIntervalMs?: number;
  /** Each organisation's per-task request budget (its queue's rate cut into tasks); default: the limiter's rate, default requests per task. */
  taskBudgets?: ReadonlyMap<string, TaskBudget>;
}

/** What REST activities share on one worker: the connection pool, the org budgets, secret resolution. */
export class RestRuntime {
  readonly limiter: OrgRateLimiter;
  readonly dispatcher: Dispatcher;
  readonly maxInlineWaitMs: number;
  readonly heartbeatEveryMs: number;
  readonly defaultPollIntervalMs: number;
  private readonly resolveSecret: SecretResolver;

  constructor(private readonly deps: RestActivityDeps = {}) {
    this.limiter = deps.limiter ?? new OrgRateLimiter();
    this.dispatcher = deps.dispatcher ?? createDashboardAgent({ timeouts: deps.clientOptions?.timeouts });
    this.resolveSecret = deps.resolveSecret ?? defaultResolveSecret;
    this.maxInlineWaitMs = deps.maxInlineWaitMs ?? 30_000;
    this.heartbeatEveryMs = deps.heartbeatEveryMs ?? 5_000;
    this.defaultPollIntervalMs = deps.defaultPollIntervalMs ?? 10_000;
  }

  /** The request budget of one task on the organisation's queue. */
  taskBudget(orgId: string): TaskBudget {
    return this.deps.taskBudgets?.get(orgId) ?? taskBudget(this.limiter.ratePerSec);
  }

  /** A client for one activity call; the key is resolved here, inside the activity, and never leaves it. */
  async client(ref: DashboardRef, overrides: Pick<DashboardClientOptions, 'maxAttempts'> = {}): Promise<DashboardClient> {
    const key = await this.resolveSecret(ref.apiKey);
    return new DashboardClient({
      ...this.deps.clientOptions,
      ...overrides,
      baseUrl: ref.baseUrl,
      caller: ref.caller ?? process.env['NETOPS_DASHBOARD_CALLER'],
      apiKey: () => key,
      authScheme: ref.authScheme,
      limiter: this.limiter,
      dispatcher: this.dispatcher,
    });
  }

  /** Sleeps in slices, heartbeating `details()` between them; throws if the activity is cancelled. */
  async sleepHeartbeating(ms: number, details: () => unknown): Promise<void> {
    const ctx = Context.current();
    let left = ms;
    while (left > 0) {
      const slice = Math.min(left, this.heartbeatEveryMs);
      ctx.heartbeat(details());
      await ctx.sleep(slice);
      left -= slice;
    }
    ctx.heartbeat(details());
  }

  /**
   * Runs `step`, waiting out short 429s in place (a 429 means the request was
   * not processed, so sending it again is safe for any method). A long
   * Retry-After fails the attempt so Temporal reschedules it with that delay.
   */
  async absorbRateLimits<T>(step: () => Promise<T>, details: () => unknown): Promise<T> {
    for (;;) {
      try {
        return await step();
      } catch (err) {
        if (!(err instanceof RateLimited) || err.retryAfterMs > this.maxInlineWaitMs) throw err;
        await this.sleepHeartbeating(err.retryAfterMs, details);
      }
    }
  }

  async close(): Promise<void> {
    if (!this.deps.dispatcher) await this.dispatcher.close();
  }
}

/** Wraps an activity body so every error leaves through the failure policy, named after the input's network or organisation. */
export function restActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      // The X-Request-Id is what Meraki support asks for: log it with the failure, not only in the history.
      if (err instanceof RestError && err.requestId) Context.current().log.warn(`dashboard request failed: ${err.message}`, { requestId: err.requestId, status: err.status });
      throw toActivityFailure(err, targetOf(args));
    }
  };
}

/** REST activities take a NetworkRef first, or a DashboardRef and an organisation id. */
function targetOf(args: unknown[]): string | undefined {
  const net = args[0] as { networkId?: unknown } | undefined;
  if (typeof net?.networkId === 'string') return `network ${net.networkId}`;
  return typeof args[1] === 'string' ? `organisation ${args[1]}` : undefined;
}
