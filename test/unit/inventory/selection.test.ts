import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FilterSyntaxError, loadInventory, selectDevices, SelectionError, type Inventory, type Selection } from '../../../src/inventory';

let inv: Inventory;
beforeAll(async () => {
  inv = await loadInventory(join(__dirname, '../../fixtures/inventory/lab.yaml'));
});

const pick = (sel: Selection) => selectDevices(inv, sel).map((d) => d.name);

describe('selectDevices', () => {
  it('selects every device, in inventory order, when nothing is asked for', () => {
    expect(pick({})).toEqual(['r1-a', 'r1-b', 'n1-a', 'n1-b', 'fra-frr1']);
    expect(pick({ devices: [], groups: [], filter: '  ' })).toHaveLength(5);
  });

  it('selects by name, keeping inventory order', () => {
    expect(pick({ devices: ['n1-b', 'r1-a'] })).toEqual(['r1-a', 'n1-b']);
  });

  it('selects by group, including groups inherited through parents', () => {
    expect(pick({ groups: ['nexus'] })).toEqual(['n1-a', 'n1-b']);
    expect(pick({ groups: ['all-routers'] })).toEqual(['r1-a', 'r1-b', 'n1-a', 'n1-b']);
  });

  it('selects by site and by tag; several values of one kind mean any of them', () => {
    expect(pick({ sites: ['fra1'] })).toEqual(['fra-frr1']);
    expect(pick({ tags: ['edge'] })).toEqual(['r1-a', 'fra-frr1']);
    expect(pick({ tags: ['dc', 'edge'] })).toEqual(['r1-a', 'n1-a', 'n1-b', 'fra-frr1']);
  });

  it('combines different kinds with "and", filter included', () => {
    expect(pick({ sites: ['ams1'], tags: ['edge'] })).toEqual(['r1-a']);
    expect(pick({ groups: ['core'], filter: 'platform == nxos' })).toEqual(['n1-a', 'n1-b']);
    expect(pick({ filter: 'data.ntp == 10.0.0.1' })).toEqual(['fra-frr1']);
  });

  it('refuses unknown device names, listing them with suggestions', () => {
    expect(() => pick({ devices: ['r1-a', 'r1-c', 'zz9'] })).toThrow(new SelectionError('unknown devices in --devices: r1-c (did you mean r1-a?), zz9'));
  });

  it('refuses unknown groups, sites and tags', () => {
    expect(() => pick({ groups: ['cor'] })).toThrow('unknown group in --group: cor (did you mean core?)');
    expect(() => pick({ sites: ['ams2'] })).toThrow('unknown site in --site: ams2 (did you mean ams1?)');
    expect(() => pick({ tags: ['nothing-like-it'] })).toThrow('unknown tag in --tag: nothing-like-it');
  });

  it('treats a selection that matches nothing as an error naming the selection', () => {
    expect(() => pick({ sites: ['fra1'], tags: ['dc'] })).toThrow(
      new SelectionError(`the selection matched no devices: --site fra1 --tag dc (inventory ${inv.source} has 5)`),
    );
    expect(() => pick({ filter: 'name ~ "^zz"' })).toThrow(`the selection matched no devices: --filter 'name ~ "^zz"'`);
  });

  it('passes filter syntax errors through with their column', () => {
    expect(() => pick({ filter: 'site == ' })).toThrow(FilterSyntaxError);
    expect(() => pick({ filter: 'site == ' })).toThrow(/column 9/);
  });
});
