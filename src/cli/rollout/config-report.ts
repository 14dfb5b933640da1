import type { RolloutReport } from '../../contracts/rollout';

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => `${pad}${l}`)
    .join('\n');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`;
}

/**
 * A config push (or its dry run) as a person reads it: one block per device,
 * its outcome, then its diff or the device's own error text.
 */
export function renderConfigReport(r: RolloutReport): string {
  const counts = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k === 'ready' && r.dryRun ? 'would change' : k}`)
    .join(', ');
  const head = `${r.dryRun ? 'dry run' : 'config push'} ${r.name} (${r.targetVersion}) ${r.status}: ${counts || 'no devices'} in ${seconds(r.endedAtMs - r.startedAtMs)}${r.stopReason ? ` (${r.stopReason})` : ''}`;
  const blocks = r.devices.map((d) => {
    const outcome = d.outcome === 'ready' && r.dryRun ? 'would change' : d.outcome;
    const lines = [`${d.name}: ${outcome}`];
    if (d.error) lines.push(indent(`${d.error.type}: ${d.error.message}${d.error.hint ? `\n(${d.error.hint})` : ''}`, '    '));
    for (const note of d.notes ?? []) lines.push(indent(note, '    '));
    return lines.join('\n');
  });
  return `${head}\n\n${blocks.join('\n\n')}\n`;
}
