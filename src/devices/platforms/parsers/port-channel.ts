import type { MemberState, PortChannel, PortChannelMember, PortChannelProtocol } from '../types';
import { ParseProblem, type UnreadableLine } from '../../errors';
import { cleanLines, tokens, toInt } from './text';

const TABLE = 'port-channel table';

/** Member flags of both legends (NX-OS and IOS); a letter outside them is refused, not guessed. */
const MEMBER_FLAGS: Record<string, MemberState> = {
  P: 'bundled',
  D: 'down',
  I: 'individual',
  H: 'hot-standby',
  s: 'suspended',
  r: 'module-removed',
  p: 'delay-lacp',
  b: 'bfd-wait',
  u: 'unsuitable',
  w: 'waiting',
  d: 'default-port',
  m: 'min-links-not-met',
  // IOS-XE 16 and later print words where older releases print letters (its legend: `P/bndl`, `s/susp`).
  bndl: 'bundled',
  'hot-sby': 'hot-standby',
  susp: 'suspended',
};

/** Channel flags: layer (S/R), in use (U), down (D), and the IOS reasons for not being in use. */
const CHANNEL_FLAGS = new Set(['S', 'R', 'U', 'D', 'M', 'N', 'f', 'A']);

const PROTOCOLS: Record<string, PortChannelProtocol> = { LACP: 'LACP', PAGP: 'PAgP', NONE: 'none', '-': 'none' };

const CHANNEL = /^(Po\d+)\(([A-Za-z]+)\)$/;
const MEMBER = /^([A-Za-z][\w/.:-]*)\(([\w-]+)\)$/;
/** `RU - L3 port-channel UP State`: the notes IOS-XE prints under its table. */
const NOTE = /^[\w/]+\s+-\s+\S/;

/**
 * NX-OS `show port-channel summary` (Group, Port-Channel, Type, Protocol,
 * Member Ports) and IOS/IOS-XE `show etherchannel summary` (Group,
 * Port-channel, Protocol, Ports). Members that do not fit continue on the
 * next lines, indented; they belong to the row above. A layout without
 * either header is refused: a table we cannot place cannot prove a bundle
 * has live members.
 */
export function parsePortChannelSummary(text: string): PortChannel[] {
  const lines = cleanLines(text);
  if (lines.every((l) => l.trim() === '')) return [];
  const header = lines.findIndex((l) => /^Group\s+Port-/.test(l.trim()) && /\bProtocol\b/.test(l));
  if (header < 0) {
    const foreign = lines.find((l) => /\bProtocol\b/.test(l)) ?? lines.find((l) => l.trim() !== '')!;
    throw new ParseProblem(TABLE, [{ line: foreign, reason: 'no Group / Port-channel / Protocol header: not a layout netops knows' }]);
  }
  const hasType = /\bType\b/.test(lines[header]!);
  const out: PortChannel[] = [];
  const problems: UnreadableLine[] = [];
  let current: PortChannel | undefined;
  // A refused row keeps its continuation lines, so the problem quotes the row as the device printed it.
  let refusedRow: UnreadableLine | undefined;
  let notes = false;
  for (const line of lines.slice(header + 1)) {
    const trimmed = line.trim();
    if (trimmed === '' || /^[-+]+$/.test(trimmed) || (out.length === 0 && !current && trimmed === 'Channel')) continue;
    if (notes || (!/^\s/.test(line) && NOTE.test(trimmed))) {
      notes = true;
      if (!NOTE.test(trimmed)) problems.push({ line, reason: 'not a legend note, after the table ended' });
      continue;
    }
    if (/^\d/.test(line)) {
      const row = readRow(tokens(line), hasType);
      if (typeof row === 'string') {
        refusedRow = { line, reason: row };
        problems.push(refusedRow);
        current = undefined;
      } else {
        out.push(row);
        current = row;
        refusedRow = undefined;
      }
      continue;
    }
    if (/^\s/.test(line) && refusedRow) {
      refusedRow.line += `\n${line}`;
      continue;
    }
    if (/^\s/.test(line) && current) {
      const members = readMembers(tokens(line));
      if (typeof members === 'string') problems.push({ line, reason: members });
      else current.members.push(...members);
      continue;
    }
    problems.push({ line, reason: 'neither a port-channel row nor its continuation' });
  }
  if (problems.length > 0) throw new ParseProblem(TABLE, problems, out);
  return out;
}

function readRow(t: string[], hasType: boolean): PortChannel | string {
  const group = toInt(t[0]);
  if (group === undefined) return `group '${t[0]}' is not a number`;
  const channel = CHANNEL.exec(t[1] ?? '');
  if (!channel) return `'${t[1] ?? ''}' is not a port-channel with its flags, like Po1(SU)`;
  const flags = channel[2]!;
  const unknown = [...flags].filter((f) => !CHANNEL_FLAGS.has(f));
  if (unknown.length > 0) return `port-channel flag(s) '${unknown.join('')}' not in the legend`;
  // NX-OS prints the member type (`Eth`) before the protocol; a row without members says `--`.
  const rest = t.slice(hasType ? 3 : 2);
  if (hasType && t[2] === undefined) return 'the row ends before its type';
  const protocol = PROTOCOLS[(rest[0] ?? '').toUpperCase()];
  if (!protocol) return `protocol '${rest[0] ?? ''}' is neither LACP, PAgP nor none`;
  const memberTokens = rest.slice(1).filter((m) => m !== '--');
  const members = readMembers(memberTokens);
  if (typeof members === 'string') return members;
  const layer = flags.includes('S') ? 'L2' : flags.includes('R') ? 'L3' : undefined;
  return { group, name: channel[1]!, flags, ...(layer ? { layer } : {}), up: flags.includes('U'), protocol, members };
}

function readMembers(t: string[]): PortChannelMember[] | string {
  const out: PortChannelMember[] = [];
  for (const token of t) {
    const m = MEMBER.exec(token);
    if (!m) return `member '${token}' is not a port with its flag, like Eth1/1(P)`;
    const flag = m[2]!;
    const state = MEMBER_FLAGS[flag];
    if (!state) return `member flag '${flag}' of ${m[1]} is not in the legend`;
    out.push({ port: m[1]!, flag, state });
  }
  return out;
}
