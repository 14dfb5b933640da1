export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'POST' | 'PATCH' | 'OPTIONS';

/** What went wrong with one attempt, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'status'; status: number }
  /** The request never left this host (refused, DNS, connect timeout): nothing was written. */
  | { kind: 'not-sent' }
  /** The connection failed or timed out after the request was (maybe) sent. */
  | { kind: 'lost' };

export interface RetryContext {
  method: HttpMethod;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** True when sending the request twice has the same effect as sending it once. */
export function isIdempotent(ctx: RetryContext): boolean {
  return IDEMPOTENT.has(ctx.method);
}

/**
 * Should the client itself send the request again? 5xx and lost connections
 * only for idempotent requests: a POST that got a 502 may have been applied,
 * and the dashboard API has no idempotency key to make a replay harmless. A request
 * that was never sent is safe to send for any method. 429 is not retried here:
 * it goes back to the caller with its Retry-After (the caller owns the waiting,
 * so a Temporal activity can heartbeat or reschedule itself).
 */
export function shouldRetry(outcome: AttemptOutcome, ctx: RetryContext): boolean {
  if (outcome.kind === 'not-sent') return true;
  if (outcome.kind === 'lost') return isIdempotent(ctx);
  if (outcome.status >= 500 && outcome.status <= 599 && outcome.status !== 501) return isIdempotent(ctx);
  return false;
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Exponential back-off with full jitter; `random` is injectable for tests. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}

/**
 * How long to hold an organisation after a 429 that carried no Retry-After:
 * exponential in the number of 429s in a row (1 s, 2 s, 4 s, ... up to
 * `maxMs`), with jitter of up to the same again, so workers refused together
 * do not come back together.
 */
export function rateLimitBackoff(streak: number, maxMs = 60_000, random: () => number = Math.random): number {
  const base = Math.min(maxMs, 1000 * 2 ** Math.max(0, streak - 1));
  return Math.round(Math.min(maxMs, base * (1 + random())));
}
