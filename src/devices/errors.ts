/**
 * The failure taxonomy of device I/O. Each class names what happened, on which
 * device, and what an operator should do; `retryable` tells the activity layer
 * whether Temporal may try again. Messages never carry secrets: callers pass
 * device words and command text only, never credentials.
 */

export type TimeoutPhase = 'connect' | 'banner' | 'auth' | 'command' | 'idle';

export abstract class DeviceError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    readonly device: string,
    readonly what: string,
    readonly hint: string,
  ) {
    super(`${device}: ${what}. ${hint}`);
    this.name = new.target.name;
  }
  /** A small, secret-free record for logs and activity failure details. */
  toJSON(): Record<string, unknown> {
    return { type: this.name, device: this.device, what: this.what, hint: this.hint, retryable: this.retryable };
  }
}

export class AuthenticationFailed extends DeviceError {
  readonly retryable = false;
  constructor(device: string, username: string, detail = 'the device refused the credentials') {
    super(device, `authentication as '${username}' failed: ${detail}`, 'Check the credential set and the secret it references; retrying will not help and may lock the account.');
  }
}

export class HostKeyMismatch extends DeviceError {
  readonly retryable = false;
  constructor(
    device: string,
    readonly expected: string,
    readonly presented: string,
  ) {
    super(device, `host key mismatch: expected ${expected}, device presented ${presented}`, 'Someone may be intercepting the connection, or the device was replaced; verify the key out of band, then update the pinned hostKey or known_hosts.');
  }
}

export class UnknownHostKey extends DeviceError {
  readonly retryable = false;
  constructor(device: string, presented: string) {
    super(device, `no known host key for this device (it presented ${presented})`, "Pin the key in the inventory (hostKey), add it to known_hosts, or set hostKeyCheck: 'tofu' to trust it on first use.");
  }
}

export class CommandRejected extends DeviceError {
  readonly retryable = false;
  readonly command: string;
  readonly output: string;
  constructor(device: string, command: string, output: string) {
    const cmd = redactSecrets(command);
    const out = redactSecrets(output);
    super(device, `command rejected: '${cmd}': ${firstLine(out)}`, 'Fix the command or configuration line for this platform; nothing after it was sent.');
    this.command = cmd;
    this.output = out;
  }
}

/**
 * Configuration lines can carry secrets (`username x secret 9 ...`,
 * `neighbor ... password ...`, `key-string ...`), and a library's error can
 * quote a header or a URL (`API-Key: ...`, `Bearer ...`, `password=...`);
 * errors quote such text, so the value after such a keyword is masked before
 * it reaches any message.
 */
export function redactSecrets(text: string): string {
  return text.replace(/\b(secret|password|passphrase|key-string|key|community|authentication-key|authentication text|bearer|token)(\s+\d{1,2})?(?:\s*[:=]\s*|\s+)\S+/gi, '$1$2 <redacted>');
}

export class NotEnoughSpace extends DeviceError {
  readonly retryable = false;
  constructor(
    device: string,
    readonly needed: number,
    readonly free: number,
    readonly fileSystem: string,
    deviceSaid?: string,
  ) {
    super(device, deviceSaid ? `not enough space on ${fileSystem}: ${deviceSaid}` : `not enough space on ${fileSystem}: need ${needed} bytes, ${free} free`, `Delete old images from ${fileSystem} (for example 'delete ${fileSystem}OLD.bin') and stage again.`);
  }
}

export class HashMismatch extends DeviceError {
  /** A corrupt copy is worth staging again; a wrong expected hash is not. */
  constructor(
    device: string,
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
    readonly retryable: boolean = true,
  ) {
    super(device, `hash mismatch for ${file}: expected ${expected}, device computed ${actual}`, retryable ? 'The copy was corrupted in transit; it will be deleted and staged again.' : 'The image does not match the expected hash; check the image file and the hash in the rollout input.');
  }
}

export class Unreachable extends DeviceError {
  readonly retryable = true;
  constructor(device: string, address: string, detail: string) {
    super(device, `cannot reach ${address}: ${detail}`, 'Check the address, routing and that SSH is enabled on the device; it will be retried.');
  }
}

export class TimedOut extends DeviceError {
  readonly retryable = true;
  constructor(
    device: string,
    readonly phase: TimeoutPhase,
    readonly ms: number,
    detail?: string,
  ) {
    super(device, `timed out after ${ms} ms during ${phase}${detail ? ` (${redactSecrets(detail)})` : ''}`, HINTS[phase]);
  }
}

export class SessionClosed extends DeviceError {
  readonly retryable = true;
  constructor(device: string, detail: string) {
    super(device, `the SSH session closed unexpectedly: ${detail}`, 'The device may be reloading or dropped the session; it will be retried.');
  }
}

/**
 * A config push's rollback could not put the device back: its restore point
 * is missing, or the running configuration still differs from it after the
 * difference was sent. `left` holds the lines that still differ.
 */
export class RollbackFailed extends DeviceError {
  readonly retryable = false;
  constructor(
    device: string,
    detail: string,
    hint: string,
    readonly left: string[] = [],
  ) {
    super(device, `rollback failed: ${redactSecrets(detail)}`, hint);
  }
}

export class RedundancyNotConfirmed extends DeviceError {
  readonly retryable = true;
  constructor(device: string, detail: string) {
    super(device, `the peer did not become active: ${detail}`, "Check that the peer is up and has 'preempt' configured; this member's priority stays lowered until restorePriority runs.");
  }
}

export class WrongVersion extends DeviceError {
  readonly retryable = false;
  constructor(device: string, expected: string, actual: string) {
    super(device, `came back running ${actual}, expected ${expected}`, 'Check the boot variable and that the image was staged and verified; the device may have fallen back to its previous image.');
  }
}

/** One line of a device's table that a parser could not read, as the device printed it. */
export interface UnreadableLine {
  line: string;
  reason: string;
}

/**
 * A parser met lines it cannot read in a table a decision rests on (redundancy
 * groups, BGP neighbours, interfaces, the version). Parsers know neither the
 * device nor the command, so operations turn this into UnreadableOutput.
 * `partial` holds the rows that were read, for callers that report rather
 * than act (collection).
 */
export class ParseProblem extends Error {
  readonly retryable = false;
  constructor(
    readonly table: string,
    readonly lines: UnreadableLine[],
    readonly partial: unknown[] = [],
  ) {
    super(`${table}: ${lines.length} line(s) not understood: ${lines.slice(0, 3).map((l) => `'${l.line.trim()}' (${l.reason})`).join('; ')}`);
    this.name = 'ParseProblem';
  }
}

export class UnreadableOutput extends DeviceError {
  readonly retryable = false;
  readonly lines: UnreadableLine[];
  constructor(device: string, command: string, problem: ParseProblem) {
    const quoted = problem.lines.slice(0, 3).map((l) => `'${redactSecrets(l.line.trim())}' (${l.reason})`).join('; ');
    const more = problem.lines.length > 3 ? ` and ${problem.lines.length - 3} more` : '';
    super(
      device,
      `cannot read the ${problem.table} in the output of '${command}': ${quoted}${more}`,
      `Nothing was changed: netops does not act on a table it cannot read completely. Run '${command}' on the device, check the quoted line(s), and report them with the full output so the parser learns the format; retrying will not help.`,
    );
    this.lines = problem.lines;
  }
}

const HINTS: Record<TimeoutPhase, string> = {
  connect: 'The TCP connection did not open; check reachability and ACLs on port 22.',
  banner: 'TCP opened but the SSH handshake stalled; the device may be overloaded or the vty lines exhausted.',
  auth: 'The device did not answer authentication; check AAA servers (TACACS/RADIUS) reachability.',
  command: 'The command did not finish; it may be slow (raise the timeout) or the prompt was not recognised.',
  idle: 'The device stopped sending output mid-command; the session is considered hung.',
};

function firstLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  let line = lines.find((l) => l.startsWith('%')) ?? text.trim().split(/\r?\n/)[0] ?? '';
  // FRR's validation errors say why on a later line: `% Configuration failed.` ... `Error description: ...`.
  const why = lines.find((l) => /^Error description:/i.test(l));
  if (why) line = `${line} ${why}`;
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

export function isDeviceError(err: unknown): err is DeviceError {
  return err instanceof DeviceError;
}
