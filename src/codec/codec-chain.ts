import type { Payload, PayloadCodec } from '@temporalio/common';

/**
 * Several codecs as one, in the data converter's order: encode runs them
 * first to last, decode last to first. The codec server serves this chain,
 * so the Web UI can read payloads that were compressed and then encrypted.
 */
export class CodecChain implements PayloadCodec {
  constructor(private readonly codecs: PayloadCodec[]) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    let out = payloads;
    for (const codec of this.codecs) out = await codec.encode(out);
    return out;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    let out = payloads;
    for (const codec of [...this.codecs].reverse()) out = await codec.decode(out);
    return out;
  }
}
