/**
 * The simulator's own per-organisation token bucket (the lab imports nothing
 * from the project, so it does not reuse the client's). A rejected request
 * does not spend a token.
 */
export class OrgBudget {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes a token, or returns the ms until one will be there. */
  tryTake(now: number): { ok: true } | { ok: false; waitMs: number } {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSec);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: ((1 - this.tokens) / this.ratePerSec) * 1000 };
  }
}
