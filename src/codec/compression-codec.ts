import { gunzipSync, gzipSync } from 'node:zlib';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const COMPRESSED_ENCODING = 'binary/gzip';

/** Payloads below this stay plain JSON, readable in the Web UI without a codec server. */
export const DEFAULT_COMPRESSION_THRESHOLD = 128 * 1024;

const ProtoPayload = temporal.api.common.v1.Payload;
const decoder = new TextDecoder();

/**
 * Gzips large payloads only. A rollout of thousands of devices carries their
 * list (and, at continue-as-new, its state) in one payload; Temporal warns at
 * 512 KB and refuses 2 MB. That JSON is highly repetitive and compresses
 * about tenfold, while small payloads, which are most of them, stay as they
 * are so the Web UI shows them as they are.
 */
export class CompressionCodec implements PayloadCodec {
  constructor(readonly thresholdBytes: number = DEFAULT_COMPRESSION_THRESHOLD) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const plain = ProtoPayload.encode(p).finish();
      if (plain.length < this.thresholdBytes) return p;
      return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(COMPRESSED_ENCODING) }, data: gzipSync(plain) };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const encoding = p.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== COMPRESSED_ENCODING) return p;
      if (!p.data) throw new ValueError('compressed payload has no data');
      return ProtoPayload.decode(gunzipSync(p.data)) as Payload;
    });
  }
}
