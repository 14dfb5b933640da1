import { matchesFilter } from './filter-eval';
import { parseFilter } from './filter-parser';
import { SelectionError } from './selection-error';
import { closest } from './suggest';
import type { Device, Inventory } from './types';

/** Which devices a command acts on. Within one list, any entry matches; the kinds combine with "and". */
export interface Selection {
  devices?: string[];
  groups?: string[];
  sites?: string[];
  tags?: string[];
  /** Expression in the filter language, e.g. `site == ams1 and not tag == lab`. */
  filter?: string;
}

/**
 * The devices a selection names, in inventory order. An empty selection
 * means every device. Unknown names and selections that match nothing are
 * errors, so a typo never turns into "did nothing" or "did everything".
 */
export function selectDevices(inv: Inventory, sel: Selection): Device[] {
  const filter = sel.filter !== undefined && sel.filter.trim() !== '' ? parseFilter(sel.filter) : undefined;
  const names = nonEmpty(sel.devices);
  const groups = nonEmpty(sel.groups);
  const sites = nonEmpty(sel.sites);
  const tags = nonEmpty(sel.tags);

  checkKnown('--devices', 'device', names, inv.devices.map((d) => d.name));
  checkKnown('--group', 'group', groups, inv.devices.flatMap((d) => d.groups));
  checkKnown('--site', 'site', sites, [...Object.keys(inv.sites), ...inv.devices.map((d) => d.site)]);
  checkKnown('--tag', 'tag', tags, inv.devices.flatMap((d) => d.tags));

  const selected = inv.devices.filter(
    (d) =>
      (!names || names.includes(d.name)) &&
      (!groups || d.groups.some((g) => groups.includes(g))) &&
      (!sites || sites.includes(d.site)) &&
      (!tags || d.tags.some((t) => tags.includes(t))) &&
      (!filter || matchesFilter(d, filter)),
  );
  if (selected.length === 0) {
    throw new SelectionError(`the selection matched no devices: ${describeSelection(sel)} (inventory ${inv.source} has ${inv.devices.length})`);
  }
  return selected;
}

/** The selection as the flags that express it, for messages. */
export function describeSelection(sel: Selection): string {
  const parts: string[] = [];
  if (nonEmpty(sel.devices)) parts.push(`--devices ${sel.devices!.join(',')}`);
  if (nonEmpty(sel.groups)) parts.push(`--group ${sel.groups!.join(',')}`);
  if (nonEmpty(sel.sites)) parts.push(`--site ${sel.sites!.join(',')}`);
  if (nonEmpty(sel.tags)) parts.push(`--tag ${sel.tags!.join(',')}`);
  if (sel.filter !== undefined && sel.filter.trim() !== '') parts.push(`--filter '${sel.filter}'`);
  return parts.length === 0 ? 'all devices' : parts.join(' ');
}

function nonEmpty(list: string[] | undefined): string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function checkKnown(flag: string, what: string, wanted: string[] | undefined, known: string[]): void {
  if (!wanted) return;
  const knownSet = new Set(known);
  const unknown = wanted.filter((w) => !knownSet.has(w));
  if (unknown.length === 0) return;
  const hints = unknown.map((u) => {
    const guess = closest(u, knownSet);
    return guess === undefined ? u : `${u} (did you mean ${guess}?)`;
  });
  const plural = unknown.length === 1 ? what : `${what}s`;
  throw new SelectionError(`unknown ${plural} in ${flag}: ${hints.join(', ')}`);
}
