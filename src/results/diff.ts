import type { CollectedDevice } from './types';

/** One thing that changed on one device between two runs. */
export type DeviceChange =
  | { kind: 'added' | 'removed' }
  | { kind: 'reachability'; from: boolean; to: boolean; error?: string }
  | { kind: 'version'; from?: string; to?: string }
  | { kind: 'redundancy'; group: number; interface: string; from?: string; to?: string; priorityFrom?: number; priorityTo?: number }
  | { kind: 'bgp'; neighbor: string; from: 'up' | 'down' | 'absent'; to: 'up' | 'down' | 'absent' };

export interface RunDiff {
  from: string;
  to: string;
  /** Devices with at least one change, in name order. */
  devices: { device: string; changes: DeviceChange[] }[];
  unchanged: number;
}

/**
 * What changed in the network between two runs. A device unreachable in
 * either run is compared on reachability only: missing data is not a change
 * of version or role.
 */
export function diffRuns(fromRun: string, a: CollectedDevice[], toRun: string, b: CollectedDevice[]): RunDiff {
  const before = new Map(a.map((d) => [d.device, d]));
  const after = new Map(b.map((d) => [d.device, d]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const devices: RunDiff['devices'] = [];
  let unchanged = 0;
  for (const name of names) {
    const changes = diffDevice(before.get(name), after.get(name));
    if (changes.length) devices.push({ device: name, changes });
    else unchanged++;
  }
  return { from: fromRun, to: toRun, devices, unchanged };
}

export function diffDevice(x: CollectedDevice | undefined, y: CollectedDevice | undefined): DeviceChange[] {
  if (!x) return [{ kind: 'added' }];
  if (!y) return [{ kind: 'removed' }];
  if (x.reachable !== y.reachable) return [{ kind: 'reachability', from: x.reachable, to: y.reachable, ...(y.error ? { error: `${y.error.type}: ${y.error.message}` } : {}) }];
  if (!x.reachable) return [];
  const out: DeviceChange[] = [];
  if (x.version !== y.version) out.push({ kind: 'version', ...(x.version !== undefined ? { from: x.version } : {}), ...(y.version !== undefined ? { to: y.version } : {}) });
  out.push(...diffRedundancy(x, y), ...diffBgp(x, y));
  return out;
}

function diffRedundancy(x: CollectedDevice, y: CollectedDevice): DeviceChange[] {
  if (!x.redundancy || !y.redundancy) return [];
  const key = (r: { interface: string; group: number }) => `${r.interface}#${r.group}`;
  const before = new Map(x.redundancy.map((r) => [key(r), r]));
  const after = new Map(y.redundancy.map((r) => [key(r), r]));
  const out: DeviceChange[] = [];
  for (const k of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const p = before.get(k);
    const q = after.get(k);
    const ref = (q ?? p)!;
    if (p?.state === q?.state && p?.priority === q?.priority) continue;
    out.push({
      kind: 'redundancy',
      group: ref.group,
      interface: ref.interface,
      ...(p ? { from: p.state, priorityFrom: p.priority } : {}),
      ...(q ? { to: q.state, priorityTo: q.priority } : {}),
    });
  }
  return out;
}

function diffBgp(x: CollectedDevice, y: CollectedDevice): DeviceChange[] {
  if (!x.bgp || !y.bgp) return [];
  const state = (d: CollectedDevice, n: string): 'up' | 'down' | 'absent' => {
    const found = d.bgp?.neighbors.find((b) => b.neighbor === n);
    return !found ? 'absent' : found.established ? 'up' : 'down';
  };
  const names = [...new Set([...x.bgp.neighbors, ...y.bgp.neighbors].map((b) => b.neighbor))].sort();
  const out: DeviceChange[] = [];
  for (const n of names) {
    const from = state(x, n);
    const to = state(y, n);
    if (from !== to) out.push({ kind: 'bgp', neighbor: n, from, to });
  }
  return out;
}

/** One line per change, as `collect diff` prints it. */
export function describeChange(c: DeviceChange): string {
  switch (c.kind) {
    case 'added':
      return 'new in this run';
    case 'removed':
      return 'not in this run';
    case 'reachability':
      return c.to ? 'reachable again' : `unreachable${c.error ? ` (${c.error})` : ''}`;
    case 'version':
      return `version ${c.from ?? '?'} -> ${c.to ?? '?'}`;
    case 'redundancy':
      return `group ${c.group} (${c.interface}) ${c.from ?? 'absent'}${c.priorityFrom !== undefined ? `/${c.priorityFrom}` : ''} -> ${c.to ?? 'absent'}${c.priorityTo !== undefined ? `/${c.priorityTo}` : ''}`;
    case 'bgp':
      return `BGP neighbour ${c.neighbor} ${c.from} -> ${c.to}`;
  }
}
