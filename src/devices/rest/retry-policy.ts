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
  /** The caller sent an idempotency key the server honours, so replays are harmless. */
  idempotencyKeySafe?: boolean;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** True when sending the request twice has the same effect as sending it once. */
export function isIdempotent(ctx: RetryContext): boolean {
  return IDEMPOTENT.has(ctx.method) || ctx.idempotencyKeySafe === true;
}

/**
 * Should the client itself send the request again? 5xx and lost connections
 * only for idempotent requests: a POST that got a 502 may have been applied,
 * and sending it again is how the vendor SDK creates duplicates. A request
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
