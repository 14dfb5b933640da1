import type { InterfaceBrief, Platform } from '../types';
import { cleanLines, findHeader, tokens } from './text';

/**
 * `show ip interface brief` (IOS-XE, NX-OS) and `show interface brief` (FRR).
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
      return parseFrr(lines);
  }
}

function parseIos(lines: string[]): InterfaceBrief[] {
  const header = findHeader(lines, ['interface', 'ok?', 'method', 'protocol']);
  if (header < 0) return [];
  const out: InterfaceBrief[] = [];
  for (const line of lines.slice(header + 1)) {
    const t = tokens(line);
    if (t.length < 6 || !/^(YES|NO)$/i.test(t[2]!)) continue;
    const status = t.slice(4, -1).join(' ');
    const protocol = t[t.length - 1]!;
    out.push({ interface: t[0]!, address: t[1]!, status, protocol, up: status === 'up' && protocol === 'up' });
  }
  return out;
}

function parseNxos(lines: string[]): InterfaceBrief[] {
  const header = findHeader(lines, ['interface', 'status']);
  if (header < 0) return [];
  const out: InterfaceBrief[] = [];
  for (const line of lines.slice(header + 1)) {
    const t = tokens(line);
    if (t.length < 3 || !t[2]!.includes('/')) continue;
    const parts = Object.fromEntries(t[2]!.split('/').map((p) => p.split('-') as [string, string]));
    const protocol = parts['protocol'] ?? 'unknown';
    const link = parts['link'] ?? 'unknown';
    const admin = parts['admin'] ?? 'unknown';
    const status = admin === 'down' ? 'administratively down' : link;
    out.push({ interface: t[0]!, address: t[1]!, status, protocol, up: protocol === 'up' && link === 'up' });
  }
  return out;
}

function parseFrr(lines: string[]): InterfaceBrief[] {
  const header = findHeader(lines, ['interface', 'status', 'vrf']);
  if (header < 0) return [];
  const out: InterfaceBrief[] = [];
  for (const line of lines.slice(header + 1)) {
    if (/^\s/.test(line) || /^-+/.test(line.trim())) continue; // continuation (`+ addr`) and rule lines
    const t = tokens(line);
    if (t.length < 3) continue;
    const status = t[1]!.toLowerCase();
    out.push({ interface: t[0]!, address: t[3] ?? 'unassigned', status, protocol: status, up: status === 'up' });
  }
  return out;
}
