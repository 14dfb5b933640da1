import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { CodecChain } from '../../../src/codec/codec-chain';
import { COMPRESSED_ENCODING, CompressionCodec } from '../../../src/codec/compression-codec';
import { createEncryptionCodec } from '../../../src/codec/encryption-codec';

const bigRollout = {
  devices: Array.from({ length: 4000 }, (_, i) => ({
    name: `r${i}-a`,
    host: '10.0.0.1',
    port: 22,
    credentials: { set: 'lab', username: 'admin', password: { kind: 'file', path: '/etc/netops/secrets/password' } },
  })),
};

describe('compression codec', () => {
  const codec = new CompressionCodec(1024);

  it('leaves small payloads as they are, readable in the Web UI', async () => {
    const p = defaultPayloadConverter.toPayload({ name: 'r1-a' })!;
    expect(await codec.encode([p])).toEqual([p]);
  });

  it('gzips large ones well below Temporal 512 KB warning, and gives them back intact', async () => {
    const p = defaultPayloadConverter.toPayload(bigRollout)!;
    expect(p.data!.length).toBeGreaterThan(512 * 1024);
    const [encoded] = await codec.encode([p]);
    expect(new TextDecoder().decode(encoded!.metadata!.encoding!)).toBe(COMPRESSED_ENCODING);
    expect(encoded!.data!.length).toBeLessThan(p.data!.length / 10);
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(bigRollout);
  });

  it('passes payloads it did not compress through decode', async () => {
    const p = defaultPayloadConverter.toPayload('plain')!;
    expect(await codec.decode([p])).toEqual([p]);
  });

  it('chains with encryption: compress, then encrypt; decrypt, then decompress', async () => {
    const key = Buffer.alloc(32, 7);
    const chain = new CodecChain([codec, createEncryptionCodec({ currentKeyId: 'k1', keys: new Map([['k1', key]]) })]);
    const p = defaultPayloadConverter.toPayload(bigRollout)!;
    const [encoded] = await chain.encode([p]);
    expect(new TextDecoder().decode(encoded!.metadata!.encoding!)).toBe('binary/encrypted');
    expect(encoded!.data!.length).toBeLessThan(p.data!.length / 10);
    const [decoded] = await chain.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(bigRollout);
  });
});
