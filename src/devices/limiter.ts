/**
 * Per-worker admission control for device sessions: at most `maxSessions`
 * open at once, and new connections paced by a token bucket
 * (`connectsPerSecond`, bursts up to `burst`), so a fleet-wide fan-out never
 * becomes a connection storm against AAA servers and vty lines.
 */
export interface LimiterOptions {
  maxSessions: number;
  connectsPerSecond: number;
  burst?: number;
}

export interface LimiterStats {
  active: number;
  waiting: number;
  peakActive: number;
}

export class SessionLimiter {
  private active = 0;
  private peak = 0;
  private readonly queue: (() => void)[] = [];
  private tokens: number;
  private last = Date.now();
  private readonly burst: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LimiterOptions) {
    if (opts.maxSessions < 1) throw new Error('maxSessions must be at least 1');
    if (opts.connectsPerSecond <= 0) throw new Error('connectsPerSecond must be positive');
    this.burst = opts.burst ?? Math.max(1, Math.ceil(opts.connectsPerSecond));
    this.tokens = this.burst;
  }

  stats(): LimiterStats {
    return { active: this.active, waiting: this.queue.length, peakActive: this.peak };
  }

  /** Runs `fn` holding a session slot, after taking a connection token. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquireSlot();
    try {
      await this.takeToken();
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.opts.maxSessions) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.queue.push(() => {
        this.active++;
        this.peak = Math.max(this.peak, this.active);
        resolve();
      }),
    );
  }

  private release(): void {
    this.active--;
    this.queue.shift()?.();
  }

  /** Tokens are handed out one at a time, in arrival order. */
  private takeToken(): Promise<void> {
    const next = this.chain.then(async () => {
      for (;;) {
        const now = Date.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.opts.connectsPerSecond);
        this.last = now;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.opts.connectsPerSecond) * 1000)));
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
