import { ApplicationFailure } from '@temporalio/workflow';
import type { UpdateRefusalDetails, UpdateRefusalType } from '../contracts/failure-types';

/**
 * A rollout refusing an update: a non-retryable ApplicationFailure whose type
 * a caller in any language can branch on, the reason as its message, and
 * details[0] saying which update and device (update-refusal-details.schema.json).
 */
export function refusal(update: string, type: UpdateRefusalType, message: string, device?: string): ApplicationFailure {
  const details: UpdateRefusalDetails = { update, refusal: type, ...(device !== undefined ? { device } : {}) };
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });
}

/** For validators written as one expression: throws the refusal when `refused`. */
export function refuseIf(refused: boolean, update: string, type: UpdateRefusalType, message: string): undefined {
  if (refused) throw refusal(update, type, message);
  return undefined;
}
