import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationFailed,
  CommandRejected,
  DeviceSession,
  HashMismatch,
  HostKeyMismatch,
  NotEnoughSpace,
  SessionClosed,
  TimedOut,
  Unreachable,
  UnknownHostKey,
  scpUpload,
  showFileSystem,
  showVersion,
  uploadFile,
  verifyFile,
  withSession,
  type SessionTarget,
} from '../../../src/devices';
import { startBlackHole, startFakeDevice, startSilentServer, type FakeDevice, type FakeOptions } from './fake-device';

const creds = { username: 'admin', password: 'pw', enableSecret: 'en' };
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function device(opts: FakeOptions = {}): Promise<{ fake: FakeDevice; target: SessionTarget }> {
  const fake = await startFakeDevice(opts);
  stops.push(() => fake.stop());
  return { fake, target: { name: 'r1', host: '127.0.0.1', port: fake.port, platform: 'iosxe', hostKey: fake.hostKey, hostKeyCheck: 'strict' } };
}

const fast = { timeouts: { commandMs: 2_000, idleMs: 1_000, bannerMs: 1_000, authMs: 1_000, connectMs: 1_000 } };

function source(data: Buffer) {
  return { size: data.length, open: () => Readable.from([data.subarray(0, data.length >> 1), data.subarray(data.length >> 1)]) };
}

describe('prompt detection', () => {
  it('finds the prompt past a MOTD full of # and > and parses show version', async () => {
    const motd = '##############################\r\n# Authorised access only #\r\nrouter>\r\n-> contact noc#';
    const { target } = await device({ motd, hostname: 'dc1-core-aggregation-switch-0001.example.net' });
    const v = await withSession(target, creds, (s) => showVersion(s), fast);
    expect(v).toMatchObject({ version: '17.09.04a', hostname: 'dc1-core-aggregation-switch-0001.example.net', uptimeSeconds: 7380 });
  });

  it('returns long output whole, without echo or trailing prompt', async () => {
    const { target } = await device();
    const out = await withSession(target, creds, (s) => s.run('show long'), fast);
    const lines = out.split('\n');
    expect(lines).toHaveLength(300);
    expect(lines[0]).toMatch(/^row 0 /);
    expect(lines.at(-1)).toMatch(/^row 299 /);
  });
});

describe('enable and config mode', () => {
  it('stays in user mode without an enable secret, and refuses privileged commands', async () => {
    const { target } = await device();
    const err = await withSession(target, { username: 'admin', password: 'pw' }, async (s) => {
      expect(s.prompt).toBe('r1>');
      return s.run('configure terminal').catch((e) => e);
    }, fast);
    expect(err).toBeInstanceOf(CommandRejected);
  });

  it('enters enable with the secret and follows config-mode prompts', async () => {
    const { target } = await device();
    await withSession(target, creds, async (s) => {
      expect(s.prompt).toBe('r1#');
      await s.configure(['interface Vlan10', ' standby 10 priority 50']);
      expect(s.prompt).toBe('r1#');
    }, fast);
  });

  it('a wrong enable secret is an authentication failure, not retryable', async () => {
    const { target } = await device();
    const err = await withSession(target, { ...creds, enableSecret: 'nope' }, (s) => s.enable(), fast).catch((e) => e);
    expect(err).toBeInstanceOf(AuthenticationFailed);
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain('nope');
  });

  it('stops at the first rejected line and reports the device words', async () => {
    const { target } = await device();
    const sent: string[] = [];
    const err = await withSession(target, creds, async (s) => {
      const e = await s.configure(['interface Vlan10', 'bad line here', 'never sent']).catch((x) => x);
      sent.push(s.prompt);
      return e;
    }, fast);
    expect(err).toBeInstanceOf(CommandRejected);
    expect(err.command).toBe('bad line here');
    expect(err.output).toContain("% Invalid input detected at '^' marker.");
    expect(sent[0]).toBe('r1#'); // left config mode
  });

  it('follows a hostname change made in config mode', async () => {
    const { target } = await device();
    await withSession(target, creds, async (s) => {
      await s.configure(['hostname core-9', 'interface Vlan10']);
      expect(s.prompt).toBe('core-9#');
      expect((await showVersion(s)).hostname).toBe('core-9');
    }, fast);
  });

  it('an incomplete command is rejected too', async () => {
    const { target } = await device();
    const err = await withSession(target, creds, (s) => s.configure(['standby']), fast).catch((e) => e);
    expect(err).toBeInstanceOf(CommandRejected);
    expect(err.output).toContain('% Incomplete command.');
  });

  it('a refused exec command throws CommandRejected', async () => {
    const { target } = await device();
    const err = await withSession(target, creds, (s) => s.run('show nonsense'), fast).catch((e) => e);
    expect(err).toBeInstanceOf(CommandRejected);
  });
});

describe('reload', () => {
  it('answers save and confirm, and treats the dying session as success', async () => {
    const { target, fake } = await device();
    await withSession(target, creds, (s) => s.reload({ saveConfig: true }), fast);
    expect(fake.reloads).toBe(1);
  });
});

describe('timeouts', () => {
  it('a hanging command times out (idle) and closes the session', async () => {
    const { target } = await device();
    const started = Date.now();
    const err = await withSession(target, creds, async (s) => {
      const e = await s.run('hang', { idleMs: 300, timeoutMs: 5_000 }).catch((x) => x);
      expect(s.closed).toBe(true);
      return e;
    }, fast);
    expect(err).toBeInstanceOf(TimedOut);
    expect(err.phase).toBe('idle');
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a command that keeps talking is bounded by the command timeout', async () => {
    const { target } = await device();
    const err = await withSession(target, creds, (s) => s.run('drip', { idleMs: 5_000, timeoutMs: 150 }), fast).catch((e) => e);
    expect(err).toBeInstanceOf(TimedOut);
    expect(err.phase).toBe('command');
  });

  it('slow output that keeps arriving is not idle', async () => {
    const { target } = await device();
    const out = await withSession(target, creds, (s) => s.run('drip', { idleMs: 250 }), fast);
    expect(out.trim().split('\n')).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'done']);
  });

  it('connect timeout when the TCP handshake never completes', async () => {
    const hole = await startBlackHole();
    stops.push(() => hole.stop());
    const started = Date.now();
    const err = await DeviceSession.open({ name: 'void', host: '127.0.0.1', port: hole.port, platform: 'iosxe', hostKeyCheck: 'off' }, creds, { timeouts: { connectMs: 300 } }).catch((e) => e);
    expect(err).toBeInstanceOf(TimedOut);
    expect(err.phase).toBe('connect');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('banner timeout when TCP opens but SSH never speaks', async () => {
    const silent = await startSilentServer();
    stops.push(() => silent.stop());
    const target: SessionTarget = { name: 'mute', host: '127.0.0.1', port: silent.port, platform: 'iosxe', hostKeyCheck: 'off' };
    const err = await DeviceSession.open(target, creds, { timeouts: { bannerMs: 300 } }).catch((e) => e);
    expect(err).toBeInstanceOf(TimedOut);
    expect(err.phase).toBe('banner');
  });

  it('auth timeout when the device never answers authentication', async () => {
    const { target } = await device({ stallAuth: true });
    const err = await DeviceSession.open(target, creds, { timeouts: { authMs: 300 } }).catch((e) => e);
    expect(err).toBeInstanceOf(TimedOut);
    expect(err.phase).toBe('auth');
  });

  it('a closed port is Unreachable (retryable)', async () => {
    const silent = await startSilentServer();
    const port = silent.port;
    await silent.stop();
    const err = await DeviceSession.open({ name: 'gone', host: '127.0.0.1', port, platform: 'iosxe', hostKeyCheck: 'off' }, creds).catch((e) => e);
    expect(err).toBeInstanceOf(Unreachable);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.retryable).toBe(true);
  });
});

describe('authentication', () => {
  it('a wrong password fails at once, non-retryable, without the secret in the message', async () => {
    const { target } = await device();
    const err = await DeviceSession.open(target, { username: 'admin', password: 'hunter2' }, fast).catch((e) => e);
    expect(err).toBeInstanceOf(AuthenticationFailed);
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain('hunter2');
  });
});

describe('host keys', () => {
  it('a pinned key that does not match is refused as HostKeyMismatch', async () => {
    const { target } = await device();
    const other = await startFakeDevice();
    stops.push(() => other.stop());
    const err = await DeviceSession.open({ ...target, hostKey: other.hostKey }, creds, fast).catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyMismatch);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/SHA256:/);
  });

  it('strict without a pinned key or known_hosts entry refuses the unknown host', async () => {
    const { target } = await device();
    const dir = mkdtempSync(join(tmpdir(), 'kh-'));
    const err = await DeviceSession.open({ ...target, hostKey: undefined, knownHostsFile: join(dir, 'known_hosts') }, creds, fast).catch((e) => e);
    expect(err).toBeInstanceOf(UnknownHostKey);
  });

  it('tofu records the key, then strict accepts it and a changed key is refused', async () => {
    const { target, fake } = await device();
    const file = join(mkdtempSync(join(tmpdir(), 'kh-')), 'known_hosts');
    const warnings: string[] = [];
    const logger = { warn: (_o: object, m: string) => warnings.push(m) };
    await withSession({ ...target, hostKey: undefined, hostKeyCheck: 'tofu', knownHostsFile: file }, creds, async () => undefined, { ...fast, logger });
    expect(readFileSync(file, 'utf8')).toBe(`[127.0.0.1]:${fake.port} ${fake.hostKey}\n`);
    expect(warnings.join()).toMatch(/first use/);
    await withSession({ ...target, hostKey: undefined, hostKeyCheck: 'strict', knownHostsFile: file }, creds, async () => undefined, fast);
    const other = await startFakeDevice();
    stops.push(() => other.stop());
    writeFileSync(file, `[127.0.0.1]:${fake.port} ${other.hostKey}\n`);
    const err = await DeviceSession.open({ ...target, hostKey: undefined, hostKeyCheck: 'tofu', knownHostsFile: file }, creds, fast).catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyMismatch);
  });

  it('off accepts any key and logs a warning', async () => {
    const { target } = await device();
    const warnings: string[] = [];
    await withSession({ ...target, hostKey: undefined, hostKeyCheck: 'off' }, creds, async () => undefined, { ...fast, logger: { warn: (_o, m) => warnings.push(m) } });
    expect(warnings.join()).toMatch(/host key checking is off/);
  });
});

describe('file transfer', () => {
  const data = Buffer.from('x'.repeat(100_000) + 'end');
  const md5 = createHash('md5').update(data).digest('hex');

  it.each(['scp', 'sftp'] as const)('%s upload reports progress and verifies on the device', async (protocol) => {
    const { target, fake } = await device();
    const progress: number[] = [];
    await withSession(target, creds, async (s) => {
      await uploadFile(s, { source: source(data), file: 'img.bin', protocol, onProgress: (n) => progress.push(n) });
      expect(await verifyFile(s, 'img.bin', md5)).toBe(md5);
      const fs = await showFileSystem(s);
      expect(fs.files.find((f) => f.name === 'img.bin')?.size).toBe(data.length);
    }, fast);
    expect(fake.files.get('img.bin')?.equals(data)).toBe(true);
    expect(progress.at(-1)).toBe(data.length);
  });

  it('a corrupted copy fails the hash check', async () => {
    const { target } = await device({ corrupt: true });
    const err = await withSession(target, creds, async (s) => {
      await uploadFile(s, { source: source(data), file: 'img.bin', protocol: 'scp' });
      return verifyFile(s, 'img.bin', md5);
    }, fast).catch((e) => e);
    expect(err).toBeInstanceOf(HashMismatch);
    expect(err.retryable).toBe(true);
  });

  it('a dropped transfer is a retryable SessionClosed', async () => {
    const { target } = await device({ dropTransferAfter: 10_000 });
    const err = await withSession(target, creds, (s) => uploadFile(s, { source: source(data), file: 'img.bin', protocol: 'scp' }), fast).catch((e) => e);
    expect(err).toBeInstanceOf(SessionClosed);
    expect(err.retryable).toBe(true);
  });

  it('a device refusing the SCP copy for space is NotEnoughSpace quoting the device', async () => {
    const { target } = await device({ freeBytes: 1000 });
    const err = await withSession(target, creds, (s) => scpUpload(s, source(data), 'flash:img.bin'), fast).catch((e) => e);
    expect(err).toBeInstanceOf(NotEnoughSpace);
    expect(err.message).toContain('No space left on device');
  });

  it('refuses to start when the file system is too small', async () => {
    const { target } = await device({ freeBytes: 1000 });
    const err = await withSession(target, creds, (s) => uploadFile(s, { source: source(data), file: 'img.bin', protocol: 'scp' }), fast).catch((e) => e);
    expect(err).toBeInstanceOf(NotEnoughSpace);
    expect(err.message).toContain('need 100003 bytes, 1000 free');
  });
});
