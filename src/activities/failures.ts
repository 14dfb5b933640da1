import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { FAILURE_POLICY, isFailureType, type FailureType } from '../contracts/failure-policy';
import { DeviceError, ParseProblem, redactSecrets } from '../devices/errors';
import { RateLimited } from '../devices/rest/errors';
import { InvalidCaller } from '../devices/rest/user-agent';
import { SecretResolutionError } from '../inventory/secrets';
import { ResultStoreUnwritable } from '../results/local-store';
import { FirmwareAnswerError, UnknownFirmwareVersion } from './rest/firmware-state';
import { UnreadableStatusRow } from './rest/status-tally';

/**
 * The failure policy of every activity: what an error is called, whether
 * Temporal may try again, and the message an operator reads. Retryability
 * comes from the table in contracts/failure-policy.ts (the workflows' retry
 * options derive from the same table); only the types it marks `per-case`
 * ask the error itself. Messages name the device (or network) and what to
 * do, and never carry a secret: device errors redact configuration secrets
 * themselves, our other classes name references only, and what we did not
 * write (device output a parser quotes, an unexpected error's message)
 * passes through `redactSecrets` here.
 */

/** What one error means for the activity: enough to throw it, or to record it beside a device's result (collection). */
export interface FailureDescription {
  type: string;
  message: string;
  retryable: boolean;
  /** Secret-free, small; what workflows read from `details[0]`. */
  details?: Record<string, unknown>;
  /** A 429's Retry-After: the next attempt waits exactly that long instead of the policy's back-off. */
  nextRetryDelayMs?: number;
}

/** Errors that are not DeviceErrors but whose type the policy knows, matched by class. */
const KNOWN_CLASSES: readonly (abstract new (...args: never[]) => Error)[] = [
  SecretResolutionError,
  ResultStoreUnwritable,
  InvalidCaller,
  FirmwareAnswerError,
  UnknownFirmwareVersion,
  UnreadableStatusRow,
];

/** What to do, for the known classes whose own message does not say it. */
const HINTS: Partial<Record<FailureType, string>> = {
  SecretResolutionError: 'Set the secret on this worker (or fix the reference in the inventory), then retry; retrying as it is will not help.',
};

/** Whether Temporal may run the failed attempt again. */
export function isRetryable(err: unknown): boolean {
  return describeFailure(err).retryable;
}

/** Classifies any error; `target` (device or network) prefixes messages that do not name it yet. */
export function describeFailure(err: unknown, target?: string): FailureDescription {
  if (err instanceof ApplicationFailure) {
    return { type: err.type ?? 'Error', message: err.message, retryable: !err.nonRetryable, ...(err.details?.[0] ? { details: err.details[0] as Record<string, unknown> } : {}) };
  }
  if (err instanceof DeviceError) {
    return {
      type: err.name,
      message: err.message,
      retryable: retryableByPolicy(err.name, err.retryable),
      details: err.toJSON(),
      ...(err instanceof RateLimited ? { nextRetryDelayMs: err.retryAfterMs } : {}),
    };
  }
  if (err instanceof ParseProblem) {
    // A parser knows neither the device nor the command; the same output would fail the same way again.
    const hint = 'Nothing was changed: netops does not act on a table it cannot read completely; report the quoted line(s) with the full output so the parser learns the format.';
    return {
      type: 'UnreadableOutput',
      message: `${named(target, redactSecrets(err.message))}. ${hint}`,
      retryable: retryableByPolicy('UnreadableOutput'),
      details: { type: 'UnreadableOutput', table: err.table, lines: err.lines.map((l) => ({ line: redactSecrets(l.line), reason: l.reason })), hint },
    };
  }
  if (err instanceof Error && KNOWN_CLASSES.some((known) => err instanceof known) && isFailureType(err.name)) {
    const hint = HINTS[err.name];
    return {
      type: err.name,
      // Our own classes' messages name references and files, never values.
      message: named(target, hint ? `${err.message}. ${hint}` : err.message),
      retryable: retryableByPolicy(err.name),
      details: { type: err.name, ...(hint ? { hint } : {}) },
    };
  }
  // Unexpected (a bug, a library's own error): retried, under its own name unless that would pass for a known type.
  const e = err instanceof Error ? err : new Error(String(err));
  const name = e.name && !isFailureType(e.name) ? e.name : 'Error';
  return {
    type: name,
    message: named(target, `${redactSecrets(e.message)} (unexpected ${e.name || 'error'}; if it persists, the worker log has its stack)`),
    retryable: true,
  };
}

/**
 * The one way an activity leaves with an error: a typed ApplicationFailure,
 * or, when the activity was cancelled, the SDK's CancelledFailure (whatever
 * the cancellation made the driver throw), so Temporal records a
 * cancellation instead of a failure and never retries it.
 */
export function toActivityFailure(err: unknown, target?: string): ApplicationFailure | CancelledFailure {
  if (err instanceof CancelledFailure) return err;
  const cancelled = cancellationOfThisActivity();
  if (cancelled) return cancelled;
  if (err instanceof ApplicationFailure) return err;
  const f = describeFailure(err, target);
  const failure = ApplicationFailure.create({
    type: f.type,
    message: f.message,
    nonRetryable: !f.retryable,
    ...(f.details ? { details: [f.details] } : {}),
    ...(f.nextRetryDelayMs !== undefined ? { nextRetryDelay: f.nextRetryDelayMs } : {}),
  });
  // Keep where an unexpected error came from, without its (unredacted) first line.
  if (!(err instanceof DeviceError) && err instanceof Error && err.stack) failure.stack = `${failure.name}: ${f.message}\n${err.stack.split('\n').slice(1).join('\n')}`;
  return failure;
}

/** A failure an activity raises itself, under a type the policy knows; its retryability comes from the policy. */
export function activityFailure(type: FixedFailureType, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: FAILURE_POLICY[type] === 'never', ...(details ? { details: [details] } : {}) });
}

/** A write whose outcome is unknown. Retrying the activity is safe because every attempt reads before it writes. */
export function writeOutcomeUnknown(what: string, cause: DeviceError): ApplicationFailure {
  return activityFailure('WriteOutcomeUnknown', `${what}: ${cause.message} The next attempt reads the current state before writing, so it will not apply the change twice.`, cause.toJSON());
}

/** Failure types whose retryability does not depend on the case. */
export type FixedFailureType = { [K in FailureType]: (typeof FAILURE_POLICY)[K] extends 'per-case' ? never : K }[FailureType];

function retryableByPolicy(type: string, perCase?: boolean): boolean {
  // A DeviceError class the table does not list yet keeps its own flag; the policy test fails on it.
  if (!isFailureType(type)) return perCase ?? true;
  const policy = FAILURE_POLICY[type];
  if (policy === 'per-case') return perCase ?? true;
  return policy === 'retry';
}

function named(target: string | undefined, message: string): string {
  return target && !message.includes(target) ? `${target}: ${message}` : message;
}

/** The SDK's cancellation of this activity, when it was cancelled (drivers report the sessions it closed as errors of their own). */
function cancellationOfThisActivity(): CancelledFailure | undefined {
  let signal: AbortSignal;
  try {
    signal = Context.current().cancellationSignal;
  } catch {
    return undefined; // not in an activity (benchmarks, scripts)
  }
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason instanceof CancelledFailure ? reason : new CancelledFailure(reason instanceof Error ? reason.message : 'cancelled');
}
