/**
 * Which activity failures a retry can fix: the one declaration of
 * retryability. The activity layer (`src/activities/failures.ts`) sets each
 * failure's `nonRetryable` from it, and the workflows' retry options
 * (`nonRetryableErrorTypes`) are derived from it, so the two cannot disagree.
 * The error classes in `src/devices/` restate their fixed flag for use inside
 * devices/ (which imports nothing of ours); a unit test fails when a class
 * and this table differ.
 *
 *  - `never`: the same attempt would fail the same way; a person must act.
 *  - `retry`: the condition passes by itself (a device reloading, a 429).
 *  - `per-case`: the error itself says (a corrupt copy is staged again, a
 *    wrong expected hash is not; a GET that timed out is sent again, a POST
 *    that may have been applied is not), so no retry option names the type.
 */
export type Retryability = 'never' | 'retry' | 'per-case';

/** SSH device I/O: the classes of src/devices/errors.ts (ParseProblem leaves as UnreadableOutput) and the DeviceErrors activities add. */
export const SSH_FAILURES = {
  AuthenticationFailed: 'never',
  HostKeyMismatch: 'never',
  UnknownHostKey: 'never',
  CommandRejected: 'never',
  NotEnoughSpace: 'never',
  HashMismatch: 'per-case',
  Unreachable: 'retry',
  TimedOut: 'retry',
  SessionClosed: 'retry',
  RollbackFailed: 'never',
  RedundancyNotConfirmed: 'retry',
  WrongVersion: 'never',
  UnreadableOutput: 'never',
  // src/activities/vpc.ts: the pair did not re-form after a reload; the partner must not be touched until someone looks.
  VpcNotConverged: 'never',
} as const satisfies Record<string, Retryability>;

/** Dashboard API calls: the classes of src/devices/rest/errors.ts. */
export const REST_FAILURES = {
  Unauthorized: 'never',
  NotFound: 'never',
  BadRequest: 'never',
  RateLimited: 'retry',
  ServerError: 'per-case',
  Timeout: 'per-case',
  ConnectionFailed: 'per-case',
  ForeignLink: 'never',
  ForeignRedirect: 'never',
} as const satisfies Record<string, Retryability>;

/** What the dashboard answered that netops will not act on, and a write whose outcome the next attempt reads first. */
export const DASHBOARD_FAILURES = {
  UnknownFirmwareVersion: 'never',
  ProductNotInNetwork: 'never',
  FirmwareAnswerError: 'never',
  FirmwareNotReported: 'never',
  UpgradeConflict: 'never',
  UpgradeFailed: 'never',
  UpgradeNotScheduled: 'never',
  UnreadableStatusOverview: 'never',
  UnreadableStatusRow: 'never',
  NoStagedGroups: 'never',
  StagedGroupsIncomplete: 'never',
  StagedAnswerError: 'never',
  StageCanceled: 'never',
  WriteOutcomeUnknown: 'retry',
} as const satisfies Record<string, Retryability>;

/** The worker's own set-up, the same on every attempt: a secret it cannot resolve, a result store it may not write, a bad caller name, a bad input. */
export const WORKER_FAILURES = {
  SecretResolutionError: 'never',
  ResultStoreUnwritable: 'never',
  InvalidCaller: 'never',
  InvalidInput: 'never',
} as const satisfies Record<string, Retryability>;

export const FAILURE_POLICY = { ...SSH_FAILURES, ...REST_FAILURES, ...DASHBOARD_FAILURES, ...WORKER_FAILURES } as const satisfies Record<string, Retryability>;

/** A failure type an activity may leave with; anything else is an unexpected error (retried, with its own name). */
export type FailureType = keyof typeof FAILURE_POLICY;

export function isFailureType(type: string): type is FailureType {
  return Object.hasOwn(FAILURE_POLICY, type);
}

function never(...tables: Record<string, Retryability>[]): readonly string[] {
  return Object.freeze(tables.flatMap((t) => Object.keys(t).filter((type) => t[type] === 'never')));
}

/** `nonRetryableErrorTypes` of the SSH device activities (upgrade, config push, collection). */
export const DEVICE_NON_RETRYABLE = never(SSH_FAILURES, WORKER_FAILURES);
/** `nonRetryableErrorTypes` of the dashboard (REST) activities. */
export const DASHBOARD_NON_RETRYABLE = never(REST_FAILURES, DASHBOARD_FAILURES, WORKER_FAILURES);
