import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, matchesFilter, parseFilter, type Device } from '../../../src/inventory';

function dev(name: string, over: Partial<Device> = {}): Device {
  return {
    name,
    host: '10.0.0.1',
    port: 22,
    platform: 'iosxe',
    site: 'ams1',
    groups: [],
    tags: [],
    credentials: { set: 'lab', username: 'admin', agent: true },
    hostKeyCheck: 'strict',
    data: {},
    ...over,
  };
}

const FLEET: Device[] = [
  dev('r1-a', { tags: ['edge'], groups: ['core', 'all'], redundancyGroup: 'hsrp-10', data: { role: 'pe', vlans: [10, 20], snmp: { v3: true } } }),
  dev('r1-b', { host: '10.0.0.2', tags: ['edge'], groups: ['core', 'all'], redundancyGroup: 'hsrp-10', data: { role: 'pe' } }),
  dev('n1-a', { platform: 'nxos', groups: ['dc', 'all'], port: 2222 }),
  dev('lab-r9', { site: 'fra1', tags: ['lab', 'edge'], data: { role: 'ce' } }),
  dev('frr1', { platform: 'frr', site: 'fra1', host: 'frr1.lab.example' }),
];

function names(expression: string): string[] {
  const expr = parseFilter(expression);
  return FLEET.filter((d) => matchesFilter(d, expr)).map((d) => d.name);
}

describe('filter language: what matches', () => {
  it.each<[string, string[]]>([
    ['site == ams1', ['r1-a', 'r1-b', 'n1-a']],
    ['site == "ams1"', ['r1-a', 'r1-b', 'n1-a']],
    ["site == 'fra1'", ['lab-r9', 'frr1']],
    ['site != ams1', ['lab-r9', 'frr1']],
    ['platform in [iosxe, nxos]', ['r1-a', 'r1-b', 'n1-a', 'lab-r9']],
    ['platform not in [iosxe, nxos]', ['frr1']],
    ['platform == cisco_nxos', ['n1-a']],
    ['tag == edge', ['r1-a', 'r1-b', 'lab-r9']],
    ['tags == edge', ['r1-a', 'r1-b', 'lab-r9']],
    ['tag != edge', ['n1-a', 'frr1']],
    ['tag in [lab, nope]', ['lab-r9']],
    ['group == all', ['r1-a', 'r1-b', 'n1-a']],
    ['group ~ "^d"', ['n1-a']],
    ['name ~ "^lab-"', ['lab-r9']],
    ['name ~ "-[ab]$"', ['r1-a', 'r1-b', 'n1-a']],
    ['host == 10.0.0.2', ['r1-b']],
    ['host ~ "\\.example$"', ['frr1']],
    ['port == 2222', ['n1-a']],
    ['redundancy_group == hsrp-10', ['r1-a', 'r1-b']],
    ['redundancy_group != hsrp-10', ['n1-a', 'lab-r9', 'frr1']],
    ['redundancy_group ~ "."', ['r1-a', 'r1-b']],
    ['data.role == pe', ['r1-a', 'r1-b']],
    ['data.role != pe', ['n1-a', 'lab-r9', 'frr1']],
    ['data.vlans == 20', ['r1-a']],
    ['data.snmp.v3 == true', ['r1-a']],
    ['data.missing == x', []],
    ['not site == ams1', ['lab-r9', 'frr1']],
    ['not not site == ams1', ['r1-a', 'r1-b', 'n1-a']],
    ['site == ams1 and tag == edge', ['r1-a', 'r1-b']],
    ['site == fra1 or platform == nxos', ['n1-a', 'lab-r9', 'frr1']],
    // and binds tighter than or
    ['platform == frr or site == ams1 and tag == edge', ['r1-a', 'r1-b', 'frr1']],
    ['(platform == frr or site == ams1) and tag == edge', ['r1-a', 'r1-b']],
    ['site == "ams1" and (platform in [iosxe, nxos] or tag == edge) and not name ~ "^lab-"', ['r1-a', 'r1-b', 'n1-a']],
    ['site == ams1 AND tag == edge', ['r1-a', 'r1-b']],
    ['name == "and"', []],
  ])('%s', (expression, expected) => {
    expect(names(expression)).toEqual(expected);
  });
});

describe('filter language: syntax errors point at the column', () => {
  it.each<[string, number, string]>([
    ['', 1, 'found an empty expression, expected e.g. site == ams1'],
    ['site ==', 8, 'found the end of the expression, expected a value after "=="'],
    ['site = ams1', 6, 'found "=", expected "==" (comparison)'],
    ['plaform == iosxe', 1, 'found unknown field "plaform", expected name, host, port, platform, site, group, tag, redundancy_group or data.NAME; did you mean "platform"?'],
    ['site ams1', 6, 'found "ams1", expected an operator (==, !=, ~, in) after "site"'],
    ['(site == ams1', 14, 'found the end of the expression, expected ")" to close the "(" at column 1'],
    ['site == ams1)', 13, 'found ")", expected "and", "or" or the end of the expression'],
    ['site == ams1 tag == edge', 14, 'found "tag", expected "and", "or" or the end of the expression'],
    ['platform in iosxe', 13, 'found "iosxe", expected "[" to start the list after "in"'],
    ['platform in [iosxe nxos]', 20, 'found "nxos", expected "," or "]" (list started at column 13)'],
    ['platform in [iosxe,', 20, 'found the end of the expression, expected a value after ","'],
    ['name ~ "(unclosed"', 8, 'found an invalid regular expression (/(unclosed/: Unterminated group)'],
    ['name == "open', 9, 'unterminated string, expected a closing "'],
    ['site == ams1 and', 17, 'found the end of the expression, expected a field (name, host, port, platform, site, group, tag, redundancy_group, data.NAME)'],
    ['site == ams1 & tag == x', 14, 'unexpected character "&"'],
    ['not', 4, 'found the end of the expression, expected a field (name, host, port, platform, site, group, tag, redundancy_group, data.NAME)'],
    ['SITE == ams1', 1, 'found unknown field "SITE", expected name, host, port, platform, site, group, tag, redundancy_group or data.NAME; did you mean "site"?'],
    ['data. == x', 1, 'found unknown field "data.", expected name, host, port, platform, site, group, tag, redundancy_group or data.NAME'],
  ])('%j fails at column %i', (expression, column, detail) => {
    let error: unknown;
    try {
      parseFilter(expression);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FilterSyntaxError);
    const e = error as FilterSyntaxError;
    expect(e.column).toBe(column);
    expect(e.message).toBe(`invalid --filter at column ${column}: ${detail} (in: ${expression})`);
  });
});
