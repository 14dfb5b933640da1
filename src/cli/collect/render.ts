import { describeChange, type IndexRow, type RunDiff, type RunMeta } from '../../results';
import type { CollectResult, CollectSummary } from '../../contracts/collect';
import { renderTable } from '../shared/text-table';

/** `g10 Active/110, g20 Standby/100`: group, state, priority per redundancy group. */
export function redundancyCell(row: IndexRow): string {
  if (!row.redundancy) return '-';
  if (row.redundancy.length === 0) return 'none';
  return row.redundancy.map((r) => `g${r.group} ${r.state}/${r.priority}`).join(', ');
}

export function bgpCell(row: IndexRow): string {
  return row.bgpTotal === undefined ? '-' : `${row.bgpUp ?? 0}/${row.bgpTotal}`;
}

/** One line per device, sorted by name: what `collect show` prints. */
export function renderRunTable(meta: RunMeta | undefined, runId: string, rows: IndexRow[]): string {
  const sorted = [...rows].sort((a, b) => a.device.localeCompare(b.device));
  const reachable = rows.filter((r) => r.reachable).length;
  const resumed = meta?.counts ? resumedLine({ resumedBatches: meta.counts.resumedBatches ?? 0, resumedDevices: meta.counts.resumedDevices ?? 0, recollectedDevices: meta.counts.recollectedDevices ?? 0 }) : '';
  // The run id is the collection's name unless the store says otherwise: print the name only when it adds something.
  const named = meta && meta.name !== runId ? `${meta.name}, ` : '';
  const when = meta ? ` (${named}started ${meta.startedAt}${meta.finishedAt ? `, finished ${meta.finishedAt}` : ', still running'})` : '';
  const head = `run ${runId}${when}: ${rows.length} devices, ${reachable} reachable, ${rows.length - reachable} failed\n${resumed ? `${resumed}\n` : ''}`;
  const table = renderTable(
    ['DEVICE', 'SITE', 'REACHABLE', 'VERSION', 'REDUNDANCY (group state/priority)', 'BGP UP', 'ERROR'],
    sorted.map((r) => [r.device, r.site, r.reachable ? 'yes' : 'no', r.version ?? '-', redundancyCell(r), bgpCell(r), r.error ? oneLine(r.error, 120) : '']),
  );
  return `${head}${table}`;
}

export function renderDiff(diff: RunDiff): string {
  const changed = diff.devices.length;
  const head = `${diff.from} -> ${diff.to}: ${changed} device${changed === 1 ? '' : 's'} changed, ${diff.unchanged} unchanged\n`;
  if (changed === 0) return head;
  const rows = diff.devices.flatMap((d) => d.changes.map((c, i) => [i === 0 ? d.device : '', c.kind, describeChange(c)]));
  return `${head}${renderTable(['DEVICE', 'WHAT', 'CHANGE'], rows)}`;
}

export function renderResult(r: CollectResult): string {
  const s = r.summary;
  const lines = [`collection ${r.runId}: ${s.devices} devices, ${s.ok} collected, ${s.failed} failed (${r.startedAt} -> ${r.finishedAt})`];
  const errors = Object.entries(s.byError).map(([t, n]) => `${t} ${n}`);
  if (errors.length) lines.push(`  failures by type: ${errors.join(', ')}`);
  for (const f of s.failures.slice(0, 10)) lines.push(`  ${f.device}: ${oneLine(f.message, 160)}`);
  if (s.failed > 10) lines.push(`  ... ${s.failed - 10} more: netops collect show ${r.runId}`);
  const resumed = resumedLine(s);
  if (resumed) lines.push(`  ${resumed}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `1 batch resumed from a checkpoint (47 devices not collected again; 8 whose
 * sessions the crash cut were collected again)`, or '' when no batch was
 * retried. A summary from before the recollected count leaves that part out.
 */
export function resumedLine(s: Pick<CollectSummary, 'resumedBatches' | 'resumedDevices' | 'recollectedDevices'>): string {
  if (!s.resumedBatches) return '';
  const parts = [`${plural(s.resumedDevices, 'device')} not collected again`];
  const again = s.recollectedDevices ?? 0;
  if (again) parts.push(again === 1 ? '1 whose session the crash cut was collected again' : `${again} whose sessions the crash cut were collected again`);
  return `${plural(s.resumedBatches, 'batch', 'batches')} resumed from a checkpoint (${parts.join('; ')})`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function oneLine(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}
