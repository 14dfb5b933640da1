import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/activities/types';
import { postCheckProblems, preCheckProblems } from '../../../src/workflows/device-upgrade';
import { degradedGroups, isActiveMember } from '../../../src/workflows/redundancy-health';
import type { ImageSpec } from '../../../src/contracts/rollout';
import { renderRolloutDetails, tableRow } from '../../../src/contracts/rollout-details';

const image: ImageSpec = { fileName: 'cat9k_iosxe.17.12.04.SPA.bin', version: '17.12.04', md5: 'ab', sizeBytes: 1_000, path: '/x' };
type Entry = Snapshot['redundancy'][number];

function hsrp(state: Entry['state'], over: Partial<Entry> = {}): Entry {
  return { interface: 'Vlan10', group: 10, priority: 100, preempt: true, state, active: 'local', standby: '10.0.10.3', ...over };
}

function snap(over: Partial<Snapshot> = {}): Snapshot {
  return {
    device: 'r1-a',
    takenAt: '2026-11-23T00:00:00Z',
    version: '17.09.04',
    redundancy: [],
    fileSystem: { name: 'bootflash:', freeBytes: 10_000, totalBytes: 100_000 },
    bgp: [
      { neighbor: '10.0.0.1', as: '65001', state: '12', established: true },
      { neighbor: '10.0.0.2', as: '65002', state: '3', established: true },
      { neighbor: '10.0.0.9', as: '65009', state: 'Idle (Admin)', established: false },
    ],
    interfaces: [
      { name: 'Gi1/0/1', up: true },
      { name: 'Vlan10', up: true },
      { name: 'Gi1/0/2', up: false },
    ],
    ...over,
  };
}

describe('pre-check', () => {
  it('passes a healthy device with room for the image', () => {
    expect(preCheckProblems(snap(), image, false)).toEqual([]);
  });
  it('refuses a device without space, saying how much is free and needed', () => {
    expect(preCheckProblems(snap({ fileSystem: { name: 'bootflash:', freeBytes: 999 } }), image, false)).toEqual([
      'not enough space on bootflash:: 999 bytes free, the image needs 1000',
    ]);
  });
  it('does not ask for space when the image is already there', () => {
    expect(preCheckProblems(snap({ fileSystem: { name: 'flash:', freeBytes: 1 } }), image, true)).toEqual([]);
  });
  it('refuses to take out an active member whose peer is not standing by', () => {
    const problems = preCheckProblems(snap({ redundancy: [hsrp('Active', { standby: 'unknown' })] }), image, false);
    expect(problems).toEqual(['redundancy degraded, taking it out could cut traffic: Vlan10 group 10 (Active, no standby)']);
  });
  it('lists every problem at once', () => {
    const s = snap({ fileSystem: { name: 'flash:', freeBytes: 1 }, redundancy: [hsrp('Init')] });
    expect(preCheckProblems(s, image, false)).toHaveLength(2);
  });
  it('does not guess when free space is unknown', () => {
    expect(preCheckProblems(snap({ fileSystem: { name: 'flash:' } }), image, false)).toEqual([]);
  });
});

describe('redundancy health', () => {
  it.each<[string, Entry[], boolean, string[]]>([
    ['active with a standby', [hsrp('Active')], true, []],
    ['standby with an active', [hsrp('Standby', { active: '10.0.10.2', standby: 'local' })], false, []],
    ['listen with an active', [hsrp('Listen', { active: '10.0.10.2', standby: '10.0.10.4' })], false, []],
    ['standby without an active', [hsrp('Standby', { active: 'unknown', standby: 'local' })], false, ['Vlan10 group 10 (Standby)']],
    ['VRRP master', [hsrp('Master', { active: 'local', standby: undefined })], true, []],
    ['VRRP backup', [hsrp('Backup', { active: undefined, standby: 'local' })], false, []],
    ['initialising', [hsrp('Init')], false, ['Vlan10 group 10 (Init)']],
    ['no groups at all', [], false, []],
    ['active in one group, standby in another', [hsrp('Active'), hsrp('Standby', { group: 20, active: '10.0.20.3' })], true, []],
  ])('%s', (_label, redundancy, active, degraded) => {
    const s = snap({ redundancy });
    expect(isActiveMember(s)).toBe(active);
    expect(degradedGroups(s)).toEqual(degraded);
  });
});

describe('post-check', () => {
  const up = (names: string[]) => names.map((name) => ({ name, up: true }));
  it('passes when the target runs and nothing got worse', () => {
    const post = snap({ version: '17.12.04', bgp: [...snap().bgp, { neighbor: '10.0.0.3', as: '1', state: '1', established: true }] });
    expect(postCheckProblems(snap(), post, '17.12.04')).toEqual([]);
  });
  it('flags the wrong version', () => {
    expect(postCheckProblems(snap(), snap(), '17.12.04')).toEqual(['runs 17.09.04, expected 17.12.04']);
  });
  it('names BGP neighbours that did not come back', () => {
    const post = snap({ version: '17.12.04', bgp: [{ neighbor: '10.0.0.1', as: '65001', state: '1', established: true }, { neighbor: '10.0.0.2', as: '65002', state: 'Active', established: false }] });
    expect(postCheckProblems(snap(), post, '17.12.04')).toEqual(['BGP neighbours not re-established: 10.0.0.2']);
  });
  it('names interfaces that went down', () => {
    expect(postCheckProblems(snap(), snap({ version: '17.12.04', interfaces: up(['Vlan10']) }), '17.12.04')).toEqual([
      'interfaces down that were up: Gi1/0/1',
    ]);
  });
  it('does not count what was already down before', () => {
    const post = snap({ version: '17.12.04', bgp: snap().bgp.filter((n) => n.established) });
    expect(postCheckProblems(snap(), post, '17.12.04')).toEqual([]);
  });
});

describe('live details for the Web UI', () => {
  const base = {
    name: 'r',
    status: 'running' as const,
    targetVersion: 'v',
    dryRun: false,
    total: 3,
    pending: 1,
    running: 1,
    done: 0,
    failed: 1,
    skipped: 0,
    failureBudget: 2,
    canary: [],
    approved: true,
    paused: false,
    generation: 1,
  };
  it('shows counts, running and failed devices, and why pending ones wait', () => {
    const text = renderRolloutDetails({
      ...base,
      devices: [
        { name: 'r1-a', state: 'running', site: 's1', redundancyGroup: 'g1', canary: false, attempts: 1 },
        { name: 'r1-b', state: 'pending', site: 's1', redundancyGroup: 'g1', canary: false, attempts: 0, waitingFor: 'redundancy' },
        { name: 'r2', state: 'failed', site: 's1', canary: false, attempts: 1, outcome: 'failed', error: { type: 'Unreachable', message: 'no route | here' } },
      ],
    });
    expect(text).toContain('1 running · 1 failed');
    expect(text).toContain(tableRow(['r1-a', 's1', 'g1', 'running', '']));
    expect(text).toContain('waiting: redundancy');
    expect(text).toContain('no route \\| here');
  });
  it('stays small for a large fleet', () => {
    const devices = Array.from({ length: 5000 }, (_, i) => ({ name: `d${i}`, state: 'running' as const, site: 's', canary: false, attempts: 1 }));
    const text = renderRolloutDetails({ ...base, total: 5000, running: 5000, devices });
    expect(text.length).toBeLessThan(4000);
    expect(text).toContain('4960 more');
  });
});
