/** The dashboard's documented budget per organisation (requests per second). */
const DASHBOARD_BUDGET_PER_SEC = 10;
/** Share of that budget the upgrade waiters may take before we warn: the rest is for collection, other steps and other applications. */
const WAITER_SHARE = 0.25;

export interface WaiterLoad {
  /** Networks of one organisation upgrading (and so polled) at once. */
  networksAtOnce: number;
  requestsPerSec: number;
}

/**
 * What the upgrade waiters of one organisation spend: one progress read per
 * network per poll interval, for every network of the organisation that is
 * upgrading at once (the window, or the per-organisation cap if lower).
 * Those polls run inside long waiting activities, outside the per-task
 * budgets, so this is the one part of a rollout's traffic to size up front.
 */
export function waiterLoad(window: number, perOrg: number | undefined, pollIntervalMs: number): WaiterLoad {
  const networksAtOnce = Math.min(window, perOrg ?? window);
  return { networksAtOnce, requestsPerSec: networksAtOnce / (pollIntervalMs / 1000) };
}

/** A warning when the waiters alone would take more than a quarter of an organisation's budget, with a poll interval that would not. */
export function waiterLoadWarning(load: WaiterLoad): string | undefined {
  const limit = DASHBOARD_BUDGET_PER_SEC * WAITER_SHARE;
  if (load.requestsPerSec <= limit) return undefined;
  const suggestSec = Math.ceil(load.networksAtOnce / limit);
  return (
    `warning: up to ${load.networksAtOnce} networks of one organisation upgrade at once, each polled for progress: ` +
    `${load.requestsPerSec.toFixed(1)} requests/s of the organisation's ${DASHBOARD_BUDGET_PER_SEC}/s budget. ` +
    `Use --poll-interval ${suggestSec}s or more, or cap --per-org.`
  );
}
