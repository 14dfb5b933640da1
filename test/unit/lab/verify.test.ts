import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '../../../src/lab/events';
import { FAST_TIMINGS } from '../../../src/lab/timings';
import { formatVerifyResult, readEventLog, verifyEventLog } from '../../../src/lab/verify';

/** Builds a synthetic log: [t, body] pairs. */
function log(...items: Array<[number, LabEventBody]>): LabEvent[] {
  const start: LabEventBody = { type: 'lab.start', devices: 3, timings: { ...FAST_TIMINGS, holdMs: 100 }, groups: { g1: ['a', 'b'] } };
  return [[0, start] as [number, LabEventBody], ...items].map(([t, body], i) => ({ ...body, seq: i + 1, t, wall: new Date(1e12 + t).toISOString() }) as LabEvent);
}
const red = (device: string, from: string, to: string): LabEventBody => ({ type: 'redundancy', device, group: 'g1', from, to, priority: 100 }) as LabEventBody;
const base: Array<[number, LabEventBody]> = [
  [1, red('a', 'init', 'active')],
  [1, red('b', 'init', 'standby')],
];

describe('verifyEventLog', () => {
  it('accepts a clean failover within the grace', () => {
    const r = verifyEventLog(
      log(...base, [1000, { type: 'reload.start', device: 'a' }], [1000, red('a', 'active', 'init')], [1100, red('b', 'standby', 'active')], [1400, { type: 'device.up', device: 'a', version: '1', image: 'x', reloads: 1 }]),
    );
    expect(r.ok).toBe(true);
    expect(r.stats.reloads).toBe(1);
  });

  it('flags a group without an active beyond the grace while a member was healthy', () => {
    const r = verifyEventLog(log(...base, [1000, red('a', 'active', 'standby')], [2000, red('b', 'standby', 'active')]));
    expect(r.ok).toBe(false);
    expect(r.breaches[0]).toMatchObject({ kind: 'no-active', subject: 'g1', at: 1000 });
    expect(r.breaches[0]!.message).toContain('a, b were healthy');
    expect(r.breaches[0]!.timeline.map((e) => e.t)).toContain(1000);
  });

  it('flags a group with no active left at the end of the log', () => {
    const r = verifyEventLog(log(...base, [1000, red('a', 'active', 'standby')], [5000, { type: 'command', device: 'c', session: 's', command: 'x' }]));
    expect(r.breaches.map((b) => b.kind)).toEqual(['no-active']);
  });

  it('flags both members of a pair down at once', () => {
    const r = verifyEventLog(
      log(...base, [1000, { type: 'reload.start', device: 'a' }], [1000, red('a', 'active', 'init')], [1050, { type: 'reload.start', device: 'b' }], [1050, red('b', 'standby', 'init')]),
    );
    expect(r.breaches.map((b) => b.kind)).toEqual(['group-down']);
    expect(r.breaches[0]!.message).toContain('every member of group g1 (a, b) was down at once');
  });

  it('flags two overlapping mutating sessions on one device but not sequential ones', () => {
    const seq = verifyEventLog(
      log(
        [10, { type: 'session.mutating', device: 'c', session: 'c/1', reason: 'config' }],
        [20, { type: 'session.close', device: 'c', session: 'c/1', mutating: true, clean: true }],
        [30, { type: 'session.mutating', device: 'c', session: 'c/2', reason: 'transfer' }],
      ),
    );
    expect(seq.ok).toBe(true);
    const overlap = verifyEventLog(
      log([10, { type: 'session.mutating', device: 'c', session: 'c/1', reason: 'config' }], [15, { type: 'session.mutating', device: 'c', session: 'c/2', reason: 'reload' }]),
    );
    expect(overlap.breaches[0]).toMatchObject({ kind: 'concurrent-mutating', subject: 'c', at: 15 });
  });

  it('tells a session the client ended from one whose connection was cut, in a breach timeline', () => {
    const r = verifyEventLog(
      log(
        [10, { type: 'session.mutating', device: 'c', session: 'c/1', reason: 'config' }],
        [20, { type: 'session.close', device: 'c', session: 'c/1', mutating: true, clean: true }],
        [30, { type: 'session.mutating', device: 'c', session: 'c/2', reason: 'reload' }],
        [40, { type: 'reload.start', device: 'c', session: 'c/2' }],
        [41, { type: 'session.close', device: 'c', session: 'c/2', mutating: true, clean: false }],
      ),
      { maxReloadsPerDevice: 0 },
    );
    const text = formatVerifyResult(r);
    expect(text).toMatch(/c session c\/1 closed \(mutating\)/);
    expect(text).toMatch(/c session c\/2 lost \(connection cut\) \(mutating\)/);
  });

  it('flags a device reloaded more often than allowed, once', () => {
    const events = log(
      [10, { type: 'reload.start', device: 'c' }],
      [20, { type: 'device.up', device: 'c', version: '1', image: 'x', reloads: 1 }],
      [30, { type: 'reload.start', device: 'c' }],
      [40, { type: 'device.up', device: 'c', version: '1', image: 'x', reloads: 2 }],
      [50, { type: 'reload.start', device: 'c' }],
    );
    expect(verifyEventLog(events, { maxReloadsPerDevice: 2 }).breaches.map((b) => b.kind)).toEqual(['too-many-reloads']);
    expect(verifyEventLog(events, { maxReloadsPerDevice: 3 }).ok).toBe(true);
    expect(verifyEventLog(events).ok).toBe(true);
  });

  it('reads a JSON-lines file, ignoring a torn last line, and formats a timeline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-'));
    const path = join(dir, 'events.jsonl');
    const events = log(...base, [1000, red('a', 'active', 'standby')], [3000, red('b', 'standby', 'active')]);
    writeFileSync(path, `${events.map((e) => JSON.stringify(e)).join('\n')}\n{"seq": 9, "t"`);
    expect(readEventLog(path)).toHaveLength(events.length);
    const text = formatVerifyResult(verifyEventLog(path));
    expect(text).toContain('BREACHED: 1 breach');
    expect(text).toContain('[no-active]');
    expect(text).toMatch(/\+\s+1000\.0 ms {2}a g1: active -> standby/);
  });
});
