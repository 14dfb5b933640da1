import { ActivityFailure, ApplicationFailure, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import { dashboardTaskQueue } from '../contracts/dashboard';

/** How long an organisation's activity may wait for a worker before we say none is polling its queue. */
export const DEFAULT_NO_WORKER_TIMEOUT_MS = 2 * 60_000;

/** The task queue of an organisation's REST activities, next to this workflow's own queue. */
export function orgTaskQueue(orgId: string): string {
  return dashboardTaskQueue(workflowInfo().taskQueue, orgId);
}

/**
 * An activity that nobody picked up is almost always a missing worker for
 * that organisation's queue; say so and how to fix it instead of "timed out".
 */
export function explainNoWorker(err: unknown, orgId: string): unknown {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (cause instanceof TimeoutFailure && cause.timeoutType === 'SCHEDULE_TO_START') {
    const queue = orgTaskQueue(orgId);
    return ApplicationFailure.create({
      type: 'NoDashboardWorker',
      nonRetryable: true,
      message: `no worker picked up the REST activities of organisation ${orgId} (task queue ${queue}); run a worker with --dashboard-orgs ${orgId}`,
    });
  }
  return err;
}
