import type { CollectedDevice, IndexRow } from './types';

/** The small, table-sized view of a device record kept in a run's index. */
export function indexRowOf(d: CollectedDevice): IndexRow {
  return {
    device: d.device,
    site: d.site,
    reachable: d.reachable,
    ...(d.version !== undefined ? { version: d.version } : {}),
    ...(d.redundancy ? { redundancy: d.redundancy.map(({ group, state, priority }) => ({ group, state, priority })) } : {}),
    ...(d.bgp ? { bgpUp: d.bgp.up, bgpTotal: d.bgp.total } : {}),
    ...(d.error ? { error: `${d.error.type}: ${d.error.message}`.slice(0, 300) } : {}),
  };
}

/** Index lines are appended; a device put twice (a retried batch) keeps its last row, in first-seen order. */
export function lastRowPerDevice(rows: IndexRow[]): IndexRow[] {
  const byDevice = new Map<string, IndexRow>();
  for (const r of rows) byDevice.set(r.device, r);
  return [...byDevice.values()];
}
