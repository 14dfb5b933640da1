import { WorkflowNotFoundError } from '@temporalio/client';
import { SingleBar } from 'cli-progress';
import type { RolloutProgress, RolloutReport } from '../workflows/rollout-api';
import { ExitCode } from './cli-error';
import { RolloutNotFound, type NetopsClient } from './netops-client';
import { untilInterrupted } from './process-signals';
import { progressLine, renderReport } from './rollout-render';

export interface WatchOptions {
  intervalMs?: number;
  /** Plain lines even on a terminal (for logs and pipes). */
  plain?: boolean;
  out?: NodeJS.WriteStream;
  /** Stop waiting when this resolves (Ctrl-C). */
  until?: Promise<unknown>;
  onProgress?: (p: RolloutProgress) => void;
}

/**
 * Follows a rollout until it ends: a progress bar on a terminal, one line per
 * device change otherwise, and the final report. Returns undefined when
 * interrupted before the end.
 */
export async function watchRollout(netops: NetopsClient, name: string, opts: WatchOptions = {}): Promise<RolloutReport | undefined> {
  const out = opts.out ?? process.stderr;
  const tty = Boolean(out.isTTY) && !opts.plain;
  const interval = opts.intervalMs ?? 1000;
  let interrupted = false;
  void opts.until?.then(() => (interrupted = true));
  const seen = new Map<string, string>();
  let lastLine = '';
  let bar: SingleBar | undefined;

  try {
    for (;;) {
      if (interrupted) return undefined;
      const described = await netops
        .handle(name)
        .describe()
        .catch((err: unknown) => {
          // Without this, watching a typo'd name fails as a generic error instead of "no rollout named ...".
          throw err instanceof WorkflowNotFoundError ? new RolloutNotFound(name) : err;
        });
      if (described.status.name !== 'RUNNING') break;
      let p: RolloutProgress | undefined;
      try {
        p = await netops.progress(name);
      } catch {
        p = undefined; // between runs (continue-as-new) or no worker yet: try again
      }
      if (p) {
        opts.onProgress?.(p);
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
  } finally {
    bar?.stop();
  }
  return netops.result(name);
}

/**
 * What every `--watch` does: follows the rollout until it ends or Ctrl-C,
 * prints the final report (JSON, or rendered by `render`), and sets the exit
 * code: 0 completed, 1 failed or aborted, 130 interrupted.
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
