import type { BgpNeighbor } from '../types';
import { cleanLines, findHeader, tokens, toInt } from './text';

/**
 * `show ip bgp summary` on all three platforms. Column positions come from the
 * header tokens (FRR adds PfxSnt/Desc after State/PfxRcd; NX-OS and IOS-XE
 * pad differently). A neighbour address too long for its column wraps the
 * rest of the row onto the next line; we join them. Established iff the
 * State/PfxRcd column is a number.
 */
export function parseBgpSummary(text: string): BgpNeighbor[] {
  const lines = cleanLines(text);
  const header = findHeader(lines, ['neighbor', 'as', 'state/pfxrcd']);
  if (header < 0) return [];
  const h = tokens(lines[header]!).map((x) => x.toLowerCase());
  const asIdx = h.indexOf('as');
  const upIdx = h.indexOf('up/down');
  const stateIdx = h.indexOf('state/pfxrcd');
  const out: BgpNeighbor[] = [];
  const rows = lines.slice(header + 1);
  for (let i = 0; i < rows.length; i++) {
    let t = tokens(rows[i]!);
    if (t.length === 0) break; // the table ends at the first blank line
    if (t.length === 1 && i + 1 < rows.length && /^\s/.test(rows[i + 1]!)) {
      t = [...t, ...tokens(rows[++i]!)];
    }
    if (t.length <= stateIdx || toInt(t[1]) === undefined) continue;
    let state = t[stateIdx]!;
    if (t[stateIdx + 1]?.startsWith('(')) state = `${state} ${t[stateIdx + 1]}`;
    const prefixes = toInt(state);
    out.push({
      neighbor: t[0]!,
      as: t[asIdx]!,
      upDown: t[upIdx] ?? '',
      state,
      established: prefixes !== undefined,
      ...(prefixes !== undefined ? { prefixesReceived: prefixes } : {}),
    });
  }
  return out;
}
