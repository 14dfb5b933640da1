import type { Platform, RedundancyEntry, RedundancyState } from '../types';
import { ParseProblem, type UnreadableLine } from '../../errors';
import { cleanLines, findHeader, indentOf, tokens, toInt } from './text';
import { parseVrrp } from './vrrp';

const STATES: Record<string, RedundancyState> = {
  active: 'Active',
  standby: 'Standby',
  listen: 'Listen',
  speak: 'Speak',
  init: 'Init',
  initial: 'Init',
  initialize: 'Init',
  master: 'Master',
  backup: 'Backup',
};

/**
 * Whether a group's state makes this device its forwarder: HSRP Active or
 * VRRP Master. The one definition the drain, the roles probe and the
 * workflows' redundancy checks share (it is pure, so workflows may import it).
 */
export function isActiveState(state: RedundancyState): boolean {
  return state === 'Active' || state === 'Master';
}

export function toState(word: string | undefined): RedundancyState {
  return (word && STATES[word.toLowerCase()]) || 'Unknown';
}

/**
 * IOS-XE `show standby brief`, NX-OS `show hsrp brief`, FRR `show vrrp`.
 * FRR answers with key/value blocks (parseVrrp); the HSRP tables throw a
 * ParseProblem for any row they cannot read.
 */
export function parseRedundancy(platform: Platform, text: string): RedundancyEntry[] {
  return platform === 'frr' ? parseVrrp(text) : parseHsrpBrief(platform, text);
}

const HSRP_STATES: Record<string, RedundancyState> = { active: 'Active', standby: 'Standby', listen: 'Listen', speak: 'Speak', learn: 'Learn', init: 'Init', initial: 'Init' };
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f]*:[0-9a-f:.]*$/i;
const ROUTER = (t: string | undefined) => t !== undefined && (t === 'local' || t === 'unknown' || IPV4.test(t) || IPV6.test(t));

/**
 * The HSRP brief tables, read by tokens: the optional `P` column is the only
 * thing that shifts positions, so we detect it rather than count columns.
 * A row too wide for its columns continues on the next line, indented
 * further: an interface name that fills its column stands alone (`Vl4010`,
 * the rest below), an IPv6 virtual IP that does not fit goes below in its
 * own column. We gather tokens until the row is complete.
 */
function parseHsrpBrief(platform: Platform, text: string): RedundancyEntry[] {
  const lines = cleanLines(text);
  const header = findHeader(lines, ['interface', 'grp', 'state']);
  if (header < 0) return [];
  const out: RedundancyEntry[] = [];
  const problems: UnreadableLine[] = [];
  let pending: { lines: string[]; tokens: string[]; indent: number } | undefined;
  const finish = () => {
    if (!pending) return;
    const row = readHsrpRow(platform, pending.tokens);
    if (typeof row === 'string') problems.push({ line: pending.lines.join('\n'), reason: row });
    else out.push(row);
    pending = undefined;
  };
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') continue;
    if (pending && indentOf(line) > pending.indent && pending.tokens.length < hsrpColumns(pending.tokens)) {
      pending.lines.push(line);
      pending.tokens.push(...tokens(line));
      continue;
    }
    finish();
    pending = { lines: [line], tokens: tokens(line), indent: indentOf(line) };
  }
  finish();
  if (problems.length > 0) throw new ParseProblem('HSRP group table', problems, out);
  return out;
}

/** Tokens a complete row has: interface, group, priority, [P], state, active, standby, virtual IP. */
function hsrpColumns(t: string[]): number {
  return t[3] === 'P' ? 8 : 7;
}

function readHsrpRow(platform: Platform, t: string[]): RedundancyEntry | string {
  const needed = hsrpColumns(t);
  if (t.length < needed) return `the row ends after ${t.length} of ${needed} columns`;
  const group = toInt(t[1]);
  const priority = toInt(t[2]);
  if (group === undefined) return `group '${t[1]}' is not a number`;
  if (priority === undefined || priority > 255) return `priority '${t[2]}' is not a number from 0 to 255`;
  const preempt = t[3] === 'P';
  const i = preempt ? 4 : 3;
  const state = HSRP_STATES[t[i]!.toLowerCase()];
  if (!state) return `state '${t[i]}' is not an HSRP state`;
  const [active, standby, virtualIp] = [t[i + 1], t[i + 2], t[i + 3]];
  if (!ROUTER(active)) return `active router '${active}' is neither local, unknown nor an address`;
  if (!ROUTER(standby)) return `standby router '${standby}' is neither local, unknown nor an address`;
  if (!ROUTER(virtualIp)) return `virtual IP '${virtualIp}' is not an address`;
  const extra = t.slice(i + 4);
  // NX-OS closes each row with how the group address came to be: `(conf)`, `(learnt)`.
  const nxosSource = platform === 'nxos' && extra.length === 1 && /^\(\w+\)$/.test(extra[0]!);
  if (extra.length > 0 && !nxosSource) return `unexpected '${extra.join(' ')}' after the virtual IP`;
  return { interface: t[0]!, group, priority, preempt, state, active, standby, virtualIp };
}
