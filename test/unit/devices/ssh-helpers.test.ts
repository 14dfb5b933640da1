import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameVersion } from '../../../src/devices/platforms';
import { fingerprint, knownHostsName, knownKeys, makeHostVerifier } from '../../../src/devices/ssh/host-keys';
import { genericPrompt, promptPattern, stripEchoAndPrompt, trailingPrompt } from '../../../src/devices/ssh/prompt';

// A syntactically valid ed25519 public key blob: string "ssh-ed25519" + 32-byte key.
function blob(fill: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, fill);
  const b = Buffer.alloc(4 + type.length + 4 + 32);
  b.writeUInt32BE(type.length, 0);
  type.copy(b, 4);
  b.writeUInt32BE(32, 4 + type.length);
  key.copy(b, 8 + type.length);
  return b;
}
const keyA = `ssh-ed25519 ${blob(1).toString('base64')}`;
const target = { name: 'r1', host: '127.0.0.1', port: 2222, platform: 'iosxe' as const, hostKeyCheck: 'strict' as const };

describe('known_hosts', () => {
  it('spells non-default ports in brackets', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('finds plain, comma-listed and hashed host entries, skipping comments and markers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kh-'));
    const salt = Buffer.from('0123456789abcdefghij');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[127.0.0.1]:2222').digest('base64')}`;
    const file = join(dir, 'known_hosts');
    writeFileSync(file, ['# comment', `@revoked [127.0.0.1]:2222 ${keyA}`, `other,[127.0.0.1]:2222 ${keyA}`, `${hashed} ssh-rsa AAAAB3`, 'unrelated ssh-ed25519 AAAA'].join('\n'));
    expect(knownKeys(file, '[127.0.0.1]:2222').map((k) => k.type)).toEqual(['ssh-ed25519', 'ssh-rsa']);
    expect(knownKeys(join(dir, 'missing'), 'x')).toEqual([]);
  });

  it('fingerprints like ssh-keygen -l (SHA256, unpadded base64)', () => {
    expect(fingerprint({ type: 'ssh-ed25519', base64: blob(1).toString('base64') })).toMatch(/^ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('a pinned key wins over known_hosts and a different key is a mismatch', () => {
    const v = makeHostVerifier({ ...target, hostKey: keyA }, { warn: () => undefined });
    expect(v.verify(blob(1))).toBe(true);
    expect(v.verify(blob(2))).toBe(false);
    expect(v.outcome.error?.name).toBe('HostKeyMismatch');
  });
});

describe('prompts', () => {
  it.each([
    ['r1#', 'r1'],
    ['r1>', 'r1'],
    ['n9k-leaf-101# ', 'n9k-leaf-101'],
    ['edge-r1(config-if)#', 'edge-r1'],
    ['Welcome!\nr1#', 'r1'],
  ])('generic prompt in %j', (text, host) => {
    expect(genericPrompt(text)?.host).toBe(host);
  });

  it.each(['#####', 'Authorised access only >', 'r1#show version', ''])('no prompt in %j', (text) => {
    expect(genericPrompt(text)).toBeUndefined();
  });

  it('a learned prompt follows mode changes and long truncated hostnames, but not other hosts', () => {
    const p = promptPattern('dc1-core-aggregation-switch-0001');
    expect(trailingPrompt('x\ndc1-core-aggregation-switch-0001#', p)).toBe('dc1-core-aggregation-switch-0001#');
    // Fewer than the 20 characters we require verbatim: another device's prompt.
    expect(trailingPrompt('x\ndc1-core-aggregatio(config-if)#', p)).toBeUndefined();
    expect(trailingPrompt('x\ndc1-core-aggregation-sw(config-if)#', p)).toBe('dc1-core-aggregation-sw(config-if)#');
    expect(trailingPrompt('x\nr2#', p)).toBeUndefined();
    expect(trailingPrompt('x\ndc1-core-aggregation-switch-0001#more', p)).toBeUndefined();
  });

  it('strips the echo and the trailing prompt, keeping blank lines inside the output', () => {
    const p = promptPattern('r1');
    expect(stripEchoAndPrompt('show clock\r\n*10:00:00.000 UTC Mon Nov 23 2026\r\n\r\nend\r\nr1#', 'show clock', p)).toBe('*10:00:00.000 UTC Mon Nov 23 2026\n\nend');
    expect(stripEchoAndPrompt('show x\n\x1b[Krow\nr1(config)#', 'show x', p)).toBe('row');
  });
});

describe('sameVersion', () => {
  it.each([
    ['10.2(5)', '10.2.5', true],
    ['17.09.04a', '17.9.4a', true],
    ['17.12.04', '17.12.4', true],
    ['9.3(8)', '9.3.9', false],
    ['17.9.4a', '17.9.4', false],
  ])('%s vs %s -> %s', (a, b, want) => {
    expect(sameVersion(a, b)).toBe(want);
  });
});
