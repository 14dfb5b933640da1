import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Device, Inventory } from '../../../src/inventory';
import { HEAD, inventoryFiles } from './inventory-files';

const files = inventoryFiles();

async function loadYaml(yaml: string): Promise<Inventory> {
  return files.load({ 'inv.yaml': yaml }, 'inv.yaml');
}

function device(inv: Inventory, name: string): Device {
  const found = inv.devices.find((d) => d.name === name);
  if (!found) throw new Error(`no device ${name}`);
  return found;
}

const GROUPS = [
  HEAD.replace('defaults: {platform: iosxe, site: ams1, credentials: lab}', 'defaults: {platform: iosxe, site: ams1, credentials: lab, port: 2222, tags: [all], data: {ntp: 1.1.1.1, dns: 9.9.9.9, role: none}}'),
  'groups:',
  '  parent:',
  '    platform: frr',
  '    tags: [p]',
  '    data: {role: from-parent, owner: neteng}',
  '  a:',
  '    groups: [parent]',
  '    tags: [a]',
  '    data: {ntp: 2.2.2.2}',
  '  b:',
  '    platform: nxos',
  '    port: 22',
  '    tags: [b]',
  '    data: {role: from-b}',
  'devices:',
].join('\n');

describe('inheritance: device > groups in listed order, depth-first through parents > defaults', () => {
  it('takes each field from the most specific level that sets it', async () => {
    const inv = await loadYaml(`${GROUPS}\n  d1: {host: 10.0.0.1, groups: [b]}\n  d2: {host: 10.0.0.2, groups: [b], platform: iosxe, port: 10022}\n`);
    expect(device(inv, 'd1')).toMatchObject({ platform: 'nxos', port: 22, site: 'ams1' });
    expect(device(inv, 'd2')).toMatchObject({ platform: 'iosxe', port: 10022 });
  });

  it('falls back to defaults when no group sets a field', async () => {
    const inv = await loadYaml(`${GROUPS}\n  d1: {host: 10.0.0.1}\n`);
    expect(device(inv, 'd1')).toMatchObject({ platform: 'iosxe', port: 2222, groups: [], tags: ['all'] });
  });

  it('lets the first listed group win, and walks its parents before the next group', async () => {
    // a has no platform but its parent does: parent (via a) outranks b.
    const inv = await loadYaml(`${GROUPS}\n  d1: {host: 10.0.0.1, groups: [a, b]}\n  d2: {host: 10.0.0.2, groups: [b, a]}\n`);
    expect(device(inv, 'd1').platform).toBe('frr');
    expect(device(inv, 'd1').groups).toEqual(['a', 'parent', 'b']);
    expect(device(inv, 'd2').platform).toBe('nxos');
    expect(device(inv, 'd2').groups).toEqual(['b', 'a', 'parent']);
  });

  it('merges data key by key with the same priority', async () => {
    const inv = await loadYaml(`${GROUPS}\n  d1: {host: 10.0.0.1, groups: [a, b], data: {loopback: 10.255.0.1, dns: 8.8.8.8}}\n`);
    expect(device(inv, 'd1').data).toEqual({ ntp: '2.2.2.2', dns: '8.8.8.8', role: 'from-parent', owner: 'neteng', loopback: '10.255.0.1' });
  });

  it('unions tags from every level without duplicates', async () => {
    const inv = await loadYaml(`${GROUPS}\n  d1: {host: 10.0.0.1, groups: [a, b], tags: [edge, a]}\n`);
    expect(device(inv, 'd1').tags).toEqual(['edge', 'a', 'p', 'b', 'all']);
  });

  it('applies defaults for port and host key checking when nothing sets them', async () => {
    const inv = await loadYaml(`${HEAD}\ndevices:\n  d1: {host: 10.0.0.1}\n`);
    expect(device(inv, 'd1')).toMatchObject({ port: 22, hostKeyCheck: 'strict' });
    expect(device(inv, 'd1').hostKey).toBeUndefined();
    expect(device(inv, 'd1').redundancyGroup).toBeUndefined();
  });

  it('inherits a redundancy group, pinned keys and known_hosts as written', async () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests';
    const { root, inventory: inv } = await files.loadIn({ 'inv.yaml':
      `${HEAD}\ngroups:\n  pair: {host_key_check: tofu, known_hosts: ~/.ssh/lab_hosts}\ndevices:\n` +
        `  d1: {host: 10.0.0.1, groups: [pair], redundancy_group: vrrp-1, host_key: "${key}"}\n` +
        `  d2: {host: 10.0.0.2, groups: [pair], redundancy_group: vrrp-1, known_hosts: hosts/known}\n`,
    }, 'inv.yaml');
    expect(device(inv, 'd1')).toMatchObject({ hostKey: key, hostKeyCheck: 'tofu', knownHostsFile: '~/.ssh/lab_hosts', redundancyGroup: 'vrrp-1' });
    expect(device(inv, 'd2').knownHostsFile).toBe(join(root, 'hosts/known'));
  });

  it('normalises Nornir/Netmiko platform names in our format too', async () => {
    const inv = await loadYaml(`${HEAD}\ndevices:\n  d1: {host: 10.0.0.1, platform: cisco_nxos}\n  d2: {host: 10.0.0.2, platform: linux-frr}\n`);
    expect(inv.devices.map((d) => d.platform)).toEqual(['nxos', 'frr']);
  });

  it('turns a credential set into references, with relative files resolved against the inventory', async () => {
    const yaml = [
      'credentials:',
      '  lab:',
      '    username: admin',
      '    password: env:LAB_PASSWORD',
      '    enable_secret: file:.data/lab/enable',
      '  keys:',
      '    username: ops',
      '    private_key: ~/.ssh/id_ed25519',
      '    passphrase: file:/run/secrets/pp',
      '    agent: true',
      'sites: {ams1: {timezone: UTC}}',
      'defaults: {platform: iosxe, site: ams1, credentials: lab}',
      'devices:',
      '  d1: {host: 10.0.0.1}',
      '  d2: {host: 10.0.0.2, credentials: keys}',
      '',
    ].join('\n');
    const { root, inventory: loaded } = await files.loadIn({ 'inv.yaml': yaml }, 'inv.yaml');
    expect(device(loaded, 'd1').credentials).toEqual({
      set: 'lab',
      username: 'admin',
      password: { kind: 'env', name: 'LAB_PASSWORD' },
      enableSecret: { kind: 'file', path: join(root, '.data/lab/enable') },
    });
    expect(device(loaded, 'd2').credentials).toEqual({
      set: 'keys',
      username: 'ops',
      privateKey: '~/.ssh/id_ed25519',
      passphrase: { kind: 'file', path: '/run/secrets/pp' },
      agent: true,
    });
  });

  it('keeps sites with their windows and lists devices in file order', async () => {
    const yaml = [
      'credentials: {lab: {username: admin, agent: true}}',
      'sites:',
      '  ams1:',
      '    timezone: Europe/Amsterdam',
      '    windows:',
      '      - {days: [sat, sun], start: "22:00", end: "04:00"}',
      '  spare: {timezone: UTC}',
      'defaults: {platform: iosxe, site: ams1, credentials: lab}',
      'devices:',
      '  z9: {host: z9.lab.example}',
      '  a1: {host: "2001:db8::1"}',
      '',
    ].join('\n');
    const inv = await loadYaml(yaml);
    expect(inv.devices.map((d) => d.name)).toEqual(['z9', 'a1']);
    expect(inv.sites).toEqual({
      ams1: { name: 'ams1', timezone: 'Europe/Amsterdam', windows: [{ days: ['sat', 'sun'], start: '22:00', end: '04:00' }] },
      spare: { name: 'spare', timezone: 'UTC', windows: [] },
    });
  });
});
