import type { RolloutProgress } from './rollout';
import { deviceDetail, nextSteps } from './rollout-hints';

const MAX_ROWS = 40;

/**
 * The Web UI renders this Markdown as a real table but with no cell padding,
 * so the columns run together ("site1site1-g1"). An em space ends every cell
 * but the last: the Markdown parser keeps it (it trims ASCII blanks only)
 * and HTML does not collapse it, so it shows as the gap a padding would
 * (checked in Chromium against the Web UI the dev server ships).
 */
export const CELL_GAP = '\u2003';

/** One Markdown table row with the gap after every cell but the last. */
export function tableRow(cells: string[]): string {
  return `| ${cells.map((c, i) => (i < cells.length - 1 ? `${c}${CELL_GAP}` : c)).join(' | ')} |`;
}

/**
 * The live table the Web UI shows on the rollout's page (`setCurrentDetails`):
 * counts, what the operator can do now, then the devices that matter now
 * (running, failed, waiting), capped so the details stay small however large
 * the fleet.
 */
export function renderRolloutDetails(p: RolloutProgress): string {
  const lines = [
    `**${p.status}** · ${p.done}/${p.total} done · ${p.running} running · ${p.failed} failed · ${p.skipped} skipped · ${p.pending} pending` +
      ` · failure budget ${p.failuresCounted ?? p.failed}/${p.failureBudget}${p.paused ? ' · **paused**' : ''}`,
    '',
  ];
  if (p.stopReason) lines.push(`stopped: ${p.stopReason}`, '');
  if (p.approval?.despiteFailedCanary) lines.push(`approved despite the failed canary ${p.approval.failedCanaries.join(', ')}`, '');
  const steps = nextSteps(p);
  if (steps.length > 0) lines.push(...steps.map((s) => `- ${s}`), '');
  const interesting = p.devices.filter((d) => d.state === 'running' || d.state === 'failed' || (d.state === 'pending' && d.waitingFor && d.waitingFor !== 'window-full'));
  lines.push(tableRow(['device', 'site', 'group', 'state', 'detail']), '|:---|:---|:---|:---|:---|');
  for (const d of interesting.slice(0, MAX_ROWS)) {
    lines.push(tableRow([d.name, d.site, d.redundancyGroup ?? '-', d.outcome ?? d.state, escapeCell(deviceDetail(p, d))]));
  }
  if (interesting.length > MAX_ROWS) lines.push(tableRow(['…', '', '', '', `${interesting.length - MAX_ROWS} more`]));
  if (interesting.length === 0) lines.push(tableRow(['-', '', '', '', 'nothing running']));
  return lines.join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 160);
}

