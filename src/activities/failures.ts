import { ApplicationFailure } from '@temporalio/common';
import { DeviceError, ParseProblem } from '../devices/errors';

/**
 * Device errors become ApplicationFailures whose `type` is the error class
 * name, so workflows and retry policies can branch on it, and whose
 * `nonRetryable` follows the error's own `retryable`. A secret that cannot
 * be resolved is a configuration problem: retrying will not fix it.
 */
export function toFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof DeviceError) {
    return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: !err.retryable, details: [err.toJSON()], cause: undefined });
  }
  // A parser's own problem (no device attached yet): the same output would fail the same way again.
  if (err instanceof ParseProblem) {
    return ApplicationFailure.create({ type: 'UnreadableOutput', message: err.message, nonRetryable: true, details: [{ table: err.table, lines: err.lines }] });
  }
  // A result store this worker may not write (EACCES, EROFS) stays so on every retry.
  if (err instanceof Error && (err.name === 'SecretResolutionError' || err.name === 'ResultStoreUnwritable')) {
    return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true });
  }
  return err;
}
