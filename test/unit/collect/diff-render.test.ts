import { describe, expect, it } from 'vitest';
import { describeChange, diffRuns, indexRowOf, type CollectedDevice } from '../../../src/results';
import { renderDiff, renderResult, renderRunTable, resumedLine } from '../../../src/cli/collect/render';
import type { CollectResult, CollectSummary } from '../../../src/contracts/collect';
import { emptySummary } from '../../../src/contracts/collect-batches';

function dev(name: string, over: Partial<CollectedDevice> = {}): CollectedDevice {
  return {
    device: name,
    site: 'ams1',
    platform: 'iosxe',
    runId: 'r',
    collectedAt: '2026-11-23T04:00:00Z',
    reachable: true,
    attempts: 1,
    version: '17.09.04a',
    redundancy: [{ interface: 'Vlan10', group: 10, state: 'Active', priority: 110 }],
    bgp: { up: 2, total: 2, neighbors: [{ neighbor: '10.0.0.1', as: '65001', state: '5', established: true }, { neighbor: '10.0.0.2', as: '65002', state: '7', established: true }] },
    ...over,
  };
}

describe('diffRuns', () => {
  it('finds version, role, BGP and reachability changes and counts the rest as unchanged', () => {
    const a = [dev('r1'), dev('r2'), dev('r3'), dev('r4')];
    const b = [
      dev('r1', { version: '17.12.04' }),
      dev('r2', { redundancy: [{ interface: 'Vlan10', group: 10, state: 'Standby', priority: 50 }] }),
      dev('r3', { bgp: { up: 1, total: 2, neighbors: [{ neighbor: '10.0.0.1', as: '65001', state: '5', established: true }, { neighbor: '10.0.0.2', as: '65002', state: 'Idle', established: false }] } }),
      dev('r4', { reachable: false, error: { type: 'Unreachable', message: 'refused', retryable: true } }),
    ];
    const d = diffRuns('A', a, 'B', b);
    expect(d.unchanged).toBe(0);
    expect(d.devices.map((x) => [x.device, x.changes.map(describeChange)])).toEqual([
      ['r1', ['version 17.09.04a -> 17.12.04']],
      ['r2', ['group 10 (Vlan10) Active/110 -> Standby/50']],
      ['r3', ['BGP neighbour 10.0.0.2 up -> down']],
      ['r4', ['unreachable (Unreachable: refused)']],
    ]);
  });
  it('does not report missing data of an unreachable device as changes, and reports added/removed devices', () => {
    const down = dev('r1', { reachable: false, version: undefined, redundancy: undefined, bgp: undefined });
    const d = diffRuns('A', [down, dev('old')], 'B', [dev('r1', { reachable: false, version: undefined }), dev('new')]);
    expect(d.devices).toEqual([
      { device: 'new', changes: [{ kind: 'added' }] },
      { device: 'old', changes: [{ kind: 'removed' }] },
    ]);
    expect(d.unchanged).toBe(1);
  });
  it('reports a neighbour that appeared as absent -> up', () => {
    const b = dev('r1', { bgp: { up: 3, total: 3, neighbors: [...dev('r1').bgp!.neighbors, { neighbor: '10.0.0.3', as: '65003', state: '1', established: true }] } });
    expect(diffRuns('A', [dev('r1')], 'B', [b]).devices[0]?.changes).toEqual([{ kind: 'bgp', neighbor: '10.0.0.3', from: 'absent', to: 'up' }]);
  });
});

describe('rendering', () => {
  it('prints one sorted row per device with group/state/priority and n/m BGP', () => {
    const rows = [dev('r2'), dev('r1', { reachable: false, version: undefined, redundancy: undefined, bgp: undefined, error: { type: 'AuthenticationFailed', message: 'r1: authentication as admin failed', retryable: false } })].map(indexRowOf);
    const text = renderRunTable(undefined, 'run-1', rows);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('run run-1: 2 devices, 1 reachable, 1 failed');
    expect(lines[1]).toMatch(/^DEVICE\s+SITE\s+REACHABLE\s+VERSION\s+REDUNDANCY/);
    expect(lines[2]).toMatch(/^r1\s+ams1\s+no\s+-\s+-\s+-\s+AuthenticationFailed: r1: authentication as admin failed$/);
    expect(lines[3]).toMatch(/^r2\s+ams1\s+yes\s+17\.09\.04a\s+g10 Active\/110\s+2\/2$/);
  });
  it('says under the heading when a crash made batches resume, from the counts the run stored', () => {
    const rows = [dev('r1')].map(indexRowOf);
    const meta = { runId: 'run-2', name: 'nightly', startedAt: '2026-11-23T06:00:00Z', finishedAt: '2026-11-23T06:01:00Z', devices: 1, commands: ['show version'] };
    const crashed = renderRunTable({ ...meta, counts: { ok: 1, failed: 0, resumedBatches: 1, resumedDevices: 47, recollectedDevices: 8 } }, 'run-2', rows).split('\n');
    expect(crashed[1]).toBe('1 batch resumed from a checkpoint (47 devices not collected again; 8 whose sessions the crash cut were collected again)');
    expect(crashed[2]).toMatch(/^DEVICE/);
    // A calm run, and a run stored before the resume counts were kept, have no such line.
    expect(renderRunTable({ ...meta, counts: { ok: 1, failed: 0, resumedBatches: 0, resumedDevices: 0, recollectedDevices: 0 } }, 'run-2', rows).split('\n')[1]).toMatch(/^DEVICE/);
    expect(renderRunTable({ ...meta, counts: { ok: 1, failed: 0 } }, 'run-2', rows).split('\n')[1]).toMatch(/^DEVICE/);
  });

  it('prints the diff with the device named once per group of changes', () => {
    const d = diffRuns('A', [dev('r1')], 'B', [dev('r1', { version: '17.12.04', redundancy: [] })]);
    const text = renderDiff(d);
    expect(text).toContain('A -> B: 1 device changed, 0 unchanged');
    expect(text).toMatch(/r1\s+version\s+version 17\.09\.04a -> 17\.12\.04\n\s+redundancy\s+group 10 \(Vlan10\) Active\/110 -> absent/);
  });
});

describe('run summary', () => {
  const result = (summary: Partial<CollectSummary>): CollectResult => ({
    runId: 'kill',
    name: 'kill',
    store: { kind: 'local', root: '/tmp/r' },
    startedAt: '2026-11-23T04:00:00Z',
    finishedAt: '2026-11-23T04:01:00Z',
    summary: { ...emptySummary(200, 2), ok: 200, batchesDone: 2, ...summary },
  });

  it('says how many devices a resumed batch skipped and how many cut sessions it collected again', () => {
    const text = renderResult(result({ resumedBatches: 1, resumedDevices: 47, recollectedDevices: 8 }));
    expect(text).toContain('  1 batch resumed from a checkpoint (47 devices not collected again; 8 whose sessions the crash cut were collected again)\n');
    expect(renderResult(result({ resumedBatches: 2, resumedDevices: 1, recollectedDevices: 1 }))).toContain('2 batches resumed from a checkpoint (1 device not collected again; 1 whose session the crash cut was collected again)');
  });

  it('leaves the resume line out when nothing was retried, and the recollected part out for older summaries', () => {
    expect(renderResult(result({}))).not.toContain('resumed');
    const { recollectedDevices: _, ...old } = result({ resumedBatches: 1, resumedDevices: 12 }).summary;
    expect(resumedLine(old)).toBe('1 batch resumed from a checkpoint (12 devices not collected again)');
  });
});
