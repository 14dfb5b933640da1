import type { Clock } from './clock';
import { TokenBucket } from './token-bucket';

export interface OrgLimiterOptions {
  /** Requests per second per organisation; the dashboard's documented budget is 10. */
  ratePerSec?: number;
  /** Requests that may go back to back after a quiet spell. */
  burst?: number;
  /** Latency allowance, see TokenBucketOptions.headroomMs; default 50 ms. */
  headroomMs?: number;
  clock?: Clock;
}

/**
 * One token bucket per organisation, because the dashboard counts requests
 * per organisation across every API key and application. Share one instance
 * across all clients of a process (a worker) so they draw from one budget.
 */
export class OrgRateLimiter {
  readonly ratePerSec: number;
  readonly burst: number;
  readonly headroomMs: number;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly opts: OrgLimiterOptions = {}) {
    this.ratePerSec = opts.ratePerSec ?? 10;
    this.burst = opts.burst ?? 10;
    this.headroomMs = opts.headroomMs ?? 50;
  }

  bucket(orgId: string): TokenBucket {
    let bucket = this.buckets.get(orgId);
    if (!bucket) {
      bucket = new TokenBucket({ ratePerSec: this.ratePerSec, burst: this.burst, headroomMs: this.headroomMs, clock: this.opts.clock });
      this.buckets.set(orgId, bucket);
    }
    return bucket;
  }

  take(orgId: string, signal?: AbortSignal): Promise<void> {
    return this.bucket(orgId).take(signal);
  }

  /** The server said 429: nobody in this process sends to that organisation for `ms`. */
  pause(orgId: string, ms: number): void {
    this.bucket(orgId).pause(ms);
  }
}
