import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandsFor, pickAlternative } from '../../../src/activities/collect';
import { overlapPolicy, parseEvery, scheduleSpec } from '../../../src/cli/collect/schedule';
import { LocalResultStore, type CollectedDevice } from '../../../src/results';

describe('commands per platform', () => {
  it("picks the platform's own words from 'a|b|c' and keeps output filters", () => {
    const alt = 'show standby brief|show hsrp brief|show vrrp';
    expect(commandsFor('iosxe', [alt])[0]).toEqual({ command: 'show standby brief', parse: 'redundancy' });
    expect(commandsFor('nxos', [alt])[0]).toEqual({ command: 'show hsrp brief', parse: 'redundancy' });
    expect(commandsFor('frr', [alt])[0]).toEqual({ command: 'show vrrp', parse: 'redundancy' });
    expect(pickAlternative('show ip bgp summary | include Idle', ['show ip bgp summary'])).toBe('show ip bgp summary | include Idle');
  });
  it('expands the health profile from each dialect and parses what it knows', () => {
    expect(commandsFor('nxos', undefined, 'health').map((c) => `${c.command}=${c.parse}`)).toEqual([
      'show version=version',
      'show hsrp brief=redundancy',
      'show ip bgp summary=bgp',
      'show ip interface brief=interfaces',
    ]);
    expect(commandsFor('iosxe', ['show clock'])).toEqual([{ command: 'show clock' }]);
  });
});

describe('schedule flags', () => {
  it('parses intervals and cron, and refuses both or neither', () => {
    expect(parseEvery('15m')).toBe(900_000);
    expect(parseEvery('2h')).toBe(7_200_000);
    expect(() => parseEvery('15 minutes')).toThrow(/not an interval/);
    expect(scheduleSpec({ every: '30s' })).toEqual({ intervals: [{ every: 30_000 }] });
    expect(scheduleSpec({ cron: '*/15 * * * *' })).toEqual({ cronExpressions: ['*/15 * * * *'] });
    expect(() => scheduleSpec({})).toThrow(/exactly one/);
    expect(() => scheduleSpec({ every: '1m', cron: '* * * * *' })).toThrow(/exactly one/);
    expect(() => scheduleSpec({ cron: '* *' })).toThrow(/not a cron/);
    expect(overlapPolicy('buffer-one')).toBe('BUFFER_ONE');
  });
});

describe('LocalResultStore', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const store = () => {
    const d = mkdtempSync(join(tmpdir(), 'netops-store-'));
    dirs.push(d);
    return new LocalResultStore(d);
  };
  const rec = (device: string, version: string): CollectedDevice => ({ device, site: 's1', platform: 'iosxe', runId: 'r1', collectedAt: 'now', reachable: true, attempts: 1, version });

  it('keeps the last put of a device in the index and its file', async () => {
    const s = store();
    await s.putRun({ runId: 'r1', name: 'r1', startedAt: '2026-11-23T04:00:00Z', devices: 2, commands: [] });
    await s.put('r1', 'a', rec('a', '1'));
    await s.put('r1', 'b', rec('b', '1'));
    await s.put('r1', 'a', rec('a', '2'));
    expect((await s.list('r1')).map((r) => `${r.device}=${r.version}`)).toEqual(['a=2', 'b=1']);
    expect((await s.get('r1', 'a'))?.version).toBe('2');
    expect(await s.get('r1', 'zz')).toBeUndefined();
  });
  it('lists runs newest first and serves device-set slices', async () => {
    const s = store();
    await s.putRun({ runId: 'old', name: 'x', startedAt: '2026-11-22T00:00:00Z', devices: 0, commands: [] });
    await s.putRun({ runId: 'new', name: 'x', startedAt: '2026-11-23T00:00:00Z', devices: 0, commands: [] });
    expect((await s.listRuns()).map((r) => r.runId)).toEqual(['new', 'old']);
    await s.putDeviceSet('set1', [1, 2, 3, 4, 5]);
    expect(await s.getDeviceSet('set1', 1, 3)).toEqual([2, 3]);
  });
  it('reads runs stored with a file per device (before segments) beside new ones', async () => {
    const s = store();
    const old = join(s.root, 'old-run');
    mkdirSync(join(old, 'devices'), { recursive: true });
    writeFileSync(join(old, 'devices', 'a.json'), JSON.stringify({ ...rec('a', '16.9'), runId: 'old-run' }));
    writeFileSync(join(old, 'index.jsonl'), `${JSON.stringify({ device: 'a', site: 's1', reachable: true, version: '16.9' })}\n`);
    expect((await s.get('old-run', 'a'))?.version).toBe('16.9');
    expect((await s.list('old-run')).map((r) => r.version)).toEqual(['16.9']);
    // Many puts at once share segments; each record comes back whole, the last put of a device wins.
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.put('r2', `d${i}`, rec(`d${i}`, String(i)))));
    await s.put('r2', 'd7', rec('d7', 'again'));
    expect((await s.list('r2')).length).toBe(50);
    expect((await s.get('r2', 'd7'))?.version).toBe('again');
    expect((await Promise.all(Array.from({ length: 50 }, (_, i) => s.get('r2', `d${i}`)))).map((r) => r?.device)).toEqual(Array.from({ length: 50 }, (_, i) => `d${i}`));
  });
  it('refuses keys that could leave the root', async () => {
    await expect(store().get('../x', 'a')).rejects.toThrow(/cannot be used/);
    await expect(store().put('r1', '../../a', rec('a', '1'))).rejects.toThrow(/cannot be used/);
  });
});
