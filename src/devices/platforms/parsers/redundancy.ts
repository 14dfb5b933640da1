import type { Platform, RedundancyEntry, RedundancyState } from '../types';
import { cleanLines, findHeader, tokens, toInt } from './text';

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

export function toState(word: string | undefined): RedundancyState {
  return (word && STATES[word.toLowerCase()]) || 'Unknown';
}

/**
 * IOS-XE `show standby brief`, NX-OS `show hsrp brief`, FRR `show vrrp`.
 * The HSRP tables are read by tokens: the optional `P` column is the only
 * thing that shifts positions, so we detect it rather than count columns.
 */
export function parseRedundancy(platform: Platform, text: string): RedundancyEntry[] {
  return platform === 'frr' ? parseVrrp(text) : parseHsrpBrief(text);
}

function parseHsrpBrief(text: string): RedundancyEntry[] {
  const lines = cleanLines(text);
  const header = findHeader(lines, ['interface', 'grp', 'state']);
  if (header < 0) return [];
  const out: RedundancyEntry[] = [];
  for (const line of lines.slice(header + 1)) {
    const t = tokens(line);
    if (t.length < 6) continue;
    const group = toInt(t[1]);
    const priority = toInt(t[2]);
    if (group === undefined || priority === undefined) continue;
    let i = 3;
    const preempt = t[i] === 'P';
    if (preempt) i++;
    const state = toState(t[i]);
    if (state === 'Unknown') continue;
    out.push({
      interface: t[0]!,
      group,
      priority,
      preempt,
      state,
      active: t[i + 1],
      standby: t[i + 2],
      virtualIp: t[i + 3],
    });
  }
  return out;
}

/** FRR `show vrrp` prints one key/value block per virtual router. */
function parseVrrp(text: string): RedundancyEntry[] {
  const lines = cleanLines(text);
  const blocks: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  let lastKey = '';
  for (const line of lines) {
    const m = /^\s*(\S.*?)\s{2,}(\S.*)$/.exec(line);
    if (!m) continue;
    let key = m[1]!.trim();
    const value = m[2]!.trim();
    if (/^Virtual Router ID$/i.test(key)) {
      current = new Map();
      blocks.push(current);
    }
    if (!current) continue;
    // Address lists continue on dotted filler lines under the count line.
    if (/^\.+$/.test(key)) key = `${lastKey} list`;
    else lastKey = key;
    const prev = current.get(key);
    current.set(key, prev ? `${prev} ${value}` : value);
  }
  return blocks.map((b) => {
    const state = toState(b.get('Status (v4)') ?? b.get('Status'));
    const addresses = tokens(b.get('IPv4 Addresses list') ?? '');
    return {
      interface: b.get('Interface') ?? '',
      group: toInt(b.get('Virtual Router ID')) ?? 0,
      priority: toInt(tokens(b.get('Priority') ?? '')[0]) ?? 0,
      preempt: /^yes/i.test(b.get('Preempt Mode') ?? ''),
      state,
      active: state === 'Master' ? 'local' : undefined,
      standby: state === 'Backup' ? 'local' : undefined,
      virtualIp: addresses[0],
    };
  });
}
