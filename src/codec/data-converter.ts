import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { codecKeysConfigured, loadCodecKeys } from './keys';
import { createEncryptionCodec } from './encryption-codec';

/**
 * The `dataConverter` option for both `new Client({...})` and
 * `Worker.create({...})`: the worker needs it too, or it could read neither
 * workflow inputs nor the activity results it must pass on.
 */
export function dataConverterFor(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec] };
}

/**
 * The data converter the environment asks for: encrypting when a key source
 * is set (NETOPS_CODEC_KEY_FILE or NETOPS_CODEC_KEYS), otherwise undefined
 * (the SDK default). Throws CodecKeyError on a bad key set.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  if (!codecKeysConfigured(env)) return undefined;
  return dataConverterFor(createEncryptionCodec(loadCodecKeys({ env })));
}
