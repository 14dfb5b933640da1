import { Readable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { createActivities, type DeviceAccess } from '../../../src/activities';
import type { Snapshot } from '../../../src/activities/types';
import { collectDevice, commandsFor } from '../../../src/activities/collect';
import { DeviceRuntime, type ActivityDeps } from '../../../src/activities/runtime';
import type { CollectedDevice } from '../../../src/results';
import { fixture } from '../../unit/devices/fixtures';
import { startFakeDevice, type FakeOptions } from './fake-device';

/**
 * The pre-check snapshot over SSH, on outputs captured from real IOS-XE
 * devices (test/fixtures/outputs/iosxe): what it cannot read stops the
 * upgrade before anything changes, naming the device and quoting the line.
 */

const quiet = new DefaultLogger('ERROR');
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function fakeRef(outputs: FakeOptions['outputs']): Promise<DeviceAccess> {
  const fake = await startFakeDevice({ hostname: 'edge-r7', outputs });
  stops.push(() => fake.stop());
  return {
    name: 'edge-r7',
    host: '127.0.0.1',
    port: fake.port,
    platform: 'iosxe',
    hostKey: fake.hostKey,
    hostKeyCheck: 'strict',
    credentials: { set: 'lab', username: 'admin', password: { kind: 'env', name: 'PW' }, enableSecret: { kind: 'env', name: 'EN' } },
  };
}

const secrets: Record<string, string> = { PW: 'pw', EN: 'en' };
const deps: ActivityDeps = {
  resolveSecret: async (r) => (r.kind === 'env' ? secrets[r.name]! : ''),
  openImage: () => Readable.from([]),
  sessionOptions: { timeouts: { commandMs: 3_000, idleMs: 2_000 } },
};

async function snapshotOf(outputs: FakeOptions['outputs']): Promise<Snapshot> {
  const device = await fakeRef(outputs);
  const acts = createActivities(deps);
  return (await new MockActivityEnvironment(undefined, { logger: quiet }).run(acts.snapshot, { device })) as Snapshot;
}

const standby = fixture('iosxe/show-standby-brief/01-ntc-lone-interface.txt');
const bgp = fixture('iosxe/show-ip-bgp-summary/01-ntc-summary.txt');

describe('pre-check snapshot on real device output', () => {
  it('reads every HSRP group and BGP neighbour, wrapped rows included', async () => {
    const snap = await snapshotOf({ 'show standby brief': standby, 'show ip bgp summary': bgp });
    expect(snap.redundancy.map((r) => `${r.interface}/${r.group}/${r.state}`)).toEqual(['Vl1/1/Active', 'Vl1/6/Active', 'Vl51/1/Init', 'Vl51/6/Init', 'Vl500/1/Active', 'Vl500/6/Active', 'Vl4010/1/Active']);
    expect(snap.bgp).toHaveLength(10);
    expect(snap.bgp.filter((n) => n.established)).toHaveLength(9);
  });

  it('an unreadable row in the HSRP table fails the pre-check, not retryable, with the line quoted', async () => {
    const garbled = `${standby}Vl4020      1    120 P Hunting local           10.1.255.3    10.1.255.1\n`;
    const err = (await snapshotOf({ 'show standby brief': garbled, 'show ip bgp summary': bgp }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err.type).toBe('UnreadableOutput');
    expect(err.nonRetryable).toBe(true);
    expect(err.message).toContain('edge-r7');
    expect(err.message).toContain("'show standby brief'");
    expect(err.message).toContain("'Vl4020      1    120 P Hunting local           10.1.255.3    10.1.255.1'");
    expect(err.message).toMatch(/Nothing was changed.*report them/);
  });

  it('an unreadable row in the BGP table fails the pre-check, not retryable, with the line quoted', async () => {
    const garbled = `${bgp.trimEnd()}\n10.0.0.11       4        65010 26930508  942614 512185203    0    0 1y10w     Stuck\n`;
    const err = (await snapshotOf({ 'show standby brief': standby, 'show ip bgp summary': garbled }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err.type).toBe('UnreadableOutput');
    expect(err.nonRetryable).toBe(true);
    expect(err.message).toContain('edge-r7');
    expect(err.message).toContain("'show ip bgp summary'");
    expect(err.message).toContain('10.0.0.11       4        65010 26930508  942614 512185203    0    0 1y10w     Stuck');
  });

  it('a special build fails the pre-check instead of comparing a wrong version', async () => {
    const err = (await snapshotOf({ 'show version': fixture('iosxe/show-version/05-ntc-version_special_build.txt') }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err.type).toBe('UnreadableOutput');
    expect(err.message).toContain('CUST-SPECIAL:V169_5_SR689355441_2');
  });
});

describe('collection on real device output', () => {
  it('an unreadable BGP row is reported for the device as data, with the rows that were read', async () => {
    const garbled = `${bgp.trimEnd()}\n10.0.0.11       4        65010 26930508  942614 512185203    0    0 1y10w     Stuck\n`;
    const ref = await fakeRef({ 'show standby brief': standby, 'show ip bgp summary': garbled });
    const saved: CollectedDevice[] = [];
    const timings = { heartbeatTimeoutMs: 10_000, batchTimeoutMs: 60_000, deviceAttempts: 3, retryDelayMs: 10, commandTimeoutMs: 3_000 };
    const record = await collectDevice(new DeviceRuntime(deps), 'run-1', { ...ref, site: 's1', groups: [] }, commandsFor('iosxe', undefined), timings, { save: async (r) => void saved.push(r) });
    expect(saved).toEqual([record]);
    expect(record.reachable).toBe(true);
    expect(record.attempts).toBe(1); // not retried: the same output would fail the same way
    expect(record.error).toMatchObject({ type: 'UnreadableOutput', retryable: false });
    expect(record.error!.message).toContain('Stuck');
    expect(record.bgp).toMatchObject({ total: 10, up: 9 });
    expect(record.redundancy).toHaveLength(7);
  });
});
