import { CompressionCodec } from '../../../src/codec/compression-codec';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ApplicationFailure, defaultPayloadConverter, type FailureConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createEncryptionCodec, dataConverterFor, dataConverterFromEnv, EncryptionCodec, FAILURE_CONVERTER_PATH } from '../../../src/codec';

describe('dataConverterFor', () => {
  const codec = createEncryptionCodec({ currentKeyId: 'k', keys: new Map([['k', randomBytes(32)]]) });

  it('puts the codec in payloadCodecs and, by default, the failure-encrypting converter', () => {
    const dc = dataConverterFor(codec);
    expect(dc.payloadCodecs).toHaveLength(2);
    expect(dc.payloadCodecs?.[0]).toBeInstanceOf(CompressionCodec);
    expect(dc.payloadCodecs?.[1]).toBe(codec);
    expect(dc.failureConverterPath).toBe(FAILURE_CONVERTER_PATH);
    expect(dataConverterFor(codec, { encryptFailures: false }).failureConverterPath).toBeUndefined();
  });

  it('the failure converter moves message and stack into a payload the codec then encrypts', () => {
    expect(existsSync(FAILURE_CONVERTER_PATH)).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { failureConverter } = require(FAILURE_CONVERTER_PATH) as { failureConverter: FailureConverter };
    const failure = failureConverter.errorToFailure(ApplicationFailure.nonRetryable('drain failed on core-rtr-01'), defaultPayloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(defaultPayloadConverter.fromPayload(failure.encodedAttributes!)).toMatchObject({ message: 'drain failed on core-rtr-01' });
  });
});

describe('dataConverterFromEnv', () => {
  it('only compresses when no key source is set, and encrypts otherwise', () => {
    const plain = dataConverterFromEnv({});
    expect(plain.payloadCodecs).toHaveLength(1);
    expect(plain.payloadCodecs?.[0]).toBeInstanceOf(CompressionCodec);
    const dc = dataConverterFromEnv({ NETOPS_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}` });
    expect(dc.payloadCodecs?.[1]).toBeInstanceOf(EncryptionCodec);
  });

  it('fails loudly on a bad key rather than running unencrypted', () => {
    expect(() => dataConverterFromEnv({ NETOPS_CODEC_KEYS: 'k1:c2hvcnQ=' })).toThrow(/key "k1" is 5 bytes/);
  });
});
