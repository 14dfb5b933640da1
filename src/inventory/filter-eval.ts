import type { FilterExpr, FilterField } from './filter-parser';
import type { Device } from './types';

/** Values of a field on a device; multi-valued fields (group, tag) give several, absent ones none. */
export function fieldValues(device: Device, field: FilterField): string[] {
  switch (field) {
    case 'name':
      return [device.name];
    case 'host':
      return [device.host];
    case 'port':
      return [String(device.port)];
    case 'platform':
      return [device.platform];
    case 'site':
      return [device.site];
    case 'group':
      return device.groups;
    case 'tag':
      return device.tags;
    case 'redundancy_group':
      return device.redundancyGroup === undefined ? [] : [device.redundancyGroup];
    default:
      return dataValues(device.data, field.slice('data.'.length).split('.'));
  }
}

function dataValues(data: Record<string, unknown>, keys: string[]): string[] {
  let node: unknown = data;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
    node = (node as Record<string, unknown>)[key];
  }
  const items = Array.isArray(node) ? node : [node];
  return items.filter((v) => v !== undefined && v !== null).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
}

/**
 * True when the device matches. For multi-valued fields `==` means "has",
 * `!=` means "has not", `in` means "has any of" and `~` means "any matches".
 */
export function matchesFilter(device: Device, expr: FilterExpr): boolean {
  switch (expr.kind) {
    case 'and':
      return matchesFilter(device, expr.left) && matchesFilter(device, expr.right);
    case 'or':
      return matchesFilter(device, expr.left) || matchesFilter(device, expr.right);
    case 'not':
      return !matchesFilter(device, expr.expr);
    case 'eq':
      return fieldValues(device, expr.field).includes(expr.value);
    case 'ne':
      return !fieldValues(device, expr.field).includes(expr.value);
    case 'in':
      return fieldValues(device, expr.field).some((v) => expr.values.includes(v));
    case 'match':
      return fieldValues(device, expr.field).some((v) => expr.pattern.test(v));
  }
}
