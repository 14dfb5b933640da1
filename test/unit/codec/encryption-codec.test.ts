import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createEncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, parseKeyText, type CodecKeys } from '../../../src/codec';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

function keys(current: string, entries: Record<string, Buffer>): CodecKeys {
  return { currentKeyId: current, keys: new Map(Object.entries(entries)) };
}

const toPayload = (v: unknown): Payload => defaultPayloadConverter.toPayload(v);
const fromPayload = (p: Payload): unknown => defaultPayloadConverter.fromPayload(p);
const meta = (p: Payload, key: string) => Buffer.from(p.metadata?.[key] ?? new Uint8Array()).toString();

describe('EncryptionCodec', () => {
  const input = { device: 'core-rtr-01', address: '10.0.0.1', vendorNote: 'ünïcode ✓' };

  it('round-trips values and hides them: no plaintext, not even the JSON encoding name', async () => {
    const codec = createEncryptionCodec(keys('k1', { k1 }));
    const [encrypted] = await codec.encode([toPayload(input)]);
    expect(meta(encrypted!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(encrypted!, KEY_ID_METADATA)).toBe('k1');
    const raw = Buffer.from(encrypted!.data!).toString('latin1');
    expect(raw).not.toContain('core-rtr-01');
    expect(raw).not.toContain('json/plain');
    const [decoded] = await codec.decode([encrypted!]);
    expect(fromPayload(decoded!)).toEqual(input);
  });

  it('uses a fresh IV per payload: the same value encrypts differently each time', async () => {
    const codec = createEncryptionCodec(keys('k1', { k1 }));
    const [a, b] = await codec.encode([toPayload('same'), toPayload('same')]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('decodes payloads written under an older key after the current key rotates', async () => {
    const before = createEncryptionCodec(keys('k1', { k1 }));
    const [old] = await before.encode([toPayload(input)]);
    const after = createEncryptionCodec(keys('k2', { k1, k2 }));
    const [fresh] = await after.encode([toPayload(input)]);
    expect(meta(fresh!, KEY_ID_METADATA)).toBe('k2');
    const decoded = await after.decode([old!, fresh!]);
    expect(decoded.map(fromPayload)).toEqual([input, input]);
  });

  it('passes through payloads that were never encrypted (written before encryption was on)', async () => {
    const codec = createEncryptionCodec(keys('k1', { k1 }));
    const plain = toPayload({ legacy: true });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('detects a flipped ciphertext bit', async () => {
    const codec = createEncryptionCodec(keys('k1', { k1 }));
    const [enc] = await codec.encode([toPayload(input)]);
    const data = Buffer.from(enc!.data!);
    data[20] = data[20]! ^ 0x01;
    await expect(codec.decode([{ ...enc!, data }])).rejects.toThrow(/failed authentication under key "k1"/);
  });

  it('detects a payload relabelled with another key id it was not written with', async () => {
    const codec = createEncryptionCodec(keys('k1', { k1, k2 }));
    const [enc] = await codec.encode([toPayload(input)]);
    const relabelled = { ...enc!, metadata: { ...enc!.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication under key "k2"/);
  });

  it('names an unknown key id and the keys it has', async () => {
    const writer = createEncryptionCodec(keys('k9', { k9: randomBytes(32) }));
    const [enc] = await writer.encode([toPayload(input)]);
    const reader = createEncryptionCodec(keys('k1', { k1, k2 }));
    await expect(reader.decode([enc!])).rejects.toThrow(/key id "k9", which this codec does not hold \(it has: k1, k2\)/);
  });

  it('refuses to encrypt a payload that is already encrypted', async () => {
    const codec = createEncryptionCodec(keys('k1', { k1 }));
    const [enc] = await codec.encode([toPayload(input)]);
    await expect(codec.encode([enc!])).rejects.toThrow(/already encrypted \(key id "k1"\)/);
  });

  it('rejects truncated ciphertext and missing key ids with a message', async () => {
    const codec = createEncryptionCodec(keys('k1', { k1 }));
    const enc = { metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from('k1') }, data: Buffer.alloc(5) };
    await expect(codec.decode([enc])).rejects.toThrow(/truncated/);
    await expect(codec.decode([{ metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) }, data: Buffer.alloc(40) }])).rejects.toThrow(
      /no "encryption-key-id" metadata/,
    );
  });

  it('works with keys parsed from the line format', async () => {
    const parsed = parseKeyText(`k1:${k1.toString('base64')}\n`, 'test');
    const codec = createEncryptionCodec(parsed);
    const [enc] = await codec.encode([toPayload(42)]);
    expect(fromPayload((await codec.decode([enc!]))[0]!)).toBe(42);
  });
});
