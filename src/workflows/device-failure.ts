import { ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure, TimeoutFailure } from '@temporalio/workflow';
import { DASHBOARD_NON_RETRYABLE, DEVICE_NON_RETRYABLE } from '../contracts/failure-policy';
import type { ReportedError, DeviceJobResult } from '../contracts/rollout';

/**
 * Turns whatever an activity or child threw into the one-line error a report
 * shows: the innermost application failure's type, message and hint.
 */
export function toDeviceError(err: unknown): ReportedError {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof ApplicationFailure) {
      const details = current.details?.[0] as { hint?: string; error?: ReportedError } | undefined;
      if (details?.error) return details.error;
      return { type: current.type ?? 'Error', message: current.message, ...(details?.hint ? { hint: details.hint } : {}) };
    }
    if (current instanceof TimeoutFailure) {
      return { type: 'TimedOut', message: `timed out (${current.timeoutType ?? 'activity'})`, hint: 'the device or worker stopped answering; check it and retry the device' };
    }
    if (current instanceof CancelledFailure) return { type: 'Cancelled', message: 'cancelled by the operator' };
    if (current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) {
      current = current.cause;
      continue;
    }
    if (current instanceof Error) {
      const cause = (current as Error & { cause?: unknown }).cause;
      if (cause) {
        current = cause;
        continue;
      }
      return { type: current.name || 'Error', message: current.message };
    }
    break;
  }
  return { type: 'Error', message: String(err) };
}

/**
 * How activities retry: quickly at first, never for the failure types the
 * policy (contracts/failure-policy.ts) says a retry cannot fix. The
 * activities mark those failures non-retryable themselves; naming the types
 * here as well keeps a failure from an older worker from being retried.
 */
const BACK_OFF = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' } as const;
export const DEVICE_RETRY = { ...BACK_OFF, nonRetryableErrorTypes: [...DEVICE_NON_RETRYABLE] };
export const DASHBOARD_RETRY = { ...BACK_OFF, nonRetryableErrorTypes: [...DASHBOARD_NON_RETRYABLE] };

/** A device or network child's failure, carrying its partial result, so the parent reports the outcome and the device's words. */
export function deviceFailure(result: DeviceJobResult, error: ReportedError): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.type,
    message: `${result.device}: ${error.message}`,
    nonRetryable: true,
    details: [{ error, result: { ...result, error } }],
  });
}
