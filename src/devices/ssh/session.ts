import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { AuthenticationFailed, CommandRejected, SessionClosed, TimedOut, redactSecrets, type DeviceError } from '../errors';
import { dialectFor, type Dialect, type Dialog } from '../platforms';
import { openClient } from './connect';
import { genericPrompt, normalise, promptPattern, stripEchoAndPrompt, trailingPrompt } from './prompt';
import { DEFAULT_TIMEOUTS, silentLogger, type ResolvedCredentials, type SessionLogger, type SessionOptions, type SessionTarget, type SessionTimeouts } from './types';

export interface RunOptions {
  timeoutMs?: number;
  idleMs?: number;
  /** Throw CommandRejected when the device refuses the command (default true). */
  check?: boolean;
  /** Extra questions to answer (on top of the platform's). */
  dialogs?: Dialog[];
  saveConfig?: boolean;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

const PAGER = /\s*--More--\s*$|<--- More --->\s*$/;
const ENABLE_PASSWORD: Dialog = { pattern: /Password:\s*$/i, answer: () => '' };

/**
 * One SSH connection to one device: an interactive shell for CLI commands
 * (prompt-aware, paging off), plus exec channels and SFTP on the same
 * connection. Any timeout closes the session, because after a timeout the
 * shell is in an unknown state and must not be reused.
 */
export class DeviceSession {
  readonly dialect: Dialect;
  private buffer = '';
  private notify: (() => void) | undefined;
  private closedReason: DeviceError | undefined;
  private pattern: RegExp = /$^/;
  private host = '';
  /** The prompt the device showed last, e.g. `r1(config)#`. */
  prompt = '';

  private constructor(
    readonly target: SessionTarget,
    private readonly client: Client,
    private readonly shell: ClientChannel,
    readonly timeouts: SessionTimeouts,
    private readonly logger: SessionLogger,
    private readonly creds: ResolvedCredentials,
  ) {
    this.dialect = dialectFor(target.platform);
    shell.on('data', (d: Buffer) => this.push(d.toString('utf8')));
    shell.stderr.on('data', (d: Buffer) => this.push(d.toString('utf8')));
    shell.on('close', () => this.markClosed(new SessionClosed(target.name, 'the device closed the shell')));
    client.on('error', (err: Error & { level?: string }) => {
      this.markClosed(err.level === 'client-timeout' ? new TimedOut(target.name, 'idle', timeouts.keepaliveIntervalMs * timeouts.keepaliveCountMax, 'keepalives unanswered') : new SessionClosed(target.name, err.message));
    });
    client.on('close', () => this.markClosed(new SessionClosed(target.name, 'the connection closed')));
  }

  static async open(target: SessionTarget, creds: ResolvedCredentials, opts: SessionOptions = {}): Promise<DeviceSession> {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    const logger = opts.logger ?? silentLogger;
    const client = await openClient(target, creds, timeouts, logger);
    try {
      const shell = await new Promise<ClientChannel>((resolve, reject) => {
        const timer = setTimeout(() => reject(new TimedOut(target.name, 'command', timeouts.commandMs, 'opening the shell')), timeouts.commandMs);
        client.shell({ term: 'vt100', cols: 511, rows: 24 }, (err, ch) => {
          clearTimeout(timer);
          if (err) reject(new SessionClosed(target.name, `the device refused a shell: ${err.message}`));
          else resolve(ch);
        });
      });
      const session = new DeviceSession(target, client, shell, timeouts, logger, creds);
      await session.learnPrompt();
      for (const cmd of session.dialect.sessionSetup) await session.run(cmd, { check: false });
      if (opts.autoEnable !== false && creds.enableSecret) await session.enable();
      return session;
    } catch (err) {
      client.end();
      throw err;
    }
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  get configMode(): boolean {
    return /\(config[^)]*\)/.test(this.prompt);
  }

  /** Runs one CLI command and returns its output without echo and prompt. */
  async run(command: string, opts: RunOptions = {}): Promise<string> {
    const { raw } = await this.converse(command, opts, false);
    const output = stripEchoAndPrompt(raw, command, this.pattern);
    if (opts.check !== false && this.dialect.rejection.test(output)) throw new CommandRejected(this.target.name, command, output.trim());
    return output;
  }

  /** Enters privileged mode when the prompt ends in `>`; a refused secret is an authentication failure. */
  async enable(): Promise<void> {
    if (!this.dialect.hasEnable || !this.prompt.endsWith('>')) return;
    const secret = this.creds.enableSecret ?? this.creds.password ?? '';
    const dialog: Dialog = { pattern: ENABLE_PASSWORD.pattern, answer: () => secret };
    await this.converse('enable', { dialogs: [dialog] }, false);
    if (!this.prompt.endsWith('#')) throw new AuthenticationFailed(this.target.name, this.creds.username, 'the enable secret was refused');
  }

  /**
   * Sends configuration lines one by one and stops at the first one the
   * device refuses, leaving config mode and reporting the device's words.
   */
  async configure(lines: string[], opts: RunOptions = {}): Promise<string[]> {
    await this.enable();
    await this.run('configure terminal', opts);
    const outputs: string[] = [];
    const refused = this.dialect.configRejection ?? this.dialect.rejection;
    try {
      for (const line of lines) {
        if (line.trim() === '' || line.trim().startsWith('!')) continue;
        // A new hostname changes the prompt from the next line on: accept both.
        const rename = /^hostname\s+(\S+)/.exec(line.trim());
        if (rename) this.pattern = promptPattern(this.host, rename[1]!);
        const out = await this.run(line, { ...opts, check: false });
        if (rename && !refused.test(out)) {
          this.host = rename[1]!;
          this.pattern = promptPattern(this.host);
        }
        if (refused.test(out)) throw new CommandRejected(this.target.name, line.trim(), out.trim());
        outputs.push(out);
      }
    } finally {
      if (!this.closed && this.configMode) await this.run('end', { check: false });
    }
    return outputs;
  }

  /**
   * Reloads the device, answering its questions. The session dying after we
   * confirmed is the expected outcome; a prompt coming back means the device
   * refused to reload.
   */
  async reload(opts: { saveConfig: boolean; timeoutMs?: number }): Promise<void> {
    await this.enable();
    const { raw, closed, answered } = await this.converse(this.dialect.commands.reload, { saveConfig: opts.saveConfig, timeoutMs: opts.timeoutMs ?? this.timeouts.commandMs }, true);
    if (closed) return;
    if (answered > 0) {
      // Some devices print the prompt once more before going down; wait briefly for the close.
      if (await this.waitClosed(Math.min(5_000, this.timeouts.commandMs))) return;
    }
    throw new CommandRejected(this.target.name, this.dialect.commands.reload, stripEchoAndPrompt(raw, this.dialect.commands.reload, this.pattern).trim() || 'the device did not reload');
  }

  /** Runs a command on a separate exec channel (where the platform allows). */
  exec(command: string, opts: { timeoutMs?: number; idleMs?: number } = {}): Promise<ExecResult> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    const timeoutMs = opts.timeoutMs ?? this.timeouts.commandMs;
    return new Promise<ExecResult>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      let stream: ClientChannel | undefined;
      const fail = (err: DeviceError): void => {
        clearTimeout(timer);
        clearTimeout(idle);
        stream?.close();
        reject(err);
      };
      const timer = setTimeout(() => fail(new TimedOut(this.target.name, 'command', timeoutMs, command)), timeoutMs);
      let idle = setTimeout(() => undefined, 0);
      const touch = (): void => {
        clearTimeout(idle);
        idle = setTimeout(() => fail(new TimedOut(this.target.name, 'idle', opts.idleMs ?? this.timeouts.idleMs, command)), opts.idleMs ?? this.timeouts.idleMs);
      };
      touch();
      this.client.exec(command, (err, ch) => {
        if (err) return fail(new SessionClosed(this.target.name, `exec refused: ${err.message}`));
        stream = ch;
        ch.on('data', (d: Buffer) => {
          stdout += d.toString('utf8');
          touch();
        });
        ch.stderr.on('data', (d: Buffer) => {
          stderr += d.toString('utf8');
          touch();
        });
        let code: number | null = null;
        ch.on('exit', (c: number | null) => {
          code = c;
        });
        ch.on('close', () => {
          clearTimeout(timer);
          clearTimeout(idle);
          resolve({ stdout: normalise(stdout), stderr: normalise(stderr), code });
        });
      });
    });
  }

  /** An exec channel for protocols that stream (SCP). */
  execChannel(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, ch) => (err ? reject(new SessionClosed(this.target.name, `exec refused: ${err.message}`)) : resolve(ch)));
    });
  }

  sftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => (err ? reject(new SessionClosed(this.target.name, `SFTP refused: ${err.message}`)) : resolve(sftp)));
    });
  }

  close(): void {
    this.markClosed(new SessionClosed(this.target.name, 'the session was closed'));
    this.shell.close();
    this.client.end();
    // A device that ignores our close must not hold the socket open.
    setTimeout(() => this.client.destroy(), 1_000).unref();
  }

  private push(text: string): void {
    this.buffer += text;
    this.notify?.();
  }

  private markClosed(reason: DeviceError): void {
    if (!this.closedReason) this.closedReason = reason;
    this.notify?.();
  }

  private waitClosed(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(true);
      const timer = setTimeout(() => {
        this.notify = undefined;
        resolve(this.closed);
      }, ms);
      this.notify = () => {
        if (this.closed) {
          clearTimeout(timer);
          this.notify = undefined;
          resolve(true);
        }
      };
    });
  }

  /** Waits for more output; rejects on overall or idle timeout. */
  private waitForData(deadline: number, idleMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const remaining = deadline - Date.now();
      const useIdle = idleMs < remaining;
      const ms = Math.max(0, useIdle ? idleMs : remaining);
      const timer = setTimeout(() => {
        this.notify = undefined;
        const err = new TimedOut(this.target.name, useIdle ? 'idle' : 'command', useIdle ? idleMs : ms, what);
        this.logger.warn({ device: this.target.name, phase: err.phase, command: redactSecrets(what) }, 'command timed out; closing the session');
        this.close();
        reject(err);
      }, ms);
      this.notify = () => {
        clearTimeout(timer);
        this.notify = undefined;
        resolve();
      };
    });
  }

  private async learnPrompt(): Promise<void> {
    const deadline = Date.now() + this.timeouts.commandMs;
    let candidate: string | undefined;
    let nudged = 0;
    for (;;) {
      const seen = genericPrompt(this.buffer);
      if (seen && seen.host === candidate) {
        this.host = seen.host;
        this.pattern = promptPattern(seen.host);
        this.prompt = seen.line;
        this.buffer = '';
        return;
      }
      if (seen && nudged < 5) {
        // Confirm by asking for a fresh prompt: MOTD text cannot answer a newline.
        candidate = seen.host;
        nudged++;
        this.buffer = '';
        this.shell.write('\n');
      }
      if (this.closedReason) throw this.closedReason;
      await this.waitForData(deadline, Math.min(this.timeouts.idleMs, deadline - Date.now()), 'waiting for the first prompt');
    }
  }

  private async converse(command: string, opts: RunOptions, expectClose: boolean): Promise<{ raw: string; closed: boolean; answered: number }> {
    if (this.closedReason) throw this.closedReason;
    const timeoutMs = opts.timeoutMs ?? this.timeouts.commandMs;
    const idleMs = opts.idleMs ?? this.timeouts.idleMs;
    const deadline = Date.now() + timeoutMs;
    const dialogs = [...(opts.dialogs ?? []), ...this.dialect.dialogs];
    this.buffer = '';
    this.shell.write(`${command}\n`);
    let scanFrom = 0;
    let answered = 0;
    for (;;) {
      if (PAGER.test(this.buffer)) {
        this.buffer = this.buffer.replace(PAGER, '\n');
        this.shell.write(' ');
      }
      const tail = normalise(this.buffer.slice(scanFrom));
      const dialog = dialogs.find((d) => d.pattern.test(tail));
      if (dialog) {
        scanFrom = this.buffer.length;
        answered++;
        this.shell.write(`${dialog.answer({ saveConfig: opts.saveConfig ?? false })}\n`);
      } else {
        const text = normalise(this.buffer);
        const prompt = text.includes('\n') ? trailingPrompt(text, this.pattern) : undefined;
        if (prompt) {
          this.prompt = prompt;
          return { raw: this.buffer, closed: false, answered };
        }
      }
      if (this.closedReason) {
        if (expectClose) return { raw: this.buffer, closed: true, answered };
        throw this.closedReason;
      }
      try {
        await this.waitForData(deadline, idleMs, command);
      } catch (err) {
        // A reload that was confirmed and then went silent is a device going down.
        if (expectClose && answered > 0) return { raw: this.buffer, closed: true, answered };
        throw err;
      }
    }
  }
}
