import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codecKeysConfigured, loadCodecKeys, parseKeyText } from '../../../src/codec';

const a = randomBytes(32).toString('base64');
const b = randomBytes(32).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'netops-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('parseKeyText', () => {
  it('reads lines, skipping comments and blanks; one key is current on its own', () => {
    const keys = parseKeyText(`# rotated 2026-01\n\nk1:${a}\n`, 'f');
    expect(keys.currentKeyId).toBe('k1');
    expect(keys.keys.get('k1')?.length).toBe(32);
  });

  it('reads JSON with an explicit current key', () => {
    const keys = parseKeyText(JSON.stringify({ current: 'k2', keys: { k1: a, k2: b } }), 'f');
    expect(keys.currentKeyId).toBe('k2');
    expect([...keys.keys.keys()]).toEqual(['k1', 'k2']);
  });

  it('demands a current key id when there are several keys', () => {
    expect(() => parseKeyText(`k1:${a}\nk2:${b}`, 'keys.txt')).toThrow(/2 keys but none marked current; set NETOPS_CODEC_KEY_ID/);
    expect(parseKeyText(`k1:${a}\nk2:${b}`, 'keys.txt', 'k1').currentKeyId).toBe('k1');
  });

  it('rejects a current id that is not in the set', () => {
    expect(() => parseKeyText(`k1:${a}`, 'f', 'k7')).toThrow(/current key id "k7" is not among the keys \(k1\)/);
  });

  it('rejects keys that are not 32 bytes, naming the key and how to make one', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseKeyText(`old:${short}`, 'keys.txt')).toThrow(/keys.txt: key "old" is 16 bytes; AES-256 needs 32 \(make one with `openssl rand -base64 32`\)/);
  });

  it('rejects non-base64 keys, bad ids, duplicates and malformed lines', () => {
    expect(() => parseKeyText('k1:not base64!', 'f')).toThrow(/key "k1" is not base64/);
    expect(() => parseKeyText(`bad id:${a}`, 'f')).toThrow(/key id "bad id" must be/);
    expect(() => parseKeyText(`k1:${a}\nk1:${b}`, 'f')).toThrow(/appears twice/);
    expect(() => parseKeyText(`just-a-key`, 'f')).toThrow(/entry 1 is not "id:<base64 key>"/);
    expect(() => parseKeyText('{"keys": [1]}', 'f')).toThrow(/expected \{"current"/);
    expect(() => parseKeyText('{oops', 'f')).toThrow(/not valid JSON/);
  });
});

describe('loadCodecKeys', () => {
  it('loads a private key file', () => {
    const path = keyFile('ok.keys', `k1:${a}\n`, 0o600);
    expect(loadCodecKeys({ file: path, env: {} }).currentKeyId).toBe('k1');
  });

  it('refuses a world-readable key file and says how to fix it', () => {
    const path = keyFile('open.keys', `k1:${a}\n`, 0o644);
    expect(() => loadCodecKeys({ file: path, env: {} })).toThrow(/is world-readable \(mode 644\); run `chmod 600/);
  });

  it('says when the key file is missing', () => {
    expect(() => loadCodecKeys({ file: join(dir, 'nope'), env: {} })).toThrow(/cannot read key file .*nope: ENOENT/);
  });

  it('reads NETOPS_CODEC_KEYS with NETOPS_CODEC_KEY_ID choosing the current key', () => {
    const env = { NETOPS_CODEC_KEYS: `k1:${a},k2:${b}`, NETOPS_CODEC_KEY_ID: 'k1' };
    expect(codecKeysConfigured(env)).toBe(true);
    const keys = loadCodecKeys({ env });
    expect(keys.currentKeyId).toBe('k1');
    expect(keys.keys.size).toBe(2);
  });

  it('prefers NETOPS_CODEC_KEY_FILE over NETOPS_CODEC_KEYS', () => {
    const path = keyFile('env.keys', `fromfile:${a}\n`, 0o600);
    expect(loadCodecKeys({ env: { NETOPS_CODEC_KEY_FILE: path, NETOPS_CODEC_KEYS: `fromenv:${b}` } }).currentKeyId).toBe('fromfile');
  });

  it('explains what to set when no key source is configured', () => {
    expect(codecKeysConfigured({})).toBe(false);
    expect(() => loadCodecKeys({ env: {} })).toThrow(/no encryption keys: .*NETOPS_CODEC_KEYS/);
  });
});
