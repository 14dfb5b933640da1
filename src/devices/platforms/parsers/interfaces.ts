import type { InterfaceBrief, Platform } from '../types';
import { ParseProblem, type UnreadableLine } from '../../errors';
import { parseFrrInterfaces } from './frr-interfaces';
import { cleanLines, findHeader, tokens } from './text';

/**
 * `show ip interface brief` (IOS-XE, NX-OS) and `show interface json` (FRR, see frr-interfaces.ts).
 * IOS status may be two words (`administratively down`): everything between
 * Method and the last token is the status.
 */
export function parseInterfaces(platform: Platform, text: string): InterfaceBrief[] {
  const lines = cleanLines(text);
  switch (platform) {
    case 'iosxe':
      return parseIos(lines);
    case 'nxos':
      return parseNxos(lines);
    case 'frr':
      return parseFrrInterfaces(text);
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** What IOS prints in the Status column (`deleted`: a removed sub-interface). */
const IOS_STATUS = /^(up|down|administratively down|deleted|reset|testing|dormant|notPresent|lowerLayerDown)$/;

function problemsOrRows(table: string, out: InterfaceBrief[], problems: UnreadableLine[]): InterfaceBrief[] {
  if (problems.length > 0) throw new ParseProblem(table, problems, out);
  return out;
}

/** Interface, IP-Address, OK?, Method, Status (one or two words), Protocol. */
function parseIos(lines: string[]): InterfaceBrief[] {
  const header = findHeader(lines, ['interface', 'ok?', 'method', 'protocol']);
  if (header < 0) return [];
  const out: InterfaceBrief[] = [];
  const problems: UnreadableLine[] = [];
  for (const line of lines.slice(header + 1)) {
    const t = tokens(line);
    if (t.length === 0) continue;
    const status = t.slice(4, -1).join(' ');
    const protocol = t[t.length - 1]!;
    if (t.length < 6 || !/^(YES|NO)$/i.test(t[2]!)) problems.push({ line, reason: 'not an interface row (Interface, IP-Address, OK?, Method, Status, Protocol)' });
    else if (!IPV4.test(t[1]!) && t[1] !== 'unassigned') problems.push({ line, reason: `IP-Address '${t[1]}' is neither an address nor unassigned` });
    else if (!IOS_STATUS.test(status)) problems.push({ line, reason: `Status '${status}' is not an interface status` });
    else if (!/^(up|down)$/.test(protocol)) problems.push({ line, reason: `Protocol '${protocol}' is neither up nor down` });
    else out.push({ interface: t[0]!, address: t[1]!, status, protocol, up: status === 'up' && protocol === 'up' });
  }
  return problemsOrRows('interface table', out, problems);
}

/**
 * One table per VRF (`IP Interface Status for VRF "x"(n)`), rows of
 * Interface, IP Address, `protocol-X/link-Y/admin-Z`. An unnumbered
 * interface continues on the next line with the interface it borrows from,
 * `(loopback0)`, which is not a row of its own.
 */
function parseNxos(lines: string[]): InterfaceBrief[] {
  const out: InterfaceBrief[] = [];
  const problems: UnreadableLine[] = [];
  let inTable = false;
  for (const line of lines) {
    const trimmed = line.trim();
    const t = tokens(line);
    if (/^IP Interface Status for VRF/i.test(trimmed) || trimmed === '') {
      inTable = false;
      continue;
    }
    if (t[0]?.toLowerCase() === 'interface' && t.includes('Status')) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    if (/^\([\w./-]+\)$/.test(trimmed) && out.length > 0 && out[out.length - 1]!.address === 'unnumbered') continue;
    const parts = t.length === 3 ? Object.fromEntries(t[2]!.split('/').map((p) => p.split('-') as [string, string])) : {};
    const protocol = parts['protocol'];
    const link = parts['link'];
    const admin = parts['admin'];
    if (!protocol || !link || !admin) {
      problems.push({ line, reason: 'not an interface row (Interface, IP Address, protocol-X/link-Y/admin-Z)' });
      continue;
    }
    const status = admin === 'down' ? 'administratively down' : link;
    out.push({ interface: t[0]!, address: t[1]!, status, protocol, up: protocol === 'up' && link === 'up' });
  }
  return problemsOrRows('interface table', out, problems);
}
