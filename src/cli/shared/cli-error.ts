/**
 * Exit codes are part of the CLI's contract (documented in the README):
 * scripts branch on them, so each failure class keeps its own number.
 */
export const ExitCode = {
  ok: 0,
  /** The work ran and failed (a rollout failed, a breach was found). */
  failed: 1,
  /** Bad input: wrong flag, missing or invalid file, empty selection. */
  usage: 2,
  /** Temporal (or another required service) could not be reached. */
  unavailable: 3,
  /** The rollout (or other named thing) does not exist. */
  notFound: 4,
  /** The workflow refused the control (e.g. approve before the canary finished). */
  rejected: 5,
  /** A rollout or push refused before it started: the inventory's redundancy groups disagree with the devices. */
  inventoryDisagrees: 6,
  /** Interrupted by the operator (Ctrl-C). */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI prints as one line, with no stack trace, and exits on. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
