import pc from 'picocolors';
import { formatDuration } from './format-duration';
import type { DeviceProgress, RolloutProgress, RolloutReport } from '../workflows/rollout-api';
import { renderTable } from './text-table';

/** Colour only when writing to a terminal, and never when NO_COLOR is set. */
export function colours(stream: NodeJS.WriteStream = process.stdout) {
  return pc.createColors(Boolean(stream.isTTY) && !process.env.NO_COLOR);
}

export function progressLine(p: RolloutProgress): string {
  return (
    `${p.name}: ${p.status} · ${p.done}/${p.total} done · ${p.running} running · ${p.failed} failed · ${p.skipped} skipped` +
    ` · budget ${p.failed}/${p.failureBudget}${p.paused ? ' · paused' : ''}${p.stopReason ? ` · ${p.stopReason}` : ''}`
  );
}

export function renderProgress(p: RolloutProgress): string {
  const c = colours();
  const rows = p.devices.map((d) => [
    d.name,
    d.site,
    d.redundancyGroup ?? '-',
    colourState(d, c),
    d.versionBefore ?? '',
    d.versionAfter ?? '',
    d.state === 'pending' ? (d.waitingFor ? `waiting: ${d.waitingFor}` : '') : d.error ? `${d.error.type}: ${d.error.message}` : d.canary ? 'canary' : '',
  ]);
  return `${progressLine(p)}\n\n${renderTable(['DEVICE', 'SITE', 'GROUP', 'STATE', 'BEFORE', 'AFTER', 'DETAIL'], rows)}`;
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
  const rows = r.devices.map((d) => [
    d.name,
    d.outcome,
    d.versionBefore ?? '',
    d.versionAfter ?? '',
    d.durationMs !== undefined ? formatDuration(d.durationMs) : '',
    d.error ? `${d.error.type}: ${d.error.message}${d.error.hint ? ` (${d.error.hint})` : ''}` : (d.notes ?? []).join('; '),
  ]);
  return `${head}\n\n${renderTable(['DEVICE', 'OUTCOME', 'BEFORE', 'AFTER', 'TIME', 'DETAIL'], rows)}`;
}

