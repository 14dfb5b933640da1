import { ApplicationFailure } from '@temporalio/common';
import { DeviceError } from '../../devices/errors';
import { RateLimited } from '../../devices/rest/errors';

/**
 * REST errors become ApplicationFailures typed by class name. A 429 carries
 * the server's Retry-After as `nextRetryDelay`, so Temporal's next attempt
 * waits exactly as long as the dashboard asked instead of the policy's back-off.
 */
export function restFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof RateLimited) {
    return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: false, details: [err.toJSON()], nextRetryDelay: err.retryAfterMs });
  }
  if (err instanceof DeviceError) {
    return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: !err.retryable, details: [err.toJSON()] });
  }
  if (err instanceof Error && (err.name === 'SecretResolutionError' || err.name === 'InvalidCaller')) {
    return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true });
  }
  return err;
}

/** A write whose outcome is unknown. Retrying the activity is safe because every attempt reads before it writes. */
export function writeOutcomeUnknown(what: string, cause: DeviceError): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'WriteOutcomeUnknown',
    message: `${what}: ${cause.message} The next attempt reads the current state before writing, so it will not apply the change twice.`,
    nonRetryable: false,
    details: [cause.toJSON()],
  });
}
