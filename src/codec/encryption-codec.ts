import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKeys } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;

/**
 * AES-256-GCM over the whole serialized payload (metadata included, so even
 * the payload's type stays private). The key id travels in clear metadata so
 * any key ever used can decode; it is also bound in as associated data, so
 * relabelling a payload with another key id fails authentication.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keySet: CodecKeys) {}

  get currentKeyId(): string {
    return this.keySet.currentKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encryptOne(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decryptOne(p));
  }

  private encryptOne(payload: Payload): Payload {
    if (encodingOf(payload) === ENCRYPTED_ENCODING) {
      throw new ValueError(
        `payload is already encrypted (key id "${keyIdOf(payload) ?? '?'}"); the encryption codec is configured twice in this data converter`,
      );
    }
    const keyId = this.keySet.currentKeyId;
    const key = this.keyFor(keyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData(keyId));
    const plain = ProtoPayload.encode(payload).finish();
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(keyId),
      },
      data: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  private decryptOne(payload: Payload): Payload {
    // Payloads written before encryption was switched on stay readable.
    if (encodingOf(payload) !== ENCRYPTED_ENCODING) return payload;
    const keyId = keyIdOf(payload);
    if (!keyId) throw new ValueError(`encrypted payload has no "${KEY_ID_METADATA}" metadata; it cannot be decrypted`);
    const key = this.keyFor(keyId);
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError(`encrypted payload (key id "${keyId}") is truncated`);
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(keyId));
    decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ValueError(
        `encrypted payload failed authentication under key "${keyId}": it was altered, or key "${keyId}" is not the key it was written with`,
      );
    }
    return ProtoPayload.decode(plain);
  }

  private keyFor(keyId: string): Buffer {
    const key = this.keySet.keys.get(keyId);
    if (!key) {
      throw new ValueError(
        `payload was encrypted with key id "${keyId}", which this codec does not hold (it has: ${[...this.keySet.keys.keys()].join(', ')}); add that key to the key set`,
      );
    }
    return key;
  }
}

export function createEncryptionCodec(keys: CodecKeys): EncryptionCodec {
  return new EncryptionCodec(keys);
}

function associatedData(keyId: string): Buffer {
  return Buffer.from(`netops-codec/v1/${keyId}`);
}

function encodingOf(payload: Payload): string | undefined {
  const raw = payload.metadata?.[METADATA_ENCODING_KEY];
  return raw ? Buffer.from(raw).toString('utf8') : undefined;
}

function keyIdOf(payload: Payload): string | undefined {
  const raw = payload.metadata?.[KEY_ID_METADATA];
  return raw ? Buffer.from(raw).toString('utf8') : undefined;
}
