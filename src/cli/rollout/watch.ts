import { WorkflowNotFoundError, type Connection } from '@temporalio/client';
import { SingleBar } from 'cli-progress';
import type { RolloutProgress, RolloutReport } from '../../contracts/rollout';
import { CliError, ExitCode } from '../shared/cli-error';
import { RolloutNotFound, type NetopsClient } from '../../client/netops-client';
import { untilInterrupted } from '../shared/process-signals';
import { progressLine, renderNextSteps, renderReport } from './render';
import { isUnreachable, reconnectPolicyFor, type ReconnectPolicy } from '../shared/temporal-connection';

export interface WatchOptions {
  intervalMs?: number;
  /** Plain lines even on a terminal (for logs and pipes). */
  plain?: boolean;
  out?: NodeJS.WriteStream;
  /** Stop waiting when this resolves (Ctrl-C). */
  until?: Promise<unknown>;
  onProgress?: (p: RolloutProgress) => void;
  /** Connection flags for the printed commands (`connectionFlags`), so they reach this server. */
  hintFlags?: string;
  /** Where the server is and how long to keep trying when it is lost; default: what connectClient recorded. */
  reconnect?: ReconnectPolicy;
}

/** One poll's calls may take this long; gRPC would otherwise retry an unreachable server for about 20 s before saying so. */
const POLL_DEADLINE_MS = 10_000;

/**
 * Follows a rollout until it ends: a progress bar on a terminal, one line per
 * device change otherwise, and the final report. Returns undefined when
 * interrupted before the end. A lost server is waited for (with a note when it
 * goes and when it is back) until the reconnect policy gives up: then a
 * CliError with exit code 3, never the code of a failed rollout.
 */
export async function watchRollout(netops: NetopsClient, name: string, opts: WatchOptions = {}): Promise<RolloutReport | undefined> {
  const out = opts.out ?? process.stderr;
  const tty = Boolean(out.isTTY) && !opts.plain;
  const interval = opts.intervalMs ?? 1000;
  let interrupted = false;
  void opts.until?.then(() => (interrupted = true));
  const seen = new Map<string, string>();
  let lastLine = '';
  let lastSteps = '';
  let bar: SingleBar | undefined;
  const connection = netops.client.connection as Connection;
  const outage = new Outage(name, opts.reconnect ?? reconnectPolicyFor(connection), (line) => {
    if (bar?.isActive) bar.stop();
    out.write(`${line}\n`);
  });
  const withinDeadline = <T>(fn: () => Promise<T>): Promise<T> =>
    typeof connection.withDeadline === 'function' ? connection.withDeadline(Date.now() + POLL_DEADLINE_MS, fn) : fn();

  try {
    for (;;) {
      if (interrupted) return undefined;
      let running: boolean;
      let p: RolloutProgress | undefined;
      try {
        ({ running, p } = await withinDeadline(async () => {
          const described = await netops
            .handle(name)
            .describe()
            .catch((err: unknown) => {
              // Without this, watching a typo'd name fails as a generic error instead of "no rollout named ...".
              throw err instanceof WorkflowNotFoundError ? new RolloutNotFound(name) : err;
            });
          if (described.status.name !== 'RUNNING') return { running: false, p: undefined };
          // Between runs (continue-as-new) or with no worker yet the query fails: try again next time.
          return { running: true, p: await netops.progress(name).catch(() => undefined) };
        }));
      } catch (err) {
        outage.failed(err);
        await Promise.race([new Promise((r) => setTimeout(r, interval)), opts.until ?? new Promise(() => undefined)]);
        continue;
      }
      outage.answered();
      if (!running) break;
      if (p) {
        opts.onProgress?.(p);
        // Blocked, gated or out of budget: say once (and again when it changes) what the operator can type.
        const steps = renderNextSteps(p, opts.hintFlags);
        if (steps !== lastSteps && steps) {
          if (bar?.isActive) bar.stop();
          out.write(`${progressLine(p)}\nWhat to do:\n${steps}`);
        }
        lastSteps = steps;
        if (tty) {
          bar ??= new SingleBar({ format: ' {bar} {value}/{total} | {line}', hideCursor: true, stream: out, clearOnComplete: false }, undefined);
          if (!bar.isActive) bar.start(p.total, 0, { line: '' });
          bar.setTotal(p.total);
          bar.update(p.done + p.failed + p.skipped, { line: progressLine(p) });
        } else {
          for (const d of p.devices) {
            const key = `${d.state}/${d.outcome ?? ''}/${d.attempts}`;
            if (seen.get(d.name) === key || (d.state === 'pending' && !seen.has(d.name))) {
              seen.set(d.name, seen.get(d.name) ?? key);
              continue;
            }
            seen.set(d.name, key);
            const detail = d.error ? ` (${d.error.type}: ${d.error.message})` : '';
            out.write(`${d.name}: ${d.outcome ?? d.state}${detail}\n`);
          }
          const line = progressLine(p);
          if (line !== lastLine) out.write(`${line}\n`);
          lastLine = line;
        }
      }
      await Promise.race([new Promise((r) => setTimeout(r, interval)), opts.until ?? new Promise(() => undefined)]);
    }
    for (;;) {
      try {
        const report = await netops.result(name);
        outage.answered();
        return report;
      } catch (err) {
        outage.failed(err);
        await new Promise((r) => setTimeout(r, interval));
      }
    }
  } finally {
    bar?.stop();
  }
}

/**
 * The watch's view of the server: notes when it goes and comes back, and the
 * exit-3 error once it has been gone longer than the policy allows. Errors
 * that are answers (no such rollout, permission denied) pass through.
 */
class Outage {
  private since: number | undefined;

  constructor(
    private readonly name: string,
    private readonly policy: ReconnectPolicy,
    private readonly note: (line: string) => void,
  ) {}

  failed(err: unknown): void {
    if (!isUnreachable(err)) throw err;
    const now = Date.now();
    if (this.since === undefined) {
      this.since = now;
      this.note(
        `lost the connection to Temporal at ${this.policy.address} (${firstLine(err)}); reconnecting for up to ${seconds(this.policy.giveUpAfterMs)} (the rollout goes on without this watch)`,
      );
    }
    if (now - this.since >= this.policy.giveUpAfterMs) {
      throw new CliError(
        `gave up watching rollout ${this.name}: Temporal at ${this.policy.address} unreachable for ${seconds(now - this.since)} (${firstLine(err)}); ` +
          `the rollout itself goes on on the server: follow it again with \`netops rollout watch ${this.name}\` once Temporal is back (--wait-for-server SECONDS waits longer)`,
        ExitCode.unavailable,
      );
    }
  }

  answered(): void {
    if (this.since === undefined) return;
    this.note(`reconnected to Temporal at ${this.policy.address} after ${seconds(Date.now() - this.since)}; following rollout ${this.name} again`);
    this.since = undefined;
  }
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
}

/**
 * What every `--watch` does: follows the rollout until it ends or Ctrl-C,
 * prints the final report (JSON, or rendered by `render`), and sets the exit
 * code: 0 completed, 1 failed or aborted, 130 interrupted; 3 (thrown) when
 * Temporal stayed unreachable longer than the reconnect policy allows.
 */
export async function watchToReport(
  netops: NetopsClient,
  name: string,
  opts: Omit<WatchOptions, 'until'> & { json?: boolean; render?: (report: RolloutReport) => string } = {},
): Promise<void> {
  const { json, render = renderReport, ...watch } = opts;
  const report = await watchRollout(netops, name, { ...watch, until: untilInterrupted() });
  if (!report) {
    process.exitCode = ExitCode.interrupted;
    return;
  }
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : render(report));
  process.exitCode = report.status === 'completed' ? ExitCode.ok : ExitCode.failed;
}
