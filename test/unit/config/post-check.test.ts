import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/activities/types';
import { backupNameFor, configPostCheckProblems, DEFAULT_CONFIG_VERIFY } from '../../../src/workflows/device-config';

function snap(over: Partial<Snapshot> = {}): Snapshot {
  return {
    device: 'r1-a',
    takenAt: '2026-11-23T00:00:00Z',
    version: '17.9.4a',
    redundancy: [{ interface: 'Vlan10', group: 10, priority: 110, state: 'Active', active: 'local', standby: '10.0.10.3', virtualIp: '10.0.10.1', preempt: true }],
    fileSystem: { name: 'flash:' },
    bgp: [{ neighbor: '10.0.1.3', as: '65002', state: 'Established', established: true }],
    interfaces: [{ name: 'Gi1/0/1', up: true }, { name: 'Gi1/0/2', up: false }],
    ...over,
  } as Snapshot;
}

describe('configPostCheckProblems', () => {
  it('nothing worse: no problems', () => {
    expect(configPostCheckProblems(snap(), snap(), DEFAULT_CONFIG_VERIFY)).toEqual([]);
  });

  it('reports an interface that went down, a lost neighbour and a group left without standby', () => {
    const post = snap({
      interfaces: [{ name: 'Gi1/0/1', up: false }, { name: 'Gi1/0/2', up: false }],
      bgp: [{ neighbor: '10.0.1.3', as: '65002', state: 'Idle', established: false }],
      redundancy: [{ ...snap().redundancy[0]!, standby: 'unknown' }],
    });
    expect(configPostCheckProblems(snap(), post, DEFAULT_CONFIG_VERIFY)).toEqual([
      'redundancy degraded: Vlan10 group 10 (Active, no standby)',
      'interfaces down that were up: Gi1/0/1',
      'BGP neighbours down that were established: 10.0.1.3',
    ]);
  });

  it('a group removed by the change counts as degraded', () => {
    expect(configPostCheckProblems(snap(), snap({ redundancy: [] }), DEFAULT_CONFIG_VERIFY)).toEqual(['redundancy degraded: Vlan10 group 10 (gone)']);
  });

  it('only the checks asked for', () => {
    const post = snap({ interfaces: [{ name: 'Gi1/0/1', up: false }] });
    expect(configPostCheckProblems(snap(), post, { ...DEFAULT_CONFIG_VERIFY, interfaces: false })).toEqual([]);
  });
});

describe('backupNameFor', () => {
  it('is a safe file name, stable per rollout', () => {
    expect(backupNameFor('ntp push/2026 11')).toBe('netops-ntp_push_2026_11.cfg');
    expect(backupNameFor('x'.repeat(90))).toHaveLength(`netops-.cfg`.length + 60);
  });
});
