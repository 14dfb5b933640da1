import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type DeviceAccess, type ReloadInput, type ReloadResult, type StageImageInput, type StageImageResult } from '../../../src/activities';
import { SessionLimiter, parseVersion, sameVersion, withSession } from '../../../src/devices';
import { labImageName, makeLabImage, startLab, type Lab, type LabDevice } from '../../../src/lab';

/** Expected activity failures are asserted, not logged. */
const quiet = new DefaultLogger('ERROR');

/**
 * The activities against the shared device lab (simulated IOS-XE, NX-OS and
 * FRR over real SSH), including its injected faults.
 */
let lab: Lab;
const secrets: Record<string, string> = {};
let acts: ReturnType<typeof createActivities>;

beforeAll(async () => {
  lab = await startLab({ devices: 6, pairs: true, platformMix: true, fast: true });
  secrets['LAB_PW'] = lab.credentials.password;
  secrets['LAB_EN'] = lab.credentials.enableSecret;
  acts = createActivities({
    limiter: new SessionLimiter({ maxSessions: 8, connectsPerSecond: 50 }),
    resolveSecret: async (ref) => (ref.kind === 'env' ? secrets[ref.name]! : ''),
    sessionOptions: { timeouts: { commandMs: 5_000, idleMs: 3_000 } },
  });
});
afterAll(async () => lab?.stop());

function ref(d: LabDevice, over: Partial<DeviceAccess> = {}): DeviceAccess {
  return {
    name: d.name,
    host: d.host,
    port: d.port,
    platform: d.platform,
    hostKey: d.hostKey,
    hostKeyCheck: 'strict',
    credentials: { set: 'lab', username: lab.credentials.username, password: { kind: 'env', name: 'LAB_PW' }, enableSecret: { kind: 'env', name: 'LAB_EN' } },
    ...over,
  };
}

const byPlatform = (p: string) => lab.devices.find((d) => d.platform === p && d.name.endsWith('-a'))!;

/** Runs an activity in a mock activity context, keeping its types. */
function run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, ...args);
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe.each(['iosxe', 'nxos', 'frr'])('%s snapshot', (platform) => {
  it('reads version, redundancy, file system, BGP and interfaces', async () => {
    const d = byPlatform(platform);
    const snap = await run(acts.snapshot, { device: ref(d) });
    expect(sameVersion(snap.version, d.version)).toBe(true);
    expect(snap.redundancy).toHaveLength(1);
    expect(snap.redundancy[0]).toMatchObject({ group: 10, priority: 110 });
    expect(['Active', 'Master']).toContain(snap.redundancy[0]!.state);
    // FRR has no image file system: nothing is asked, nothing is reported.
    if (platform === 'frr') expect(snap.fileSystem).toEqual({ name: 'none', freeBytes: undefined, totalBytes: undefined });
    else expect(snap.fileSystem.freeBytes).toBeGreaterThan(0);
    expect(snap.bgp.length).toBeGreaterThan(0);
    expect(snap.interfaces.some((i) => i.up)).toBe(true);
    expect(JSON.stringify(snap).length).toBeLessThan(4_000);
  });
});

describe('exec channel', () => {
  it('runs a one-shot command on NX-OS without an interactive shell', async () => {
    const d = byPlatform('nxos');
    const creds = { username: lab.credentials.username, password: lab.credentials.password };
    const r = await withSession(ref(d), creds, (s) => s.exec('show version'));
    expect(parseVersion('nxos', r.stdout).version).toMatch(/^\d+\.\d+\(\d+\)/);
  });
});

describe('config backup, change and rollback', () => {
  it.each(['iosxe', 'nxos', 'frr'] as const)('%s: a change is undone by the rollback', async (platform) => {
    const d = lab.devices.find((x) => x.platform === platform && x.name.endsWith('-b'))!;
    const iface = platform === 'frr' ? 'eth0' : platform === 'nxos' ? 'Ethernet1/1' : 'GigabitEthernet1/0/1';
    const shut = async () => (await run(acts.snapshot, { device: ref(d) })).interfaces.find((i) => i.name === iface)?.up;
    expect(await shut()).toBe(true);
    await run(acts.backupConfig, { device: ref(d), name: 'pre-change.cfg' });
    await run(acts.applyConfig, { device: ref(d), lines: [`interface ${iface}`, ' shutdown'] });
    expect(await shut()).toBe(false);
    await run(acts.rollbackConfig, { device: ref(d), name: 'pre-change.cfg' });
    expect(await shut()).toBe(true);
  });
});

describe('faults', () => {
  it('auth failure fails at once and is not retryable', async () => {
    const d = lab.devices[1]!;
    lab.setFault(d.name, { kind: 'auth-failure' });
    try {
      const f = await failureOf(run(acts.runCommands, { device: ref(d), commands: ['show version'] }));
      expect(f.type).toBe('AuthenticationFailed');
      expect(f.nonRetryable).toBe(true);
      expect(f.message).not.toContain(lab.credentials.password);
    } finally {
      lab.clearFault(d.name, 'auth-failure');
    }
  });

  it('a hanging command times out (retryable)', async () => {
    const d = lab.devices[1]!;
    lab.setFault(d.name, { kind: 'hang-command', match: 'show ip bgp' });
    try {
      const started = Date.now();
      const f = await failureOf(run(acts.runCommands, { device: ref(d), commands: ['show ip bgp summary'], timeoutMs: 1_000 }));
      expect(f.type).toBe('TimedOut');
      expect(f.nonRetryable).toBe(false);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      lab.clearFault(d.name, 'hang-command');
    }
  });

  it('a session dropped mid-command is retryable', async () => {
    const d = lab.devices[2]!;
    lab.setFault(d.name, { kind: 'drop-mid-command', match: 'show ip interface' });
    try {
      const f = await failureOf(run(acts.runCommands, { device: ref(d), commands: ['show version', `show ip interface brief`] }));
      expect(f.type).toBe('SessionClosed');
      expect(f.nonRetryable).toBe(false);
    } finally {
      lab.clearFault(d.name, 'drop-mid-command');
    }
  });

  it('a device refusing more sessions is retryable (Unreachable or SessionClosed)', async () => {
    const d = lab.devices[2]!;
    lab.setFault(d.name, { kind: 'max-sessions', limit: 0 });
    try {
      const f = await failureOf(run(acts.runCommands, { device: ref(d), commands: ['show version'] }));
      expect(['Unreachable', 'SessionClosed']).toContain(f.type);
      expect(f.nonRetryable).toBe(false);
    } finally {
      lab.clearFault(d.name, 'max-sessions');
    }
  });

  it('a host-key mismatch is refused and not retryable', async () => {
    const d = lab.devices[0]!;
    const other = lab.devices[1]!;
    const f = await failureOf(run(acts.runCommands, { device: ref(d, { hostKey: other.hostKey }), commands: ['show version'] }));
    expect(f.type).toBe('HostKeyMismatch');
    expect(f.nonRetryable).toBe(true);
  });
});

// FRR has no image (image rollouts refuse it): staging and reload are Cisco-only.
describe.each(['iosxe', 'nxos'] as const)('%s image staging', (platform) => {
  const version = platform === 'nxos' ? '10.4.3' : '17.12.4';
  it('a dropped transfer is retried cleanly and completes; a second run skips it', async () => {
    const d = lab.devices.find((x) => x.platform === platform && x.name.endsWith('-b'))!;
    const data = makeLabImage(version, 256 * 1024);
    const image = { file: labImageName(platform, version), source: 'mem', size: data.length, md5: createHash('md5').update(data).digest('hex') };
    const local = createActivities({
      resolveSecret: async (r) => (r.kind === 'env' ? secrets[r.name]! : ''),
      openImage: () => Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
      sessionOptions: { timeouts: { commandMs: 5_000, idleMs: 3_000 } },
    });
    lab.setFault(d.name, { kind: 'drop-mid-transfer', afterBytes: 120_000 });
    const first = await failureOf(run(local.stageImage, { device: ref(d), image }));
    expect(first.nonRetryable).toBe(false);
    lab.clearFault(d.name, 'drop-mid-transfer');
    const beats: unknown[] = [];
    const env = new MockActivityEnvironment(undefined, { logger: quiet });
    env.on('heartbeat', (b: unknown) => beats.push(b));
    const second = await env.run<[StageImageInput], StageImageResult, typeof local.stageImage>(local.stageImage, { device: ref(d), image, protocol: platform === 'nxos' ? 'sftp' : 'scp' });
    expect(second).toEqual({ status: 'staged', bytesSent: data.length, md5: image.md5 });
    expect(beats.at(-1)).toEqual({ bytesSent: data.length, totalBytes: data.length });
    expect(d.flash.get(image.file)?.md5).toBe(image.md5);
    const third = await run(local.stageImage, { device: ref(d), image });
    expect(third.status).toBe('already-staged');
    expect((await run(local.verifyImage, { device: ref(d), file: image.file, md5: image.md5 })).md5).toBe(image.md5);
  });
});

describe('reload retried by Temporal', () => {
  it('reports a reload in progress instead of failing when the device is still down', async () => {
    const d = lab.devices.find((x) => x.platform === 'nxos' && x.name.endsWith('-b'))!;
    lab.setFault(d.name, { kind: 'reload-never-returns' });
    try {
      expect((await run(acts.reload, { device: ref(d), targetVersion: '99.9' })).status).toBe('reloaded');
      const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { reloadSentAt: Date.now() - 1_000 } }, { logger: quiet });
      const r = await retry.run<[ReloadInput], ReloadResult, typeof acts.reload>(acts.reload, { device: ref(d), targetVersion: '99.9' });
      expect(r.status).toBe('reload-in-progress');
    } finally {
      lab.clearFault(d.name, 'reload-never-returns');
    }
  });
});

describe('corrupt transfer', () => {
  it('is detected by the hash check, deleted, and staged again once the fault is gone', async () => {
    const d = lab.devices.find((x) => x.platform === 'iosxe' && x.name.endsWith('-a'))!;
    const data = makeLabImage('17.15.1', 128 * 1024);
    const image = { file: labImageName('iosxe', '17.15.1'), source: 'mem', size: data.length, md5: createHash('md5').update(data).digest('hex') };
    const local = createActivities({ resolveSecret: async (r) => (r.kind === 'env' ? secrets[r.name]! : ''), openImage: () => Readable.from([data]) });
    lab.setFault(d.name, { kind: 'corrupt-transfer' });
    const f = await failureOf(run(local.stageImage, { device: ref(d), image }));
    expect(f.type).toBe('HashMismatch');
    expect(f.nonRetryable).toBe(false);
    expect(d.flash.get(image.file)).toBeUndefined();
    lab.clearFault(d.name, 'corrupt-transfer');
    expect((await run(local.stageImage, { device: ref(d), image })).status).toBe('staged');
    const wrong = await failureOf(run(local.verifyImage, { device: ref(d), file: image.file, md5: '0'.repeat(32) }));
    expect(wrong.type).toBe('HashMismatch');
    expect(wrong.nonRetryable).toBe(true);
  });
});

describe('frr drain and restore', () => {
  it('moves the master role to the peer and restores priority', async () => {
    const a = byPlatform('frr');
    const b = lab.devices.find((x) => x.platform === 'frr' && x.name.endsWith('-b'))!;
    const drained = await run(acts.drain, { device: ref(a), peers: [ref(b)], pollMs: 100, confirmTimeoutMs: 5_000 });
    expect(drained).toMatchObject({ original: [{ interface: 'eth1', group: 10, priority: 110 }], activePeer: b.name });
    expect(lab.activeOf(a.redundancyGroup!)).toBe(b.name);
    // vrrpd holds the new backup's macvlan protodown.
    expect((await run(acts.snapshot, { device: ref(a) })).interfaces.find((i) => i.name.startsWith('vrrp4-'))?.up).toBe(false);
    await run(acts.restorePriority, { device: ref(a), priorities: drained.original });
    expect((await run(acts.snapshot, { device: ref(a) })).redundancy[0]?.priority).toBe(110);
  });
});

describe.each(['iosxe', 'nxos'] as const)('%s drain, reload, return, restore', (platform) => {
  it('moves the active role to the peer, reloads once, comes back and restores priority', async () => {
    const a = lab.devices.find((x) => x.platform === platform && x.name.endsWith('-a'))!;
    const b = lab.devices.find((x) => x.platform === platform && x.name.endsWith('-b'))!;
    const drained = await run(acts.drain, { device: ref(a), peers: [ref(b)], pollMs: 100, confirmTimeoutMs: 5_000 });
    expect(drained.original).toEqual([{ interface: { nxos: 'Vlan10', iosxe: 'Vl10' }[platform], group: 10, priority: 110 }]);
    expect(drained.activePeer).toBe(b.name);
    expect(lab.activeOf(a.redundancyGroup!)).toBe(b.name);

    const before = await run(acts.snapshot, { device: ref(a) });
    const r = await run(acts.reload, { device: ref(a), targetVersion: '99.9', saveConfig: true, ...(before.bootedAt ? { bootedAtBefore: before.bootedAt } : {}) });
    expect(r.status).toBe('reloaded');
    const back = await run(acts.waitForReturn, { device: ref(a), initialDelayMs: 100, maxDelayMs: 400, timeoutMs: 20_000 });
    expect(back.version).toBe(before.version); // no new image was set to boot
    expect(back.attempts).toBeGreaterThan(1);
    if (before.bootedAt !== undefined) {
      // Run again (a retry after the worker lost the result): the new boot time shows it already reloaded.
      const again = await run(acts.reload, { device: ref(a), targetVersion: '99.9', bootedAtBefore: before.bootedAt });
      expect(again.status).toBe('already-reloaded');
    }
    // Already on the target version: never reloads.
    expect((await run(acts.reload, { device: ref(a), targetVersion: before.version })).status).toBe('already-on-target');

    await run(acts.restorePriority, { device: ref(a), priorities: drained.original });
    const after = await run(acts.snapshot, { device: ref(a) });
    expect(after.redundancy[0]?.priority).toBe(110);
  });
});
