/**
 * Aligned plain-text columns for terminal output. The last column is not
 * padded, so long messages do not drag trailing spaces along.
 */
export function renderTable(header: string[], rows: string[][], indent = ''): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) => `${indent}${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd())
    .join('\n')
    .concat('\n');
}
