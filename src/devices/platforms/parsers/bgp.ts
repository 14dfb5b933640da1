import { ParseProblem, type UnreadableLine } from '../../errors';
import type { BgpNeighbor } from '../types';
import { cleanLines, indentOf, tokens, toInt } from './text';

/**
 * Lines that end one neighbour table: the next address family or VRF
 * section, FRR's totals, or another table's header (NX-OS follows the L2VPN
 * EVPN neighbours with a route-type table, `Neighbor T AS PfxRcd Type-2 ...`).
 */
const TABLE_END = /^(For address family:|BGP summary information for|Total number of neighbors|Displayed neighbors|BGP router identifier|Neighbor\s)/i;

/** Session states a summary prints instead of a prefix count (RFC 4271 names, plus Cisco's `Shut`/`Closing`). */
const STATE_WORD = /^(Idle|Connect|Active|OpenSent|OpenConfirm|Established|Shut|Closing|Policy|Clearing|Deleted)$/i;

/** IPv4, IPv6, or (FRR) an interface name for unnumbered peers. */
const NEIGHBOR = /^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*|[A-Za-z][\w./-]*)$/i;
const AS_NUMBER = /^(\d+|\d+\.\d+)$/;
/** `never`, `00:12:00`, `2d17h`, `1y10w`, `3w0d`. */
const UP_DOWN = /^(never|\d+:\d{2}:\d{2}|(\d+[ywdhms])+)$/;

interface Table {
  header: string[];
  indent: number;
  asIdx: number;
  upIdx: number;
  stateIdx: number;
}

function tableOf(line: string): Table | undefined {
  const h = tokens(line).map((x) => x.toLowerCase());
  if (h[0] !== 'neighbor' || !h.includes('as') || !h.includes('state/pfxrcd')) return undefined;
  return { header: h, indent: indentOf(line), asIdx: h.indexOf('as'), upIdx: h.indexOf('up/down'), stateIdx: h.indexOf('state/pfxrcd') };
}

/**
 * `show ip bgp summary` on IOS-XE, NX-OS and FRR, including NX-OS's VRF and
 * address-family sections and IOS-XE's `For address family:` blocks (each
 * section has its own header). A row that does not fit its columns is
 * continued on the next line, indented further: the neighbour alone (long
 * IPv6 address) or the neighbour, version and AS (long 4-byte AS on NX-OS),
 * sometimes both. We gather tokens until the row has every column. What
 * still cannot be read is a ParseProblem quoting the device's lines, never a
 * missing neighbour: a dropped neighbour would not be checked after a reload.
 *
 * Established iff State/PfxRcd starts with a number; NX-OS's `0 (No Cap)`
 * (session up, address family not negotiated) is established with 0 prefixes.
 */
export function parseBgpSummary(text: string): BgpNeighbor[] {
  const lines = cleanLines(text);
  const out: BgpNeighbor[] = [];
  const problems: UnreadableLine[] = [];
  let table: Table | undefined;
  let pending: { lines: string[]; tokens: string[] } | undefined;

  const finish = () => {
    if (!pending || !table) return;
    const row = readRow(table, pending.tokens);
    if (typeof row === 'string') problems.push({ line: pending.lines.join('\n'), reason: row });
    else out.push(row);
    pending = undefined;
  };

  for (const line of lines) {
    const trimmed = line.trim();
    const header = tableOf(line);
    if (header) {
      finish();
      table = header;
      continue;
    }
    if (!table) continue;
    if (trimmed === '') continue; // tables never hold blank rows; captures through some terminals double every newline
    if (TABLE_END.test(trimmed)) {
      finish();
      table = undefined;
      continue;
    }
    const continuation = indentOf(line) > table.indent && pending !== undefined && pending.tokens.length < table.stateIdx + 1;
    if (continuation) {
      pending!.lines.push(line);
      pending!.tokens.push(...tokens(line));
      continue;
    }
    finish();
    pending = { lines: [line], tokens: tokens(line) };
  }
  finish();
  if (problems.length > 0) throw new ParseProblem('BGP neighbour table', problems, out);
  return out;
}

/** One neighbour from a row's tokens, or why it is not one. */
function readRow(table: Table, t: string[]): BgpNeighbor | string {
  if (t.length < table.stateIdx + 1) return `the row ends before the State/PfxRcd column (${t.length} of ${table.stateIdx + 1} columns)`;
  const [neighbor, version] = t;
  if (!NEIGHBOR.test(neighbor!)) return `'${neighbor}' is not a neighbour address`;
  if (toInt(version) === undefined) return `version '${version}' is not a number`;
  const as = t[table.asIdx]!;
  if (!AS_NUMBER.test(as)) return `AS '${as}' is not an AS number`;
  const upDown = table.upIdx >= 0 ? t[table.upIdx]! : '';
  if (table.upIdx >= 0 && !UP_DOWN.test(upDown)) return `Up/Down '${upDown}' is not a duration`;
  const rest = t.slice(table.stateIdx);
  let state = rest[0]!;
  let used = 1;
  // `Idle (Admin)`, `0 (No Cap)`, `Idle (PfxCt)`: a parenthesised reason may hold spaces.
  if (rest[1]?.startsWith('(')) {
    const close = rest.findIndex((x, i) => i >= 1 && x.endsWith(')'));
    if (close < 0) return `unclosed '(' in State/PfxRcd '${rest.join(' ')}'`;
    state = rest.slice(0, close + 1).join(' ');
    used = close + 1;
  }
  const extra = rest.length - used;
  const columnsAfterState = table.header.length - table.stateIdx - 1; // FRR: PfxSnt, Desc (a description may hold spaces)
  if (extra > 0 && columnsAfterState === 0) return `unexpected '${rest.slice(used).join(' ')}' after State/PfxRcd`;
  const prefixes = toInt(state.split(' ')[0]);
  if (prefixes === undefined && !STATE_WORD.test(state.split(' ')[0]!)) return `State/PfxRcd '${state}' is neither a prefix count nor a BGP state`;
  return {
    neighbor: neighbor!,
    as,
    upDown,
    state,
    established: prefixes !== undefined,
    ...(prefixes !== undefined ? { prefixesReceived: prefixes } : {}),
  };
}
