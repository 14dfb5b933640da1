import { ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure, TimeoutFailure } from '@temporalio/workflow';
import type { DeviceError, DeviceJobResult } from '../contracts/rollout';

/** Error types an operator cannot fix by retrying: we never retry them automatically. */
export const NON_RETRYABLE_TYPES = ['AuthenticationFailed', 'HostKeyMismatch', 'NotEnoughSpace', 'CommandRejected', 'InvalidInput'];

/**
 * Turns whatever an activity or child threw into the one-line error a report
 * shows: the innermost application failure's type, message and hint.
 */
export function toDeviceError(err: unknown): DeviceError {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof ApplicationFailure) {
      const details = current.details?.[0] as { hint?: string; error?: DeviceError } | undefined;
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

export function isCancellation(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof CancelledFailure) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** How device activities retry: quickly at first, never for errors a retry cannot fix. */
export const DEVICE_RETRY = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
} as const;

/** Thrown (as a device child's failure) with its partial result, so the parent reports the outcome and the device's words. */
export function deviceFailure(result: DeviceJobResult, error: DeviceError): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.type,
    message: `${result.device}: ${error.message}`,
    nonRetryable: true,
    details: [{ error, result: { ...result, error } }],
  });
}
