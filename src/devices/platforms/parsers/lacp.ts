import type { LacpNeighbor } from '../types';
import { ParseProblem, type UnreadableLine } from '../../errors';
import { cleanLines, tokens } from './text';

const TABLE = 'LACP neighbour table';

/** The legends' letters: rate (S slow, F fast) and mode (A active, P passive). */
const FLAG_LETTERS = /^[SFAP]+$/;
const IOS_CHANNEL = /^Channel group (\d+) neighbors$/i;
const NXOS_CHANNEL = /^(?:port-channel|Po)(\d+) neighbors$/i;
/** The column titles both layouts repeat above every table and every NX-OS member. */
const TITLES = /^(LACP port\b|Port\s+Flags\b|Partner\b|Port\s+System ID\b|LACP Partner\b|Port Priority\b|Partner's information$)/i;
const HEX = /^0x[0-9a-f]+$/i;

/**
 * IOS/IOS-XE and NX-OS `show lacp neighbor`. IOS prints one table per
 * `Channel group N`, a member per row; NX-OS prints, per `port-channelN`, a
 * block per member: a row with the partner's system, port, age and flags,
 * then a row with its priority, key and state. Everything before the first
 * channel is the legend; after it, a line that is neither a title nor a row
 * is refused.
 */
export function parseLacpNeighbors(text: string): LacpNeighbor[] {
  const lines = cleanLines(text);
  const out: LacpNeighbor[] = [];
  const problems: UnreadableLine[] = [];
  let channel: string | undefined;
  let awaitingDetails = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const opens = IOS_CHANNEL.exec(trimmed) ?? NXOS_CHANNEL.exec(trimmed);
    if (opens) {
      if (awaitingDetails) problems.push({ line, reason: 'the member above has no priority/key/state row' });
      channel = `Po${opens[1]}`;
      awaitingDetails = false;
      continue;
    }
    if (!channel) continue;
    if (TITLES.test(trimmed)) continue;
    const t = tokens(line);
    if (awaitingDetails) {
      awaitingDetails = false;
      if (t.length === 3 && /^\d+$/.test(t[0]!) && HEX.test(t[1]!) && HEX.test(t[2]!)) continue;
      problems.push({ line, reason: 'expected the partner priority, key and state of the member above' });
      continue;
    }
    const row = t.length === 9 ? iosRow(channel, t) : t.length === 5 ? nxosRow(channel, t) : `${t.length} columns: neither an IOS (9) nor an NX-OS (5) neighbour row`;
    if (typeof row === 'string') {
      problems.push({ line, reason: row });
      continue;
    }
    out.push(row);
    awaitingDetails = t.length === 5;
  }
  if (awaitingDetails) problems.push({ line: lines.filter((l) => l.trim() !== '').at(-1) ?? '', reason: 'the last member has no priority/key/state row' });
  if (problems.length > 0) throw new ParseProblem(TABLE, problems, out);
  return out;
}

function neighbor(channel: string, port: string, partnerSystem: string, partnerPort: string, flags: string): LacpNeighbor | string {
  if (!FLAG_LETTERS.test(flags) || /S.*F|F.*S/.test(flags) || /A.*P|P.*A/.test(flags)) return `flags '${flags}' are not S/F and A/P from the legend`;
  return { channel, port, partnerSystem, partnerPort, flags, active: flags.includes('A'), fastRate: flags.includes('F') };
}

/** Port, Flags, Priority, Dev ID, Age, Admin key, Oper key, Port number, Port state. */
function iosRow(channel: string, t: string[]): LacpNeighbor | string {
  const [port, flags, priority, devId, age, adminKey, operKey, portNumber, state] = t as [string, string, string, string, string, string, string, string, string];
  if (!/^\d+$/.test(priority)) return `priority '${priority}' is not a number`;
  if (!/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(devId)) return `device id '${devId}' is not a MAC address`;
  if (!/^\d+s$/.test(age)) return `age '${age}' is not seconds`;
  if (![adminKey, operKey, portNumber, state].every((x) => HEX.test(x))) return 'keys, port number and state are not hexadecimal';
  return neighbor(channel, port, devId, portNumber, flags);
}

/** Port, partner system id (priority,MAC), partner port number, age, flags. */
function nxosRow(channel: string, t: string[]): LacpNeighbor | string {
  const [port, system, portNumber, age, flags] = t as [string, string, string, string, string];
  if (!/^\d+,[0-9a-f]{1,2}(-[0-9a-f]{1,2}){5}$/i.test(system)) return `partner system '${system}' is not priority,MAC`;
  if (!HEX.test(portNumber)) return `partner port '${portNumber}' is not hexadecimal`;
  if (!/^\d+$/.test(age)) return `age '${age}' is not a number`;
  return neighbor(channel, port, system, portNumber, flags);
}
