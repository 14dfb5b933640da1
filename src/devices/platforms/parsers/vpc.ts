import type { Consistency, VpcMember, VpcPeerLink, VpcRoleName, VpcState } from '../types';
import { ParseProblem, type UnreadableLine } from '../../errors';
import { cleanLines, indentOf, tokens, toInt } from './text';

const TABLE = 'vPC domain state';

/** The only phrases that mean healthy; any other phrase is kept verbatim and counts as not healthy. */
const ADJACENT = 'peer adjacency formed ok';
const ALIVE = 'peer is alive';

const ROLES: Record<string, [VpcRoleName, VpcRoleName]> = {
  primary: ['primary', 'primary'],
  secondary: ['secondary', 'secondary'],
  'primary, operational secondary': ['primary', 'secondary'],
  'secondary, operational primary': ['secondary', 'primary'],
  'none established': ['none', 'none'],
};

const VLANS = /^[\d,.\-]+$/;
const SECTION = /^vPC\b.*\bstatus$/i;

interface Fields {
  [key: string]: { value: string; line: string } | undefined;
}

/**
 * NX-OS `show vpc`: key/value lines about the domain, then the peer-link
 * table and the vPC table. Keys are matched without their spacing (older
 * releases print `Configuration consistency status:`, newer pad the colon).
 * Keys that describe settings (peer-gateway, auto-recovery, timers) are not
 * state a rollout rests on and are passed over; the keys it does rest on
 * must be there. The device's own count of vPCs must match the rows read.
 */
export function parseVpc(text: string): VpcState {
  const lines = cleanLines(text);
  const start = lines.findIndex((l) => /^vPC domain id\s*:/i.test(l.trim()));
  if (start < 0) {
    const first = lines.find((l) => l.trim() !== '') ?? '';
    throw new ParseProblem(TABLE, [{ line: first, reason: "no 'vPC domain id' line: not the output of show vpc" }]);
  }
  const problems: UnreadableLine[] = [];
  const fields: Fields = {};
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (/^vPC (peer-link )?status$/i.test(line.trim())) break;
    const colon = line.indexOf(':');
    if (colon < 0) {
      problems.push({ line, reason: 'not a key : value line' });
      continue;
    }
    fields[normalKey(line.slice(0, colon))] = { value: line.slice(colon + 1).trim(), line };
  }
  const peerLinks: VpcPeerLink[] = [];
  const vpcs: VpcMember[] = [];
  while (i < lines.length) {
    const title = lines[i]!.trim();
    if (title === '') {
      i++;
      continue;
    }
    if (/^vPC peer-link status$/i.test(title)) i = readTable(lines, i + 1, problems, peerLinkRow, peerLinks);
    else if (/^vPC status$/i.test(title)) i = readTable(lines, i + 1, problems, vpcRow, vpcs);
    else if (/^Please check\b/.test(title)) i = skipParagraph(lines, i);
    else {
      problems.push({ line: lines[i]!, reason: 'not a section of show vpc' });
      i++;
    }
  }
  const state = assemble(fields, peerLinks, vpcs, problems);
  if (problems.length > 0) throw new ParseProblem(TABLE, problems, [...peerLinks, ...vpcs]);
  return state!;
}

function normalKey(key: string): string {
  return key.trim().toLowerCase().replace(/\s+/g, ' ');
}

function assemble(fields: Fields, peerLinks: VpcPeerLink[], vpcs: VpcMember[], problems: UnreadableLine[]): VpcState | undefined {
  const need = (key: string): { value: string; line: string } | undefined => {
    const f = fields[key];
    if (!f) problems.push({ line: `${key} : (missing)`, reason: `the output has no '${key}' line` });
    return f;
  };
  const domain = need('vpc domain id');
  const peer = need('peer status');
  const keepalive = need('vpc keep-alive status');
  const config = need('configuration consistency status');
  const role = need('vpc role');
  const count = fields['number of vpcs configured'] ?? fields['number of vpc configured'];
  if (!count) problems.push({ line: 'Number of vPCs configured : (missing)', reason: "the output has no 'Number of vPCs configured' line" });
  if (!domain || !peer || !keepalive || !config || !role || !count) return undefined;

  const domainId = domain.value === 'Not configured' ? undefined : toInt(domain.value);
  if (domainId === undefined && domain.value !== 'Not configured') problems.push({ line: domain.line, reason: 'the domain id is neither a number nor Not configured' });
  const roles = ROLES[role.value.toLowerCase()];
  if (!roles) problems.push({ line: role.line, reason: 'not a vPC role netops knows' });
  const consistency = readConsistency(config, problems);
  const configuredVpcs = toInt(count.value);
  if (configuredVpcs === undefined) problems.push({ line: count.line, reason: 'the number of vPCs is not a number' });
  else if (configuredVpcs !== vpcs.length) problems.push({ line: count.line, reason: `the device counts ${configuredVpcs} vPC(s), the vPC table lists ${vpcs.length}` });
  const perVlan = fields['per-vlan consistency status'];
  const type2 = fields['type-2 consistency status'];
  const reason = fields['configuration consistency reason'] ?? fields['configuration inconsistency reason'];
  return {
    ...(domainId !== undefined ? { domainId } : {}),
    role: roles?.[0] ?? 'none',
    operationalRole: roles?.[1] ?? 'none',
    peerStatus: peer.value,
    peerAdjacent: peer.value === ADJACENT,
    keepaliveStatus: keepalive.value,
    keepaliveAlive: keepalive.value === ALIVE,
    consistency: consistency ?? 'failed',
    ...(reason ? { consistencyReason: reason.value } : {}),
    ...(perVlan ? { perVlanConsistency: readConsistency(perVlan, problems) ?? 'failed' } : {}),
    ...(type2 ? { type2Consistency: readConsistency(type2, problems) ?? 'failed' } : {}),
    configuredVpcs: configuredVpcs ?? 0,
    peerLinks,
    vpcs,
  };
}

function readConsistency(f: { value: string; line: string }, problems: UnreadableLine[]): Consistency | undefined {
  if (f.value === 'success' || f.value === 'failed') return f.value;
  problems.push({ line: f.line, reason: 'a consistency status is either success or failed' });
  return undefined;
}

type RowReader<T> = (t: string[]) => T | string;

/**
 * Rows under a dashed rule and a header; a line that does not start a row
 * continues the one above (the device wraps long VLAN lists and reasons).
 * The table ends at a line that starts a new section.
 */
function readTable<T extends VpcPeerLink | VpcMember>(lines: string[], from: number, problems: UnreadableLine[], read: RowReader<T>, into: T[]): number {
  let i = from;
  let header = false;
  let pending: T | undefined;
  let refusedRow: UnreadableLine | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (/^[-\s]+$/.test(trimmed)) continue;
    if (!header) {
      if (/^id\s+port\s+status\b/i.test(trimmed)) {
        header = true;
        continue;
      }
      problems.push({ line, reason: 'expected the table header (id Port Status ...)' });
      continue;
    }
    // Any section title ends the table, known or not: the caller reads or refuses it.
    if (SECTION.test(trimmed) || /^Please check\b/.test(trimmed)) break;
    if (/^\d+\s/.test(trimmed) && indentOf(line) === 0) {
      const row = read(tokens(line));
      if (typeof row === 'string') {
        refusedRow = { line, reason: row };
        problems.push(refusedRow);
        pending = undefined;
      } else {
        into.push(row);
        pending = row;
        refusedRow = undefined;
      }
      continue;
    }
    if (refusedRow && indentOf(line) > 0) {
      refusedRow.line += `\n${line}`;
      continue;
    }
    if (pending && continueRow(pending, tokens(line))) continue;
    problems.push({ line, reason: 'neither a row nor its continuation' });
  }
  return i;
}

/** A VLAN list continues without a separator; a vPC's reason continues word by word (only when it is not `success`). */
function continueRow(row: VpcPeerLink | VpcMember, t: string[]): boolean {
  if (t.length === 1 && VLANS.test(t[0]!)) {
    row.activeVlans += t[0];
    return true;
  }
  if ('reason' in row && row.consistency === 'failed' && t.length > 0) {
    row.reason = `${row.reason} ${t.join(' ')}`;
    return true;
  }
  return false;
}

function upDown(word: string | undefined): boolean | string {
  if (word === 'up') return true;
  if (word === 'down' || word === 'down*') return false;
  return `status '${word ?? ''}' is neither up nor down`;
}

function peerLinkRow(t: string[]): VpcPeerLink | string {
  const id = toInt(t[0]);
  const up = upDown(t[2]);
  if (id === undefined || !t[1]) return 'not a peer-link row (id Port Status Active vlans)';
  if (typeof up === 'string') return up;
  if (t.length !== 4 || !(VLANS.test(t[3]!) || t[3] === '-')) return `active VLANs '${t.slice(3).join(' ')}' are not a VLAN list`;
  return { id, port: t[1], up, activeVlans: t[3]! };
}

/** `id Port Status Consistency Reason Active-vlans`: the reason is free text, the VLAN list its last word. */
function vpcRow(t: string[]): VpcMember | string {
  const id = toInt(t[0]);
  if (id === undefined || !t[1]) return 'not a vPC row (id Port Status Consistency Reason Active vlans)';
  const up = upDown(t[2]);
  if (typeof up === 'string') return up;
  const consistency = t[3];
  if (consistency !== 'success' && consistency !== 'failed') return `consistency '${consistency ?? ''}' is neither success nor failed`;
  const last = t[t.length - 1]!;
  if (t.length < 6 || !(VLANS.test(last) || last === '-')) return 'the row has no reason and active VLANs after its consistency';
  return { id, port: t[1], up, consistency, reason: t.slice(4, -1).join(' '), activeVlans: last };
}

function skipParagraph(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i]!.trim() !== '') i++;
  return i;
}
