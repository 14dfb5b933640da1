import pc from 'picocolors';
import { formatDuration } from '../shared/format-duration';
import type { DeviceProgress, RolloutProgress, RolloutReport } from '../../contracts/rollout';
import { deviceDetail, nextSteps } from '../../contracts/rollout-hints';
import { renderTable } from '../shared/text-table';
import { DEFAULT_ADDRESS } from '../shared/temporal-connection';

/** Colour only when writing to a terminal, and never when NO_COLOR is set. */
export function colours(stream: NodeJS.WriteStream = process.stdout) {
  return pc.createColors(Boolean(stream.isTTY) && !process.env.NO_COLOR);
}

/**
 * The connection flags a printed command needs to reach the same server as
 * the command that printed it: ` --address 127.0.0.1:7244 --namespace lab`,
 * or '' on the defaults. Every printed hint (`netops rollout approve ...`)
 * ends with it.
 */
export function connectionFlags(opts: { address?: string; namespace?: string; profile?: string }): string {
  const parts: string[] = [];
  if (opts.address && opts.address !== DEFAULT_ADDRESS) parts.push(`--address ${opts.address}`);
  if (opts.namespace && opts.namespace !== 'default') parts.push(`--namespace ${opts.namespace}`);
  if (opts.profile) parts.push(`--profile ${opts.profile}`);
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}

export function progressLine(p: RolloutProgress): string {
  return (
    `${p.name}: ${p.status} · ${p.done}/${p.total} done · ${p.running} running · ${p.failed} failed · ${p.skipped} skipped` +
    ` · budget ${p.failuresCounted ?? p.failed}/${p.failureBudget}${p.paused ? ' · paused' : ''}${p.stopReason ? ` · ${p.stopReason}` : ''}`
  );
}

/** What the operator can do now (approve, retry, skip), each with its full command; '' when nothing. */
export function renderNextSteps(p: RolloutProgress, flags = ''): string {
  const steps = nextSteps(p, flags);
  return steps.length > 0 ? `${steps.map((s) => `  ${s}`).join('\n')}\n` : '';
}

export function renderProgress(p: RolloutProgress, flags = ''): string {
  const c = colours();
  const rows = p.devices.map((d) => [d.name, d.site, d.redundancyGroup ?? '-', colourState(d, c), d.versionBefore ?? '', d.versionAfter ?? '', deviceDetail(p, d)]);
  const approval = p.approval?.despiteFailedCanary ? `approved despite the failed canary ${p.approval.failedCanaries.join(', ')}\n` : '';
  const steps = renderNextSteps(p, flags);
  return `${progressLine(p)}\n${approval}${steps ? `\nWhat to do:\n${steps}` : ''}\n${renderTable(['DEVICE', 'SITE', 'GROUP', 'STATE', 'BEFORE', 'AFTER', 'DETAIL'], rows)}`;
}

function colourState(d: DeviceProgress, c: ReturnType<typeof colours>): string {
  const label = d.outcome ?? d.state;
  if (d.state === 'failed') return c.red(label);
  if (d.state === 'done') return c.green(label);
  if (d.state === 'running') return c.cyan(label);
  return label;
}

export function renderReport(r: RolloutReport): string {
  const c = colours();
  const counts = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const head = `rollout ${r.name} ${r.status === 'completed' ? c.green(r.status) : c.red(r.status)}: ${counts || 'no devices'}` +
    ` in ${formatDuration(r.endedAtMs - r.startedAtMs)}${r.stopReason ? ` (${r.stopReason})` : ''}`;
  const approval = r.approval?.despiteFailedCanary ? `\napproved despite the failed canary ${r.approval.failedCanaries.join(', ')}${r.approval.reason ? ` (${r.approval.reason})` : ''}` : '';
  const rows = r.devices.map((d) => [
    d.name,
    d.outcome,
    d.versionBefore ?? '',
    d.versionAfter ?? '',
    d.durationMs !== undefined ? formatDuration(d.durationMs) : '',
    d.error ? `${d.error.type}: ${d.error.message}${d.error.hint ? ` (${d.error.hint})` : ''}` : (d.notes ?? []).join('; '),
  ]);
  return `${head}${approval}\n\n${renderTable(['DEVICE', 'OUTCOME', 'BEFORE', 'AFTER', 'TIME', 'DETAIL'], rows)}`;
}
