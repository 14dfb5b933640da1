import type { RolloutStatus } from './rollout';

/** The memo key where a rollout keeps its status (the Temporal status says FAILED for an aborted rollout too). */
export const ROLLOUT_STATUS_MEMO = 'netopsStatus';

export const ROLLOUT_STATUSES: readonly RolloutStatus[] = ['planning', 'running', 'awaiting-approval', 'paused', 'blocked', 'stopping', 'completed', 'failed', 'aborted'];

export function isRolloutStatus(value: unknown): value is RolloutStatus {
  return typeof value === 'string' && (ROLLOUT_STATUSES as readonly string[]).includes(value);
}
