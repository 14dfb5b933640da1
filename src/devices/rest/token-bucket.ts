import { systemClock, type Clock } from './clock';

export interface TokenBucketOptions {
  /** Tokens added per second (the sustained request rate). */
  ratePerSec: number;
  /** Bucket size: how many requests may go at once after a quiet spell. */
  burst: number;
  /**
   * Keep this much of the rate (in ms of refill) in hand: a request goes only
   * once the bucket would still hold `headroomMs` worth of tokens after it.
   * The server's bucket sees our requests shifted by network latency; when a
   * later request travels faster than an earlier one, a client running
   * exactly at the limit looks over it. Default 0 (pure token bucket).
   */
  headroomMs?: number;
  clock?: Clock;
}

/**
 * A token bucket that lets tokens go negative: each caller reserves the next
 * token at once and then waits out its own debt. Reservations are therefore
 * served in arrival order without a queue, and the wait is exact arithmetic,
 * which is what lets the unit tests check it with a fake clock.
 */
export class TokenBucket {
  readonly ratePerSec: number;
  readonly burst: number;
  private readonly headroom: number;
  private readonly clock: Clock;
  private tokens: number;
  private updatedAt: number;
  /** No token is handed out before this instant (a server asked us to back off). */
  private pausedUntil = 0;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.ratePerSec > 0)) throw new RangeError(`ratePerSec must be > 0, got ${opts.ratePerSec}`);
    if (!(opts.burst >= 1)) throw new RangeError(`burst must be >= 1, got ${opts.burst}`);
    this.ratePerSec = opts.ratePerSec;
    this.burst = opts.burst;
    this.headroom = ((opts.headroomMs ?? 0) / 1000) * opts.ratePerSec;
    this.clock = opts.clock ?? systemClock;
    this.tokens = opts.burst;
    this.updatedAt = this.clock.now();
  }

  /** Reserves one token and returns how long the caller must wait before using it (ms). */
  reserve(): number {
    const now = this.clock.now();
    this.refill(now);
    this.tokens -= 1;
    const short = this.headroom - this.tokens;
    const debtWait = short <= 0 ? 0 : (short / this.ratePerSec) * 1000;
    // Tokens do not accrue during a pause, so any debt is paid off after it ends.
    return this.pausedUntil > now ? this.pausedUntil - now + debtWait : debtWait;
  }

  /** Waits for a token. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait, signal);
  }

  /**
   * Holds every token for `ms` and empties the bucket, so after a 429 this
   * process stops sending to that organisation until the server's Retry-After
   * has passed, and then restarts at the sustained rate instead of a burst
   * (one token is left for the first request after the pause).
   */
  pause(ms: number): void {
    const now = this.clock.now();
    this.refill(now);
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
    this.tokens = Math.min(this.tokens, 1);
  }

  /** Tokens available now (negative: reservations waiting). */
  available(): number {
    this.refill(this.clock.now());
    return this.tokens;
  }

  private refill(now: number): void {
    // Tokens accrue only once a pause is over, so a pause is not followed by a burst.
    const from = Math.max(this.updatedAt, Math.min(this.pausedUntil, now));
    if (now > from) this.tokens = Math.min(this.burst, this.tokens + ((now - from) / 1000) * this.ratePerSec);
    this.updatedAt = now;
  }
}
