export { loadCodecKeys, parseKeyText, readKeyFile, codecKeysConfigured, CodecKeyError, KEY_BYTES, type CodecKeys, type LoadCodecKeysOptions } from './keys';
export { createEncryptionCodec, EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './encryption-codec';
export { dataConverterFor, dataConverterFromEnv, FAILURE_CONVERTER_PATH, PLAIN_DATA_CONVERTER } from './data-converter';
export { CompressionCodec, COMPRESSED_ENCODING, DEFAULT_COMPRESSION_THRESHOLD } from './compression-codec';
export { CodecChain } from './codec-chain';
export { startCodecServer, createCodecRequestHandler, type CodecServerOptions, type RunningCodecServer } from './codec-http-server';
export { payloadFromJson, payloadToJson, type JsonPayload } from './payload-json';
export { describeEncryption, encryptionStatusFromEnv, isLocalAddress, type EncryptionStatus } from './encryption-status';
