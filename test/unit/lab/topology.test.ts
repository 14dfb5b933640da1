import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchCommand, parsePipe, tokenize } from '../../../src/lab/cli/grammar';
import { generateTopology, loadTopology, parseTopology } from '../../../src/lab/topology';

describe('generateTopology', () => {
  it('makes pairs that share a group and a platform, spread over sites', () => {
    const t = generateTopology({ devices: 8, pairs: true, sites: 2, platformMix: true });
    expect(t.sites).toEqual(['site1', 'site2']);
    expect(t.devices.map((d) => `${d.name}:${d.platform}:${d.site}:${d.redundancyGroup}`)).toEqual([
      'r1-a:iosxe:site1:site1-g1',
      'r1-b:iosxe:site1:site1-g1',
      'r2-a:nxos:site1:site1-g2',
      'r2-b:nxos:site1:site1-g2',
      'r3-a:frr:site2:site2-g3',
      'r3-b:frr:site2:site2-g3',
      'r4-a:iosxe:site2:site2-g4',
      'r4-b:iosxe:site2:site2-g4',
    ]);
  });

  it('leaves an odd last device without a group, and singles without groups', () => {
    expect(generateTopology({ devices: 3, pairs: true }).devices.map((d) => d.redundancyGroup)).toEqual(['site1-g1', 'site1-g1', undefined]);
    expect(generateTopology({ devices: 2, platform: 'nxos' }).devices.map((d) => [d.name, d.platform, d.redundancyGroup])).toEqual([
      ['r1', 'nxos', undefined],
      ['r2', 'nxos', undefined],
    ]);
  });

  it('sets the initial version for one platform or per platform', () => {
    expect(generateTopology({ devices: 2, initialVersion: '17.12.04' }).devices.map((d) => d.version)).toEqual(['17.12.04', '17.12.04']);
    const mixed = generateTopology({ devices: 3, platformMix: true, initialVersion: { nxos: '10.4.3' } }).devices;
    expect(mixed.map((d) => d.version)).toEqual([undefined, '10.4.3', undefined]);
  });

  it('hands out faults at the requested rate, reproducibly', () => {
    const a = generateTopology({ devices: 1000, faultRate: 0.1, faultKinds: ['slow-command', 'max-sessions'], seed: 7 });
    const faulty = a.devices.filter((d) => d.faults?.length);
    expect(faulty.length).toBeGreaterThan(60);
    expect(faulty.length).toBeLessThan(140);
    expect(faulty.some((d) => d.faults![0]!.kind === 'max-sessions')).toBe(true);
    expect(generateTopology({ devices: 1000, faultRate: 0.1, faultKinds: ['slow-command', 'max-sessions'], seed: 7 })).toEqual(a);
  });
});

describe('topology files', () => {
  it('loads a YAML topology with faults and collects the sites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topo-'));
    const path = join(dir, 't.yaml');
    writeFileSync(
      path,
      `devices:
  - {name: core-a, platform: nxos, site: dc1, redundancy_group: g1, priority: 120}
  - {name: core-b, platform: nxos, site: dc1, redundancy_group: g1, faults: [{kind: slow-command, delayMs: 800}]}
  - {name: edge1, platform: frr, site: dc2, version: '9.1'}
`,
    );
    const t = loadTopology(path);
    expect(t.sites).toEqual(['dc1', 'dc2']);
    expect(t.devices[0]).toMatchObject({ name: 'core-a', priority: 120, redundancyGroup: 'g1' });
    expect(t.devices[1]!.faults).toEqual([{ kind: 'slow-command', delayMs: 800 }]);
    expect(t.devices[2]).toMatchObject({ platform: 'frr', version: '9.1' });
  });

  it('says which field is wrong', () => {
    expect(() => parseTopology({ devices: [{ name: 'a', platform: 'junos' }] }, 't.yaml')).toThrow(/^t\.yaml: devices\.0\.platform: /);
    expect(() => parseTopology({ devices: [{ name: 'a', faults: [{ kind: 'gremlins' }] }] }, 't.yaml')).toThrow(/devices\.0\.faults\.0\.kind/);
    expect(() => parseTopology({ devices: [{ name: 'a' }, { name: 'a' }] }, 't.yaml')).toThrow('t.yaml: device a is listed twice');
    expect(() => loadTopology('/nonexistent.yaml')).toThrow(/cannot read topology/);
  });
});

describe('command grammar', () => {
  const specs = ['show version', 'show running-config', 'show ip interface brief', 'configure terminal'].map((w) => ({ words: w.split(' '), platforms: [], privileged: false, run: async () => undefined }));

  it('matches abbreviations and hands back the arguments', () => {
    const m = matchCommand(specs, tokenize('sh ip int br extra'), 18);
    expect(m.kind === 'ok' && m.spec.words.join(' ')).toBe('show ip interface brief');
    expect(m.kind === 'ok' && m.args.map((a) => a.text)).toEqual(['extra']);
  });

  it('points at the first word nothing accepts, or says incomplete', () => {
    expect(matchCommand(specs, tokenize('show ip route'), 13)).toEqual({ kind: 'invalid', at: 8 });
    expect(matchCommand(specs, tokenize('show'), 4)).toEqual({ kind: 'incomplete' });
  });

  it('filters output with include, exclude, begin and section', () => {
    const lines = ['hostname r1', 'interface Vlan10', ' standby 10 priority 110', 'router bgp 1', ' neighbor x'];
    expect(parsePipe('show run | include standby').filter!(lines)).toEqual([' standby 10 priority 110']);
    expect(parsePipe('show run | ex standby').filter!(lines)).toHaveLength(4);
    expect(parsePipe('show run | begin router').filter!(lines)).toEqual(['router bgp 1', ' neighbor x']);
    expect(parsePipe('show run | section interface').filter!(lines)).toEqual(['interface Vlan10', ' standby 10 priority 110']);
    expect(parsePipe('show run | frobnicate x').error).toBeGreaterThan(0);
  });
});
