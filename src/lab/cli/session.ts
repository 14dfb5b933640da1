import { type ConfigContext, applyConfigLine, contextPrompt } from '../config-apply';
import type { LabDevice } from '../device';
import type { EventLog, MutatingReason } from '../events';
import type { Fabric } from '../fabric';
import type { LabCredentials, LabTimings } from '../types';
import { type CommandSpec, RejectArg, matchCommand, parsePipe, tokenize } from './grammar';

/** How a CLI session talks to its SSH channel. */
export interface SessionIO {
  write(text: string): void;
  /** Ends the channel normally (exit, logout, end of an exec command). */
  end(exitCode?: number): void;
  /** Tears the whole connection down abruptly (fault injection). */
  drop(): void;
}

/**
 * The commands a session understands, injected by whoever opens the session
 * (the SSH server, a test), so the session never imports the table that
 * itself drives sessions.
 */
export interface CommandTable {
  /** Exec-mode (and user-mode) commands; more keywords win over fewer. */
  exec: ReadonlyArray<CommandSpec<CliSession>>;
  /** Config-mode commands that need a dialogue (a question, a delay) rather than a config line. */
  config: ReadonlyArray<CommandSpec<CliSession>>;
}

/** Lab services a session needs beyond its own device. */
export interface SessionHost {
  commands: CommandTable;
  timings: LabTimings;
  log: EventLog;
  credentials: LabCredentials;
  /** Members of the device's redundancy group (itself included). */
  peersOf(device: LabDevice): LabDevice[];
  /** The lab's cabling: vPC domains, neighbours, port channels (absent: a device with no links). */
  fabric?: Fabric;
  /** Marks the session as one that changes the device (idempotent). */
  markMutating(reason: MutatingReason): void;
}

type Mode = { mode: 'user' } | { mode: 'exec' } | ConfigContext;

interface Question {
  single: boolean;
  hidden: boolean;
  resolve: (answer: string) => void;
}

// Unref'd: a fault's pending delay must not keep the process alive after lab.stop().
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * One CLI session on one device: an interactive shell (echo, prompts, paging,
 * config modes, questions like `[confirm]`) or a single exec-channel command.
 */
export class CliSession {
  mode: Mode;
  termLength: number;
  private line = '';
  private lastWasCr = false;
  private question: Question | undefined;
  private pager: ((key: string) => void) | undefined;
  private busy = false;
  private typeAhead = '';
  private closed = false;
  private dropPending = false;

  constructor(
    readonly device: LabDevice,
    readonly host: SessionHost,
    readonly io: SessionIO,
    readonly id: string,
    readonly interactive: boolean,
  ) {
    const startsPrivileged = !interactive || device.platform !== 'iosxe';
    this.mode = startsPrivileged ? { mode: 'exec' } : { mode: 'user' };
    // Only IOS-XE and NX-OS page by default; exec channels never do.
    this.termLength = interactive && device.platform !== 'frr' ? 24 : 0;
  }

  get platform() {
    return this.device.platform;
  }

  prompt(): string {
    const h = this.device.hostname;
    switch (this.mode.mode) {
      case 'user':
        return `${h}>`;
      case 'exec':
        // NX-OS and vtysh put a space after the '#'; IOS does not.
        return this.platform === 'iosxe' ? `${h}#` : `${h}# `;
      default:
        return this.platform === 'iosxe' ? `${h}${contextPrompt(this.mode)}#` : `${h}${contextPrompt(this.mode)}# `;
    }
  }

  /** Shell start: MOTD banner then the first prompt. */
  async start(): Promise<void> {
    const slow = this.device.fault('slow-banner');
    if (slow) await sleep(slow.delayMs ?? this.host.timings.slowBannerMs);
    if (this.closed) return;
    this.io.write(banner(this.device).join('\r\n') + '\r\n');
    this.io.write(this.prompt());
  }

  close(): void {
    this.closed = true;
  }

  /** Runs the command of an exec channel, then ends the channel. */
  async runExec(command: string): Promise<void> {
    this.busy = true;
    const ok = await this.execute(command, 0);
    this.busy = false;
    if (!this.closed) this.io.end(ok ? 0 : 1);
  }

  /** Raw bytes typed by the client. */
  onData(chunk: string): void {
    for (const ch of chunk) this.onChar(ch);
  }

  private onChar(ch: string): void {
    if (this.closed) return;
    if (this.pager) {
      const p = this.pager;
      this.pager = undefined;
      p(ch);
      return;
    }
    if (this.question?.single) {
      if (ch === '\n' && this.lastWasCr) return;
      this.lastWasCr = ch === '\r';
      const q = this.question;
      this.question = undefined;
      if (this.interactive) this.io.write(ch === '\r' || ch === '\n' ? '\r\n' : `${ch}\r\n`);
      q.resolve(ch === '\r' || ch === '\n' ? '' : ch);
      return;
    }
    if (this.busy && !this.question) {
      this.typeAhead += ch;
      return;
    }
    if (ch === '\n' && this.lastWasCr) {
      this.lastWasCr = false;
      return;
    }
    this.lastWasCr = ch === '\r';
    if (ch === '\r' || ch === '\n') {
      const line = this.line;
      this.line = '';
      if (this.interactive) this.io.write('\r\n');
      if (this.question) {
        const q = this.question;
        this.question = undefined;
        q.resolve(line);
      } else void this.runLine(line);
      return;
    }
    if (ch === '\x7f' || ch === '\b') {
      if (this.line.length > 0) {
        this.line = this.line.slice(0, -1);
        if (this.interactive && !this.question?.hidden) this.io.write('\b \b');
      }
      return;
    }
    if (ch === '\x1a' || ch === '\x03') {
      // Ctrl-Z leaves config mode; Ctrl-C abandons the line.
      this.line = '';
      if (ch === '\x1a' && this.mode.mode !== 'exec' && this.mode.mode !== 'user') this.mode = { mode: 'exec' };
      if (this.interactive) this.io.write(`\r\n${this.prompt()}`);
      return;
    }
    if (ch < ' ' && ch !== '\t') return;
    this.line += ch;
    if (this.interactive && !this.question?.hidden) this.io.write(ch);
  }

  private async runLine(line: string): Promise<void> {
    this.busy = true;
    await this.execute(line, this.prompt().length);
    this.busy = false;
    if (this.closed) return;
    this.io.write(this.prompt());
    const pending = this.typeAhead;
    this.typeAhead = '';
    if (pending) this.onData(pending);
  }

  /** Asks a question and waits for the answer (a line, or one key when `single`). */
  ask(prompt: string, opts: { single?: boolean; hidden?: boolean } = {}): Promise<string> {
    this.io.write(prompt);
    return new Promise((resolve) => {
      this.question = { single: opts.single ?? false, hidden: opts.hidden ?? false, resolve };
      if (this.typeAhead) {
        const t = this.typeAhead;
        this.typeAhead = '';
        this.onData(t);
      }
    });
  }

  /** Prints lines, paging with ` --More-- ` when the terminal length asks for it. */
  async print(lines: string[]): Promise<void> {
    if (this.dropPending) {
      const text = lines.map((l) => `${l}\r\n`).join('');
      this.io.write(text.slice(0, Math.floor(text.length / 2)));
      this.dropNow();
      return;
    }
    const page = this.termLength > 0 ? this.termLength - 1 : Infinity;
    let i = 0;
    let budget = page;
    while (i < lines.length) {
      if (this.closed) return;
      const n = Math.min(budget, lines.length - i);
      this.io.write(lines.slice(i, i + n).map((l) => `${l}\r\n`).join(''));
      i += n;
      budget -= n;
      if (i >= lines.length) return;
      if (budget <= 0) {
        const more = this.platform === 'nxos' ? '--More--' : ' --More-- ';
        this.io.write(more);
        const key = await new Promise<string>((resolve) => {
          this.pager = resolve;
          if (this.typeAhead) {
            const t = this.typeAhead;
            this.typeAhead = '';
            this.onData(t);
          }
        });
        this.io.write(`${'\b'.repeat(more.length)}${' '.repeat(more.length)}${'\b'.repeat(more.length)}`);
        if (key === ' ') budget = page;
        else if (key === '\r' || key === '\n') budget = 1;
        else return;
      }
    }
  }

  /** Prints the platform's error for a rejected line; `at` is the offending column in the line. */
  invalid(line: string, at: number, promptLen: number): void {
    if (this.platform === 'frr') {
      this.io.write(`% Unknown command: ${line.trim()}\r\n`);
      return;
    }
    const marker = this.platform === 'nxos' ? "% Invalid command at '^' marker." : "% Invalid input detected at '^' marker.";
    this.io.write(`${' '.repeat(promptLen + at)}^\r\n${marker}\r\n\r\n`);
  }

  incomplete(line: string): void {
    if (this.platform === 'frr') this.io.write(`% Command incomplete: ${line.trim()}\r\n`);
    else if (this.platform === 'nxos') this.io.write(`% Incomplete command at '^' marker.\r\n`);
    else this.io.write('% Incomplete command.\r\n\r\n');
  }

  /** Runs one line in the current mode; false when the device rejected it. */
  async execute(line: string, promptLen: number): Promise<boolean> {
    const trimmed = line.trim();
    if (!trimmed) return true;
    this.host.log.emit({ type: 'command', device: this.device.name, session: this.id, command: trimmed });
    const proceed = await this.applyCommandFaults(trimmed);
    if (!proceed) return false;
    if (this.host.timings.commandLatencyMs > 0) await sleep(this.host.timings.commandLatencyMs);
    if (this.closed) return false;
    const inConfig = this.mode.mode !== 'exec' && this.mode.mode !== 'user';
    const ok = inConfig ? ((await this.configDialogue(line, promptLen)) ?? this.configLine(line, promptLen)) : await this.execLine(line, promptLen);
    if (this.dropPending) this.dropNow();
    return ok && !this.closed;
  }

  private dropNow(): void {
    this.dropPending = false;
    this.closed = true;
    this.io.drop();
  }

  private async applyCommandFaults(cmd: string): Promise<boolean> {
    const d = this.device;
    const matches = (m?: string) => !m || cmd.includes(m);
    const slow = d.fault('slow-command');
    if (slow && matches(slow.match)) await sleep(slow.delayMs ?? this.host.timings.slowCommandMs);
    const hang = d.fault('hang-command');
    if (hang && matches(hang.match)) {
      this.host.log.emit({ type: 'fault', device: d.name, fault: 'hang-command', action: 'fired', detail: cmd });
      await new Promise<void>(() => undefined);
    }
    const drop = d.fault('drop-mid-command');
    if (drop && matches(drop.match)) {
      this.host.log.emit({ type: 'fault', device: d.name, fault: 'drop-mid-command', action: 'fired', detail: cmd });
      // The command runs; its output is cut half-way (see print), or right after it when it prints nothing.
      this.dropPending = true;
    }
    return !this.closed;
  }

  private configLine(line: string, promptLen: number): boolean {
    const ctx = this.mode as ConfigContext;
    const before = JSON.stringify(this.device.running);
    const r = applyConfigLine(this.platform, this.device.running, ctx, line);
    if (!r.ok) {
      if (r.error === 'incomplete') this.incomplete(line);
      else if (r.error === 'message') this.io.write(`${r.text}\r\n`);
      else this.invalid(line, r.at, promptLen);
      return false;
    }
    this.mode = r.next === 'exec' ? { mode: 'exec' } : r.next;
    if (JSON.stringify(this.device.running) !== before) {
      this.host.log.emit({ type: 'config.change', device: this.device.name, session: this.id, line: line.trim() });
      this.device.configChanged();
    }
    return true;
  }

  /** A config-mode command from the table (global config only); undefined when the line is an ordinary config line. */
  private async configDialogue(line: string, promptLen: number): Promise<boolean | undefined> {
    if (this.mode.mode !== 'config') return undefined;
    const toks = tokenize(line);
    const specs = this.host.commands.config.filter((c) => c.platforms.includes(this.platform));
    const m = matchCommand(specs, toks, line.trimEnd().length);
    if (m.kind !== 'ok') return undefined;
    return this.runSpec(m.spec, m.args, line, line, promptLen);
  }

  private async execLine(line: string, promptLen: number): Promise<boolean> {
    const pipe = parsePipe(line);
    if (pipe.error !== undefined) {
      this.invalid(line, pipe.error, promptLen);
      return false;
    }
    const toks = tokenize(pipe.command);
    const specs = this.host.commands.exec.filter((c) => c.platforms.includes(this.platform) && (this.mode.mode !== 'user' || !c.privileged));
    const m = matchCommand(specs, toks, pipe.command.trimEnd().length);
    if (m.kind === 'invalid') {
      this.invalid(line, m.at, promptLen);
      return false;
    }
    if (m.kind !== 'ok') {
      this.incomplete(line);
      return false;
    }
    const session = pipe.filter ? this.filtered(pipe.filter) : this;
    return session.runSpec(m.spec, m.args, pipe.command, line, promptLen);
  }

  private async runSpec(spec: CommandSpec<CliSession>, args: Parameters<CommandSpec<CliSession>['run']>[1], command: string, line: string, promptLen: number): Promise<boolean> {
    try {
      await spec.run(this, args, command);
      return true;
    } catch (e) {
      if (e instanceof RejectArg) {
        this.invalid(line, e.at ?? command.trimEnd().length, promptLen);
        return false;
      }
      throw e;
    }
  }

  /** A view of this session whose `print` filters lines (for `| include`). */
  private filtered(filter: (lines: string[]) => string[]): CliSession {
    const view = Object.create(this) as CliSession;
    view.print = (lines: string[]) => this.print(filter(lines));
    return view;
  }

  /** Leaves config mode (for commands that must run from exec mode). */
  enterConfig(): void {
    this.host.markMutating('config');
    this.mode = { mode: 'config' };
  }
}

function banner(d: LabDevice): string[] {
  if (d.platform === 'nxos') {
    return ['', 'Cisco Nexus Operating System (NX-OS) Software', 'TAC support: http://www.cisco.com/tac', 'Copyright (C) 2002-2026, Cisco and/or its affiliates.', 'All rights reserved.', ''];
  }
  if (d.platform === 'frr') {
    return ['', `Hello, this is FRRouting (version ${d.version}).`, 'Copyright 1996-2005 Kunihiro Ishiguro, et al.', ''];
  }
  return ['', '*****************************************************', `* ${d.hostname}: authorised access only (netops lab) *`, '*****************************************************', ''];
}
