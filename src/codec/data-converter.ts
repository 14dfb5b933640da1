import { join } from 'node:path';
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { codecKeysConfigured, loadCodecKeys } from './keys';
import { createEncryptionCodec } from './encryption-codec';
import { CompressionCodec } from './compression-codec';

/** The module whose failure converter moves error messages and stacks into (encrypted) payloads. */
export const FAILURE_CONVERTER_PATH = join(__dirname, 'failure-converter.js');

/**
 * The `dataConverter` option for both `new Client({...})` and
 * `Worker.create({...})`: the worker needs it too, or it could read neither
 * workflow inputs nor the activity results it must pass on.
 *
 * With `encryptFailures` (default) failure messages and stack traces are
 * encrypted as well. A worker given a pre-built `workflowBundle` encrypts
 * workflow-side failures only if the bundle was built with
 * `failureConverterPath: FAILURE_CONVERTER_PATH`.
 */
export function dataConverterFor(codec: PayloadCodec, opts: { encryptFailures?: boolean } = {}): DataConverter {
  return {
    // Compress before encrypting: ciphertext does not compress.
    payloadCodecs: [new CompressionCodec(), codec],
    ...(opts.encryptFailures === false ? {} : { failureConverterPath: FAILURE_CONVERTER_PATH }),
  };
}

/** Without encryption: large payloads are still compressed (see CompressionCodec). */
export const PLAIN_DATA_CONVERTER: DataConverter = { payloadCodecs: [new CompressionCodec()] };

/**
 * The data converter every netops client and worker uses: large payloads
 * compressed, and everything encrypted when a key source is set
 * (NETOPS_CODEC_KEY_FILE or NETOPS_CODEC_KEYS). Throws CodecKeyError on a
 * bad key set.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter {
  if (!codecKeysConfigured(env)) return PLAIN_DATA_CONVERTER;
  return dataConverterFor(createEncryptionCodec(loadCodecKeys({ env })));
}
