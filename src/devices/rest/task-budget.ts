import { systemClock, type Clock } from './clock';

/**
 * How one organisation's request budget is cut into activity tasks.
 *
 * The Temporal server dispatches at most `tasksPerSec` activity tasks per
 * second on the organisation's task queue, across every worker polling it.
 * Each task may send at most `requests` requests, spaced 1/rate apart from
 * the moment it starts and all within `windowMs`. A task is therefore a
 * short, paced slice of the organisation's rate: slices start at most
 * `tasksPerSec` per second and none outlives its window, so the stream the
 * dashboard sees stays at the rate however many workers run the slices.
 * One request per task (the degenerate case) is a plain activity rate limit.
 */
export interface TaskBudget {
  ratePerSec: number;
  /** Requests one task may send. */
  requests: number;
  /** Tasks per second the server dispatches on the organisation's queue: ratePerSec / requests. */
  tasksPerSec: number;
  /** A task sends nothing after this long from its start: requests / ratePerSec. */
  windowMs: number;
}

/** Default requests per task: enough that task overhead is small, few enough that single-request tasks (firmware steps) still start twice a second at 10/s. */
export const DEFAULT_REQUESTS_PER_TASK = 5;

/**
 * The budget of one task at `ratePerSec`. A task never gets more requests
 * than a second's worth of the rate, so a task start is never rarer than
 * once a second.
 */
export function taskBudget(ratePerSec: number, requestsPerTask = DEFAULT_REQUESTS_PER_TASK): TaskBudget {
  if (!(ratePerSec > 0)) throw new RangeError(`the rate must be above 0 requests per second, got ${ratePerSec}`);
  if (!Number.isInteger(requestsPerTask) || requestsPerTask < 1) throw new RangeError(`requests per task must be a positive integer, got ${requestsPerTask}`);
  const requests = Math.max(1, Math.min(requestsPerTask, Math.floor(ratePerSec)));
  return { ratePerSec, requests, tasksPerSec: ratePerSec / requests, windowMs: (requests / ratePerSec) * 1000 };
}

/**
 * Hands out the send times of one task's requests: each goes at least 1/rate
 * after the one before (a late answer never lets requests bunch up to catch
 * up), and none once the budget is spent or the window is over (a slow
 * answer must not push requests into the next task's window).
 */
export class TaskPacer {
  private readonly startedAt: number;
  private readonly intervalMs: number;
  private sent = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly budget: TaskBudget,
    private readonly clock: Clock = systemClock,
  ) {
    this.startedAt = clock.now();
    this.intervalMs = 1000 / budget.ratePerSec;
  }

  /** Requests granted so far. */
  get granted(): number {
    return this.sent;
  }

  /** True once no further request may be granted. */
  get spent(): boolean {
    return this.sent >= this.budget.requests || this.nextAt() >= this.startedAt + this.budget.windowMs;
  }

  /**
   * Waits for the next request's turn. Resolves false (without waiting) when
   * the budget or the window is spent: the caller stops and hands its
   * cursors back.
   */
  async next(signal?: AbortSignal): Promise<boolean> {
    if (this.spent) return false;
    const at = this.nextAt();
    this.sent++;
    this.lastAt = at;
    const wait = at - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait, signal);
    return true;
  }

  private nextAt(): number {
    return Math.max(this.clock.now(), this.startedAt, this.lastAt + this.intervalMs);
  }
}
