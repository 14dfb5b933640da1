import type { Clock } from './clock';
import { TokenBucket } from './token-bucket';

/** The dashboard's documented cap per source IP address, across every organisation. */
export const DASHBOARD_IP_RATE_PER_SEC = 100;

export interface OrgLimiterOptions {
  /** Requests per second per organisation; the dashboard's documented budget is 10. */
  ratePerSec?: number;
  /** Requests that may go back to back after a quiet spell. */
  burst?: number;
  /** Latency allowance, see TokenBucketOptions.headroomMs; default 50 ms. */
  headroomMs?: number;
  /** Requests per second from this process to every organisation together; default 100 (the dashboard's per-IP cap). */
  ipRatePerSec?: number;
  clock?: Clock;
}

/**
 * One token bucket per organisation, because the dashboard counts requests
 * per organisation across every API key and application, and one for the
 * whole process, because it also caps each source IP address at 100
 * requests per second across all organisations. Share one instance across
 * all clients of a process (a worker) so they draw from the same budgets.
 * Several workers behind one address share that address's cap: give each
 * a share of it (`ipRatePerSec`).
 */
export class OrgRateLimiter {
  readonly ratePerSec: number;
  readonly burst: number;
  readonly headroomMs: number;
  readonly ipRatePerSec: number;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly ip: TokenBucket;
  private readonly streaks = new Map<string, number>();

  constructor(private readonly opts: OrgLimiterOptions = {}) {
    this.ratePerSec = opts.ratePerSec ?? 10;
    this.burst = opts.burst ?? 10;
    this.headroomMs = opts.headroomMs ?? 50;
    this.ipRatePerSec = opts.ipRatePerSec ?? DASHBOARD_IP_RATE_PER_SEC;
    this.ip = new TokenBucket({ ratePerSec: this.ipRatePerSec, burst: Math.max(1, Math.floor(this.ipRatePerSec)), headroomMs: this.headroomMs, clock: opts.clock });
  }

  bucket(orgId: string): TokenBucket {
    let bucket = this.buckets.get(orgId);
    if (!bucket) {
      bucket = new TokenBucket({ ratePerSec: this.ratePerSec, burst: this.burst, headroomMs: this.headroomMs, clock: this.opts.clock });
      this.buckets.set(orgId, bucket);
    }
    return bucket;
  }

  /**
   * Waits for the process's turn (the per-IP cap), then for the
   * organisation's. The organisation's bucket comes last so its spacing is
   * what the dashboard sees: waiting for the shared bucket after it would
   * release several requests of one organisation together (a 429 from the
   * per-organisation limit) whenever the per-IP cap binds.
   */
  async take(orgId: string, signal?: AbortSignal): Promise<void> {
    await this.ip.take(signal);
    await this.bucket(orgId).take(signal);
  }

  /** The server said 429: nobody in this process sends to that organisation for `ms`. */
  pause(orgId: string, ms: number): void {
    this.bucket(orgId).pause(ms);
  }

  /** Counts a 429 for the organisation; returns how many came in a row (for back-off without a Retry-After). */
  rateLimited(orgId: string): number {
    const streak = (this.streaks.get(orgId) ?? 0) + 1;
    this.streaks.set(orgId, streak);
    return streak;
  }

  /** An answer other than 429 ends the organisation's streak. */
  answered(orgId: string): void {
    this.streaks.delete(orgId);
  }
}
