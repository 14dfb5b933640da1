import { codecKeysConfigured, loadCodecKeys } from './keys';

/** Whether this process encrypts payloads, and with which keys (ids only, never key material). */
export type EncryptionStatus = { encrypted: false } | { encrypted: true; currentKeyId: string; keyIds: string[] };

/** Reads the same settings as dataConverterFromEnv; throws CodecKeyError on a bad key set. */
export function encryptionStatusFromEnv(env: NodeJS.ProcessEnv = process.env): EncryptionStatus {
  if (!codecKeysConfigured(env)) return { encrypted: false };
  const keys = loadCodecKeys({ env });
  return { encrypted: true, currentKeyId: keys.currentKeyId, keyIds: [...keys.keys.keys()] };
}

/** A Temporal address on this machine: a dev server or a local try-out, where plain payloads are no one else's business. */
export function isLocalAddress(address: string): boolean {
  const host = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : address.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * What a worker says about its payloads at start: the truth ("encrypted"
 * only with a key, naming the key ids), and a warning when a Temporal
 * server elsewhere would store workflow inputs, results and error messages
 * (device names, addresses, device output) in plain text.
 */
export function describeEncryption(status: EncryptionStatus, address: string): { summary: string; warning?: string } {
  if (status.encrypted) {
    const others = status.keyIds.filter((id) => id !== status.currentKeyId);
    return { summary: `payloads encrypted with key ${status.currentKeyId}${others.length ? ` (also decrypts ${others.join(', ')})` : ''}` };
  }
  const summary = 'payloads NOT encrypted (no NETOPS_CODEC_KEY_FILE or NETOPS_CODEC_KEYS)';
  if (isLocalAddress(address)) return { summary };
  return {
    summary,
    warning: `payloads are not encrypted and Temporal at ${address} is not on this machine: workflow inputs, results and failure messages (device names, addresses, device output) are stored there in plain text; configure a key with NETOPS_CODEC_KEY_FILE (see docs/operations.md, "Payload encryption")`,
  };
}
