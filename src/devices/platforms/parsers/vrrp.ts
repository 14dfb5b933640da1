import { ParseProblem, type UnreadableLine } from '../../errors';
import type { RedundancyEntry, RedundancyState } from '../types';
import { cleanLines, tokens, toInt } from './text';

/** What FRR's vrrpd prints as a virtual router's state (vrrp_state_names in vrrpd). */
const VRRP_STATES: Record<string, RedundancyState> = { initialize: 'Init', master: 'Master', backup: 'Backup' };

interface Block {
  /** The block's lines, quoted when something in it is unreadable. */
  lines: string[];
  fields: Map<string, string>;
  /** Values of the dotted lines under `IPv4 Addresses` / `IPv6 Addresses`. */
  lists: Map<string, string[]>;
}

/**
 * FRR `show vrrp`: one block of `key   value` lines per virtual router
 * (FRR 8.4, vrrpd's vrrp_show). Values may be empty (`Primary IP (v4)` of a
 * router without one), and each address list continues on dotted filler
 * lines under its count line. Every block must yield a whole entry: a block
 * without a readable router id, interface, priority, preempt mode or state,
 * or whose address count does not match the addresses listed, is a
 * ParseProblem quoting the block, never a missing group.
 */
export function parseVrrp(text: string): RedundancyEntry[] {
  const blocks: Block[] = [];
  const problems: UnreadableLine[] = [];
  let current: Block | undefined;
  let list: string | undefined;
  for (const line of cleanLines(text)) {
    if (line.trim() === '') continue;
    const m = /^\s*(\S.*?)(?:\s{2,}(\S.*))?$/.exec(line)!;
    const key = m[1]!.trim();
    const value = (m[2] ?? '').trim();
    if (key === 'Virtual Router ID') {
      current = { lines: [], fields: new Map(), lists: new Map() };
      blocks.push(current);
      list = undefined;
    }
    if (!current) {
      problems.push({ line, reason: 'text before the first virtual router (expected `Virtual Router ID`)' });
      continue;
    }
    current.lines.push(line);
    if (/^\.+$/.test(key) && list) {
      current.lists.get(list)!.push(...tokens(value));
      continue;
    }
    list = /^IPv[46] Addresses$/.test(key) ? key : undefined;
    if (list) current.lists.set(list, []);
    current.fields.set(key, value);
  }
  const out: RedundancyEntry[] = [];
  for (const b of blocks) {
    const entry = readBlock(b);
    if (typeof entry === 'string') problems.push({ line: b.lines.join('\n'), reason: entry });
    else out.push(entry);
  }
  if (problems.length > 0) throw new ParseProblem('VRRP virtual router table', problems, out);
  return out;
}

function readBlock(b: Block): RedundancyEntry | string {
  const f = (k: string) => b.fields.get(k);
  const group = toInt(f('Virtual Router ID'));
  if (group === undefined || group < 1 || group > 255) return `Virtual Router ID '${f('Virtual Router ID') ?? ''}' is not a number from 1 to 255`;
  const iface = f('Interface');
  if (!iface) return `virtual router ${group} names no interface`;
  const priority = toInt(f('Priority'));
  if (priority === undefined || priority > 255) return `priority '${f('Priority') ?? ''}' of virtual router ${group} is not a number from 0 to 255`;
  const preempt = f('Preempt Mode');
  if (preempt !== 'Yes' && preempt !== 'No') return `preempt mode '${preempt ?? ''}' of virtual router ${group} is neither Yes nor No`;
  const families = (['v4', 'v6'] as const).map((v) => {
    const listed = b.lists.get(`IP${v} Addresses`) ?? [];
    return { v, status: f(`Status (${v})`), count: toInt(f(`IP${v} Addresses`)), listed };
  });
  for (const fam of families) {
    if (fam.count === undefined) return `virtual router ${group} has no readable IP${fam.v} address count`;
    if (fam.count !== fam.listed.length) return `virtual router ${group} counts ${fam.count} IP${fam.v} address(es) but lists ${fam.listed.length}`;
    if (!VRRP_STATES[fam.status?.toLowerCase() ?? '']) return `state (${fam.v}) '${fam.status ?? ''}' of virtual router ${group} is not Initialize, Master or Backup`;
  }
  // FRR runs one virtual router per address family; the one holding addresses
  // is the one that forwards (a v6-only group leaves v4 in Initialize).
  const serving = families.find((fam) => fam.count! > 0) ?? families[0]!;
  const state = VRRP_STATES[serving.status!.toLowerCase()]!;
  return {
    interface: iface,
    group,
    priority,
    preempt: preempt === 'Yes',
    state,
    active: state === 'Master' ? 'local' : undefined,
    standby: state === 'Backup' ? 'local' : undefined,
    virtualIp: serving.listed[0],
  };
}
