import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory';
import { inventoryFiles } from './inventory-files';

const FIXTURES = join(__dirname, '../../fixtures/inventory');
const files = inventoryFiles();

const DEFAULTS = ['username: admin', 'password: env:LAB_PASSWORD', 'data:', '  sites:', '    ams1: {timezone: UTC}', ''].join('\n');

describe('Nornir SimpleInventory import', () => {
  it('resolves to exactly the same devices and sites as the equivalent netops inventory', async () => {
    const ours = await loadInventory(join(FIXTURES, 'lab.yaml'));
    const nornir = await loadInventory(join(FIXTURES, 'nornir'));
    expect(nornir.devices).toEqual(ours.devices);
    expect(nornir.sites).toEqual(ours.sites);
    expect(nornir.devices).toHaveLength(5);
  });

  it('accepts a path to hosts.yaml as well as the directory, and an explicit --format', async () => {
    const byDir = await loadInventory(join(FIXTURES, 'nornir'), { format: 'nornir' });
    const byFile = await loadInventory(join(FIXTURES, 'nornir', 'hosts.yaml'));
    expect(byFile.devices).toEqual(byDir.devices);
    expect(byFile.source).toBe(join(FIXTURES, 'nornir', 'hosts.yaml'));
  });

  it.each([
    ['cisco_ios', 'iosxe'],
    ['ios', 'iosxe'],
    ['iosxe', 'iosxe'],
    ['cisco_xe', 'iosxe'],
    ['cisco_nxos', 'nxos'],
    ['nxos', 'nxos'],
    ['nxos_ssh', 'nxos'],
    ['frr', 'frr'],
    ['linux-frr', 'frr'],
  ])('maps platform %s to %s', async (nornirName, platform) => {
    const inv = await files.load({ 'hosts.yaml': `r1: {hostname: 10.0.0.1, platform: ${nornirName}, data: {site: ams1}}\n`, 'defaults.yaml': DEFAULTS }, '.');
    expect(inv.devices[0]!.platform).toBe(platform);
  });

  it('inherits username and password field by field, naming the set after where the user name comes from', async () => {
    const inv = await files.load(
      {
        'defaults.yaml': ['username: admin', 'platform: ios', 'data: {sites: {ams1: {timezone: UTC}}, site: ams1}', ''].join('\n'),
        'groups.yaml': 'core: {password: "file:secrets/core"}\nops: {username: ops, password: env:OPS}\n',
        'hosts.yaml': 'r1: {hostname: 10.0.0.1, groups: [core]}\nr2: {hostname: 10.0.0.2, groups: [ops], port: 2022}\n',
      },
      '.',
    );
    expect(inv.devices[0]!.credentials).toMatchObject({ set: 'defaults', username: 'admin', password: { kind: 'file' } });
    expect(inv.devices[1]!.credentials).toEqual({ set: 'ops', username: 'ops', password: { kind: 'env', name: 'OPS' } });
    expect(inv.devices[1]!.port).toBe(2022);
  });

  it('keeps Nornir data apart from the keys it maps, and ignores connection_options', async () => {
    const inv = await files.load(
      {
        'defaults.yaml': DEFAULTS,
        'hosts.yaml': 'r1:\n  hostname: r1.lab.example\n  platform: ios\n  connection_options: {netmiko: {extras: {fast_cli: false}}}\n  data: {site: ams1, tags: [edge], vlan: 10}\n',
      },
      '.',
    );
    expect(inv.devices[0]).toMatchObject({ host: 'r1.lab.example', site: 'ams1', tags: ['edge'], data: { vlan: 10 } });
  });

  it('refuses a literal password with the same message as our format', async () => {
    const lines = await files.problemLines(
      { 'defaults.yaml': DEFAULTS.replace('env:LAB_PASSWORD', 'Cisco123'), 'hosts.yaml': 'r1: {hostname: 10.0.0.1, platform: ios, data: {site: ams1}}\n' },
      '.',
    );
    expect(lines).toEqual([
      'defaults.yaml:2:11: password: found a literal secret (not shown), expected a reference (use env:NAME or file:PATH, never the secret itself)',
    ]);
  });

  it('reports problems in each of the three files with their own positions (a misspelt key is not also reported missing)', async () => {
    const lines = await files.problemLines(
      {
        'defaults.yaml': DEFAULTS + 'plaform: ios\n',
        'groups.yaml': 'core:\n  data: {site: ams2}\n',
        'hosts.yaml': 'r1:\n  hostnme: 10.0.0.1\n  platform: ios\n  groups: [core, edge]\nr2:\n  hostname: 10.0.0.2\n  port: 0\n  platform: junos\n  data: {site: ams1}\n',
      },
      '.',
    );
    expect(lines).toEqual([
      'defaults.yaml:6:1: plaform: unknown key "plaform"; did you mean "platform"?',
      'groups.yaml:2:16: core.data.site: found "ams2", expected a site defined under sites: in defaults.yaml (known: ams1); did you mean "ams1"?',
      'hosts.yaml:2:3: r1.hostnme: unknown key "hostnme"; did you mean "hostname"?',
      'hosts.yaml:4:18: r1.groups[1]: found "edge", expected a group defined in groups.yaml (known: core)',
      'hosts.yaml:7:9: r2.port: found 0, expected a port number 1-65535',
      'hosts.yaml:8:13: r2.platform: found "junos", expected one of "iosxe", "nxos" or "frr" (Nornir/Netmiko names such as cisco_ios are accepted)',
    ]);
  });

  it('refuses a key set both at the top level and under data', async () => {
    const lines = await files.problemLines(
      { 'defaults.yaml': DEFAULTS, 'hosts.yaml': 'r1:\n  hostname: 10.0.0.1\n  platform: ios\n  site: ams1\n  data:\n    site: ams1\n' },
      '.',
    );
    expect(lines).toEqual(['hosts.yaml:6:5: r1.data.site: found site both here and at the top level of r1, expected it in one place']);
  });

  it('says when a directory has no hosts.yaml, and when a host has no user name', async () => {
    expect(await files.problemLines({ 'inv/groups.yaml': 'core: {}\n' }, 'inv')).toEqual([
      'inv:1:1: found a directory without hosts.yaml, expected a Nornir inventory directory (hosts.yaml, groups.yaml, defaults.yaml) or an inventory file',
    ]);
    expect(
      await files.problemLines({ 'hosts.yaml': 'r1: {hostname: 10.0.0.1, platform: ios, password: env:P, data: {site: ams1, sites: {}}}\n', 'defaults.yaml': DEFAULTS.replace('username: admin\n', '') }, '.'),
    ).toEqual(['hosts.yaml:1:1: r1.username: missing, expected a user name on the host, one of its groups or defaults']);
  });

  it('reports an empty hosts.yaml as an inventory without devices', async () => {
    expect(await files.problemLines({ 'hosts.yaml': '# none yet\n' }, 'hosts.yaml')).toEqual([
      'hosts.yaml:1:1: devices: found no devices, expected at least one device in hosts.yaml',
    ]);
  });
});
