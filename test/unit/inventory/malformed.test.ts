import { describe, expect, it } from 'vitest';
import { HEAD, inventoryFiles, withDevices } from './inventory-files';

const files = inventoryFiles();

/** Lines 1-7: a credential set, a site with one window (line 7), defaults. */
function withWindow(window: string): string {
  return [
    'credentials:',
    '  lab: {username: admin, password: env:LAB_PASSWORD}',
    'sites:',
    '  ams1:',
    '    timezone: Europe/Amsterdam',
    '    windows:',
    `      - ${window}`,
    'defaults: {platform: iosxe, site: ams1, credentials: lab}',
    'devices:',
    '  r1-a: {host: 10.0.0.1}',
    '',
  ].join('\n');
}

/** A credential set written as `lab: <value>` on line 2, then a usable rest. */
function withCredentialSet(...lines: string[]): string {
  return [
    'credentials:',
    ...lines,
    'sites:',
    '  ams1: {timezone: UTC}',
    'defaults: {platform: iosxe, site: ams1, credentials: lab}',
    'devices:',
    '  r1-a: {host: 10.0.0.1}',
    '',
  ].join('\n');
}

const PORT_EXPECTED = 'expected a port number 1-65535';

const cases: Array<[string, string, string[]]> = [
  ['port 0', withDevices('  r1-a:', '    host: 10.0.0.1', '    port: 0'), [`inv.yaml:9:11: devices.r1-a.port: found 0, ${PORT_EXPECTED}`]],
  ['port 70000', withDevices('  r1-a:', '    host: 10.0.0.1', '    port: 70000'), [`inv.yaml:9:11: devices.r1-a.port: found 70000, ${PORT_EXPECTED}`]],
  ['port "abc"', withDevices('  r1-a:', '    host: 10.0.0.1', '    port: abc'), [`inv.yaml:9:11: devices.r1-a.port: found "abc", ${PORT_EXPECTED}`]],
  ['fractional port', withDevices('  r1-a:', '    host: 10.0.0.1', '    port: 22.5'), [`inv.yaml:9:11: devices.r1-a.port: found 22.5, ${PORT_EXPECTED}`]],
  [
    'IPv4 address out of range',
    withDevices('  r1-a:', '    host: 10.0.0.300'),
    ['inv.yaml:8:11: devices.r1-a.host: found "10.0.0.300", expected an IPv4/IPv6 address or a DNS host name'],
  ],
  [
    'host with spaces',
    withDevices('  r1-a:', '    host: "bad host!"'),
    ['inv.yaml:8:11: devices.r1-a.host: found "bad host!", expected an IPv4/IPv6 address or a DNS host name'],
  ],
  ['host missing', withDevices('  r1-a:', '    port: 22'), ['inv.yaml:7:3: devices.r1-a.host: missing, expected an IPv4/IPv6 address or a DNS host name']],
  [
    'unknown platform with a close match',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    platform: iosx'),
    [
      'inv.yaml:9:15: devices.r1-a.platform: found "iosx", expected one of "iosxe", "nxos" or "frr" (Nornir/Netmiko names such as cisco_ios are accepted); did you mean "iosxe"?',
    ],
  ],
  [
    'unknown platform',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    platform: junos'),
    ['inv.yaml:9:15: devices.r1-a.platform: found "junos", expected one of "iosxe", "nxos" or "frr" (Nornir/Netmiko names such as cisco_ios are accepted)'],
  ],
  [
    'misspelt key gets a suggestion',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    plaform: nxos'),
    ['inv.yaml:9:5: devices.r1-a.plaform: unknown key "plaform"; did you mean "platform"?'],
  ],
  [
    'unknown key without a close match lists the allowed keys',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    colour: red'),
    [
      'inv.yaml:9:5: devices.r1-a.colour: unknown key "colour", expected one of: host, port, platform, site, tags, credentials, host_key_check, known_hosts, data, groups, redundancy_group, host_key',
    ],
  ],
  [
    'misspelt top-level section (and no "no devices" echo)',
    [HEAD, 'device:', '  r1-a: {host: 10.0.0.1}', ''].join('\n'),
    ['inv.yaml:6:1: device: unknown key "device"; did you mean "devices"?'],
  ],
  [
    'misspelt key in defaults does not also report the field missing on every device',
    [HEAD.replace('platform: iosxe', 'plaform: iosxe'), 'devices:', '  r1-a: {host: 10.0.0.1}', ''].join('\n'),
    ['inv.yaml:5:12: defaults.plaform: unknown key "plaform"; did you mean "platform"?'],
  ],
  [
    'duplicate device names',
    withDevices('  r1-a:', '    host: 10.0.0.1', '  r1-a:', '    host: 10.0.0.2'),
    ['inv.yaml:9:3: devices.r1-a: duplicate device name "r1-a", first defined at line 7'],
  ],
  [
    'duplicate group names',
    [HEAD, 'groups:', '  core: {tags: [a]}', '  core: {tags: [b]}', 'devices:', '  r1-a: {host: 10.0.0.1, groups: [core]}', ''].join('\n'),
    ['inv.yaml:8:3: groups.core: duplicate group name "core", first defined at line 7'],
  ],
  [
    'duplicate key inside a device',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    host: 10.0.0.2'),
    ['inv.yaml:9:5: devices.r1-a.host: duplicate key "host", first defined at line 8'],
  ],
  [
    'unknown group',
    [HEAD, 'groups:', '  core: {}', 'devices:', '  r1-a:', '    host: 10.0.0.1', '    groups: [cor]', ''].join('\n'),
    ['inv.yaml:11:14: devices.r1-a.groups[0]: found "cor", expected a group defined under groups: (known: core); did you mean "core"?'],
  ],
  [
    'unknown group when no groups are defined',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    groups: [core]'),
    ['inv.yaml:9:14: devices.r1-a.groups[0]: found "core", expected a group defined under groups: (none are defined)'],
  ],
  [
    'groups not a list',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    groups: core'),
    ['inv.yaml:9:13: devices.r1-a.groups: found "core", expected a list of names, e.g. [core, edge]'],
  ],
  [
    'unknown site',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    site: ams2'),
    ['inv.yaml:9:11: devices.r1-a.site: found "ams2", expected a site defined under sites: (known: ams1); did you mean "ams1"?'],
  ],
  [
    'unknown credential set',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    credentials: lba'),
    ['inv.yaml:9:18: devices.r1-a.credentials: found "lba", expected a credential set defined under credentials: (known: lab); did you mean "lab"?'],
  ],
  [
    'literal password',
    withCredentialSet('  lab:', '    username: admin', '    password: hunter2'),
    [
      'inv.yaml:4:15: credentials.lab.password: found a literal secret (not shown), expected a reference (use env:NAME or file:PATH, never the secret itself)',
    ],
  ],
  [
    'literal enable secret',
    withCredentialSet('  lab:', '    username: admin', '    password: env:P', '    enable_secret: s3cret'),
    [
      'inv.yaml:5:20: credentials.lab.enable_secret: found a literal secret (not shown), expected a reference (use env:NAME or file:PATH, never the secret itself)',
    ],
  ],
  [
    'bad environment variable name',
    withCredentialSet('  lab:', '    username: admin', '    password: env:1BAD'),
    ['inv.yaml:4:15: credentials.lab.password: found "env:1BAD", expected env:NAME with NAME an environment variable name (letters, digits, _)'],
  ],
  [
    'file reference without a path',
    withCredentialSet('  lab:', '    username: admin', '    password: "file:"'),
    ['inv.yaml:4:15: credentials.lab.password: found "file:", expected file:PATH with a path after "file:"'],
  ],
  ['credential set without username', withCredentialSet('  lab: {password: env:P}'), ['inv.yaml:2:3: credentials.lab.username: missing, expected a user name']],
  [
    'credential set without any way to log in',
    withCredentialSet('  lab: {username: admin}'),
    ['inv.yaml:2:3: credentials.lab.password: missing, expected password: (env:NAME or file:PATH), private_key: or agent: true'],
  ],
  ['agent not a boolean', withCredentialSet('  lab: {username: admin, agent: yes}'), ['inv.yaml:2:33: credentials.lab.agent: found "yes", expected true or false']],
  [
    'bad time zone',
    HEAD.replace('Europe/Amsterdam', 'Mars/Olympus') + '\ndevices:\n  r1-a: {host: 10.0.0.1}\n',
    ['inv.yaml:4:20: sites.ams1.timezone: found "Mars/Olympus", expected an IANA time zone such as "Europe/Amsterdam" or "UTC"'],
  ],
  [
    'window start out of range',
    withWindow('{days: [sat, sun], start: "25:00", end: "05:00"}'),
    ['inv.yaml:7:35: sites.ams1.windows[0].start: found "25:00", expected a time "HH:MM" from "00:00" to "23:59"'],
  ],
  [
    'window day spelt out',
    withWindow('{days: [sat, sunday], start: "01:00", end: "05:00"}'),
    ['inv.yaml:7:22: sites.ams1.windows[0].days[1]: found "sunday", expected a day: mon, tue, wed, thu, fri, sat, sun; did you mean "sun"?'],
  ],
  [
    'empty window',
    withWindow('{days: [sat], start: "05:00", end: "05:00"}'),
    ['inv.yaml:7:44: sites.ams1.windows[0].end: found "05:00", expected an end different from the start (a window cannot be empty)'],
  ],
  ['window without days', withWindow('{days: [], start: "01:00", end: "05:00"}'), ['inv.yaml:7:16: sites.ams1.windows[0].days: found an empty list, expected at least one day']],
  [
    'window with a misspelt key',
    withWindow('{days: [sat], start: "01:00", ned: "05:00"}'),
    ['inv.yaml:7:9: sites.ams1.windows[0].end: missing, expected a time "HH:MM" from "00:00" to "23:59"', 'inv.yaml:7:39: sites.ams1.windows[0].ned: unknown key "ned"; did you mean "end"?'],
  ],
  [
    'redundancy group with a single member',
    withDevices(
      '  r1-a:',
      '    host: 10.0.0.1',
      '    redundancy_group: hsrp-10',
      '  r1-b:',
      '    host: 10.0.0.2',
      '    redundancy_group: hsrp-10',
      '  r2-a:',
      '    host: 10.0.0.3',
      '    redundancy_group: hsrp-11',
    ),
    [
      'inv.yaml:15:23: devices.r2-a.redundancy_group: redundancy group "hsrp-11" has only one member (r2-a), expected at least two devices sharing it (is the name misspelt on its peer?)',
    ],
  ],
  [
    'group inheritance cycle',
    [HEAD, 'groups:', '  a:', '    groups: [b]', '  b:', '    groups: [a]', 'devices:', '  r1-a: {host: 10.0.0.1, groups: [a]}', ''].join('\n'),
    ['inv.yaml:10:14: groups.b.groups[0]: found "a", which makes an inheritance cycle (a -> b -> a); expected groups to inherit without loops'],
  ],
  [
    'group inheriting from itself',
    [HEAD, 'groups:', '  a: {groups: [a]}', 'devices:', '  r1-a: {host: 10.0.0.1, groups: [a]}', ''].join('\n'),
    ['inv.yaml:7:16: groups.a.groups[0]: found "a", which makes an inheritance cycle (a -> a); expected groups to inherit without loops'],
  ],
  ['YAML that is a list', '- r1-a\n- r1-b\n', ['inv.yaml:1:1: found a list, expected a mapping with devices: (and optionally defaults:, credentials:, groups:, sites:)']],
  ['YAML that is a scalar', 'just some words\n', ['inv.yaml:1:1: found "just some words", expected a mapping with devices: (and optionally defaults:, credentials:, groups:, sites:)']],
  ['empty file', '# nothing here yet\n', ['inv.yaml:1:1: found an empty file, expected a mapping with devices: (and optionally defaults:, credentials:, groups:, sites:)']],
  ['no devices', `${HEAD}\ndevices: {}\n`, ['inv.yaml:6:1: devices: found no devices, expected at least one device under devices:']],
  ['devices as a list', withDevices('  - r1-a'), ['inv.yaml:7:3: devices: found a list, expected a mapping of devices by name']],
  [
    'platform not set anywhere',
    HEAD.replace('platform: iosxe, ', '') + '\ndevices:\n  r1-a: {host: 10.0.0.1}\n',
    ['inv.yaml:7:3: devices.r1-a.platform: missing, expected one of "iosxe", "nxos" or "frr" on the device, one of its groups or defaults'],
  ],
  [
    'site not set anywhere',
    HEAD.replace('site: ams1, ', '') + '\ndevices:\n  r1-a: {host: 10.0.0.1}\n',
    ['inv.yaml:7:3: devices.r1-a.site: missing, expected the name of a site on the device, one of its groups or defaults'],
  ],
  [
    'credentials not set anywhere',
    HEAD.replace(', credentials: lab', '') + '\ndevices:\n  r1-a: {host: 10.0.0.1}\n',
    ['inv.yaml:7:3: devices.r1-a.credentials: missing, expected the name of a credential set on the device, one of its groups or defaults'],
  ],
  [
    'malformed pinned host key',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    host_key: "ssh-ed25519 notbase64"'),
    ['inv.yaml:9:15: devices.r1-a.host_key: found "ssh-ed25519 notbase64", expected an OpenSSH public key such as "ssh-ed25519 AAAA..."'],
  ],
  [
    'host key check mode misspelt',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    host_key_check: strikt'),
    ['inv.yaml:9:21: devices.r1-a.host_key_check: found "strikt", expected "strict", "tofu" or "off"; did you mean "strict"?'],
  ],
  ['tags not a list', withDevices('  r1-a:', '    host: 10.0.0.1', '    tags: edge'), ['inv.yaml:9:11: devices.r1-a.tags: found "edge", expected a list of tags, e.g. [edge, lab]']],
  ['data not a mapping', withDevices('  r1-a:', '    host: 10.0.0.1', '    data: [1, 2]'), ['inv.yaml:9:11: devices.r1-a.data: found a list, expected a mapping of variables']],
  ['device given as a bare address', withDevices('  r1-a: 10.0.0.1'), ['inv.yaml:7:9: devices.r1-a: found "10.0.0.1", expected a mapping with host: and the device settings']],
  [
    'device name with a space',
    withDevices('  "r1 a": {host: 10.0.0.1}'),
    ['inv.yaml:7:3: devices.r1 a: found "r1 a", expected a device name of letters, digits, ".", "_" or "-"'],
  ],
  [
    'two devices with the same address',
    withDevices('  r1-a: {host: 10.0.0.1}', '  r1-b: {host: 10.0.0.1}'),
    ['inv.yaml:8:16: devices.r1-b.host: found 10.0.0.1:22, which is also the address of device "r1-a"; expected each device to have its own host and port'],
  ],
  [
    'several problems are all reported, in file order',
    withDevices('  r1-a:', '    host: 10.0.0.1', '    port: 0', '    site: ams2', '  r1-b:', '    host: 10.0.0.2', '    plaform: nxos'),
    [
      `inv.yaml:9:11: devices.r1-a.port: found 0, ${PORT_EXPECTED}`,
      'inv.yaml:10:11: devices.r1-a.site: found "ams2", expected a site defined under sites: (known: ams1); did you mean "ams1"?',
      'inv.yaml:13:5: devices.r1-b.plaform: unknown key "plaform"; did you mean "platform"?',
    ],
  ],
];

describe('malformed inventories: every problem with file:line:col, field, found and expected', () => {
  it.each(cases)('%s', async (_title, yaml, expected) => {
    expect(await files.problems(yaml)).toEqual(expected);
  });

  it('has at least 35 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  it('reports a missing file', async () => {
    expect(await files.problemLines({}, 'nope.yaml')).toEqual(['nope.yaml:1:1: cannot read the file: it does not exist']);
  });

  it.each([
    ['devices:\n  r1-a: {host: 10.0.0.1\n', 'inv.yaml:3:1: not valid YAML: Flow map in block collection must be sufficiently indented and end with a }'],
    ['devices:\n\tr1-a: x\n', 'inv.yaml:2:1: not valid YAML: Tabs are not allowed as indentation'],
    ['a: b: c\n', 'inv.yaml:1:4: not valid YAML: Nested mappings are not allowed in compact mappings'],
  ])('reports text that is not YAML at the syntax error: %j', async (text, expected) => {
    expect(await files.problems(text)).toEqual([expected]);
  });

  it('never echoes a literal secret', async () => {
    const lines = await files.problems(withCredentialSet('  lab:', '    username: admin', '    password: hunter2', '    passphrase: "correct horse"'));
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/hunter2|correct horse/);
  });
});
