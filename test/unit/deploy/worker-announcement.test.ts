import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEncryption, encryptionStatusFromEnv, isLocalAddress } from '../../../src/codec';

// What `netops worker` tells the operator about payload encryption at start.
const key = () => randomBytes(32).toString('base64');

describe('the worker\'s encryption announcement', () => {
  it('says "encrypted" only with a key, naming the key that encrypts and the others that still decrypt', () => {
    const one = encryptionStatusFromEnv({ NETOPS_CODEC_KEYS: `k2026:${key()}` });
    expect(describeEncryption(one, 'temporal:7233')).toEqual({ summary: 'payloads encrypted with key k2026' });
    const rotating = encryptionStatusFromEnv({ NETOPS_CODEC_KEYS: `old:${key()},new:${key()}`, NETOPS_CODEC_KEY_ID: 'new' });
    expect(describeEncryption(rotating, '10.0.0.5:7233').summary).toBe('payloads encrypted with key new (also decrypts old)');
  });

  it('says NOT encrypted without a key, and warns when Temporal is on another machine', () => {
    const none = encryptionStatusFromEnv({});
    expect(none).toEqual({ encrypted: false });
    expect(describeEncryption(none, '127.0.0.1:7233')).toEqual({ summary: 'payloads NOT encrypted (no NETOPS_CODEC_KEY_FILE or NETOPS_CODEC_KEYS)' });
    const remote = describeEncryption(none, 'temporal:7233');
    expect(remote.summary).toMatch(/NOT encrypted/);
    expect(remote.warning).toMatch(/^payloads are not encrypted and Temporal at temporal:7233 is not on this machine: .* plain text; configure a key with NETOPS_CODEC_KEY_FILE/);
  });

  it.each([
    ['127.0.0.1:7233', true],
    ['127.1.2.3:7233', true],
    ['localhost:7233', true],
    ['[::1]:7233', true],
    ['temporal:7233', false],
    ['10.0.0.5:7233', false],
    ['my-ns.a1b2c.tmprl.cloud:7233', false],
    ['127.0.0.1.example.com:7233', false],
    ['[2001:db8::1]:7233', false],
  ])('%s is local: %s', (address, local) => {
    expect(isLocalAddress(address)).toBe(local);
  });

  it('refuses a bad key set instead of announcing anything', () => {
    expect(() => encryptionStatusFromEnv({ NETOPS_CODEC_KEYS: 'k1:tooshort' })).toThrow(/key "k1" is \d+ bytes; AES-256 needs 32/);
  });
});
