import { describe, expect, it } from 'vitest';
import type { DeviceSnapshot } from '../../../src/activities/upgrade-contract';
import { postCheckProblems, preCheckProblems } from '../../../src/workflows/device-upgrade';
import type { ImageSpec } from '../../../src/workflows/rollout-api';
import { renderRolloutDetails } from '../../../src/workflows/rollout-details';

const image: ImageSpec = { fileName: 'cat9k_iosxe.17.12.04.SPA.bin', version: '17.12.04', md5: 'ab', sizeBytes: 1_000, path: '/x' };

function snap(over: Partial<DeviceSnapshot> = {}): DeviceSnapshot {
  return {
    device: 'r1-a',
    reachable: true,
    version: '17.09.04',
    freeBytes: 10_000,
    redundancy: [],
    isActive: false,
    redundancyHealthy: true,
    bgpEstablished: ['10.0.0.1', '10.0.0.2'],
    interfacesUp: ['Gi1/0/1', 'Vlan10'],
    takenAtMs: 0,
    ...over,
  };
}

describe('pre-check', () => {
  it('passes a healthy device with room for the image', () => {
    expect(preCheckProblems(snap(), image)).toEqual([]);
  });
  it('refuses a device without space, saying how much is free and needed', () => {
    expect(preCheckProblems(snap({ freeBytes: 999 }), image)).toEqual(['not enough space: 999 bytes free, the image needs 1000']);
  });
  it('refuses to take a member out of a degraded redundancy group', () => {
    expect(preCheckProblems(snap({ redundancyHealthy: false }), image)[0]).toMatch(/redundancy group degraded/);
  });
  it('lists every problem at once', () => {
    expect(preCheckProblems(snap({ reachable: false, freeBytes: 1, redundancyHealthy: false }), image)).toHaveLength(3);
  });
  it('does not guess when free space is unknown', () => {
    expect(preCheckProblems(snap({ freeBytes: undefined }), image)).toEqual([]);
  });
});

describe('post-check', () => {
  it('passes when the target runs and nothing got worse', () => {
    expect(postCheckProblems(snap(), snap({ version: '17.12.04', bgpEstablished: ['10.0.0.2', '10.0.0.1', '10.0.0.3'] }), '17.12.04')).toEqual([]);
  });
  it('flags the wrong version', () => {
    expect(postCheckProblems(snap(), snap(), '17.12.04')).toEqual(['runs 17.09.04, expected 17.12.04']);
  });
  it('names BGP neighbours that did not come back', () => {
    expect(postCheckProblems(snap(), snap({ version: '17.12.04', bgpEstablished: ['10.0.0.1'] }), '17.12.04')).toEqual([
      'BGP neighbours not re-established: 10.0.0.2',
    ]);
  });
  it('names interfaces that went down', () => {
    expect(postCheckProblems(snap(), snap({ version: '17.12.04', interfacesUp: ['Vlan10'] }), '17.12.04')).toEqual([
      'interfaces down that were up: Gi1/0/1',
    ]);
  });
  it('does not count what was already down before', () => {
    expect(postCheckProblems(snap({ bgpEstablished: [] }), snap({ version: '17.12.04', bgpEstablished: [] }), '17.12.04')).toEqual([]);
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
    expect(text).toContain('| r1-a | s1 | g1 | running |');
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
