import { readFileSync, statSync } from 'node:fs';

/** AES-256 keys by id; `currentKeyId` encrypts, every key decrypts (rotation). */
export interface CodecKeys {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** A key set that cannot be used: the message says which key or file and what to do. */
export class CodecKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecKeyError';
  }
}

export interface LoadCodecKeysOptions {
  /** A key file: JSON `{ "current": "k2", "keys": { "k1": "<base64>", ... } }` or lines `id:<base64>`. */
  file?: string;
  /** Overrides the file's `current`; default env NETOPS_CODEC_KEY_ID. */
  currentKeyId?: string;
  /** Read for NETOPS_CODEC_KEY_FILE, NETOPS_CODEC_KEYS and NETOPS_CODEC_KEY_ID. */
  env?: NodeJS.ProcessEnv;
}

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** True when the environment names any key source, i.e. encryption is meant to be on. */
export function codecKeysConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.NETOPS_CODEC_KEY_FILE || env.NETOPS_CODEC_KEYS);
}

/**
 * Loads keys from (in order) `opts.file`, env NETOPS_CODEC_KEY_FILE, or env
 * NETOPS_CODEC_KEYS (`id:<base64>` entries separated by commas or newlines).
 */
export function loadCodecKeys(opts: LoadCodecKeysOptions = {}): CodecKeys {
  const env = opts.env ?? process.env;
  const file = opts.file ?? (env.NETOPS_CODEC_KEY_FILE || undefined);
  const explicitCurrent = opts.currentKeyId ?? (env.NETOPS_CODEC_KEY_ID || undefined);
  if (file) return parseKeyText(readKeyFile(file), file, explicitCurrent);
  if (env.NETOPS_CODEC_KEYS) return parseKeyText(env.NETOPS_CODEC_KEYS, 'NETOPS_CODEC_KEYS', explicitCurrent);
  throw new CodecKeyError(
    'no encryption keys: pass a key file or set NETOPS_CODEC_KEY_FILE or NETOPS_CODEC_KEYS (make a key with `openssl rand -base64 32`)',
  );
}

/**
 * Reads a secret file, refusing one that every local user can read: a key
 * that leaked that way must be rotated, so we say so before using it.
 */
export function readKeyFile(path: string, what = 'key file'): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    throw new CodecKeyError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (process.platform !== 'win32' && (mode & 0o004) !== 0) {
    throw new CodecKeyError(
      `${what} ${path} is world-readable (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${path}\` and rotate it if others could have read it`,
    );
  }
  return readFileSync(path, 'utf8');
}

/** Parses JSON or `id:<base64>` lines; `source` names the file or variable in errors. */
export function parseKeyText(text: string, source: string, explicitCurrent?: string): CodecKeys {
  const trimmed = text.trim();
  const parsed = trimmed.startsWith('{') ? parseJsonKeys(trimmed, source) : parseLineKeys(trimmed, source);
  const keys = new Map<string, Buffer>();
  for (const [id, value] of parsed.entries) {
    if (!KEY_ID.test(id)) throw new CodecKeyError(`${source}: key id "${id}" must be 1-64 letters, digits, ".", "_" or "-"`);
    if (keys.has(id)) throw new CodecKeyError(`${source}: key id "${id}" appears twice`);
    keys.set(id, decodeKey(id, value, source));
  }
  if (keys.size === 0) throw new CodecKeyError(`${source}: no keys found`);
  const currentKeyId = explicitCurrent ?? parsed.current ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (!currentKeyId) {
    throw new CodecKeyError(
      `${source}: ${keys.size} keys but none marked current; set NETOPS_CODEC_KEY_ID (or "current" in a JSON key file) to the id new payloads are encrypted with`,
    );
  }
  if (!keys.has(currentKeyId)) {
    throw new CodecKeyError(`${source}: current key id "${currentKeyId}" is not among the keys (${[...keys.keys()].join(', ')})`);
  }
  return { currentKeyId, keys };
}

interface ParsedKeys {
  current?: string;
  entries: Array<[string, string]>;
}

function parseJsonKeys(text: string, source: string): ParsedKeys {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CodecKeyError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const obj = doc as { current?: unknown; keys?: unknown };
  if (typeof obj.keys !== 'object' || obj.keys === null || Array.isArray(obj.keys)) {
    throw new CodecKeyError(`${source}: expected {"current": "<id>", "keys": {"<id>": "<base64 key>"}}`);
  }
  if (obj.current !== undefined && typeof obj.current !== 'string') throw new CodecKeyError(`${source}: "current" must be a key id string`);
  const entries: Array<[string, string]> = [];
  for (const [id, value] of Object.entries(obj.keys as Record<string, unknown>)) {
    if (typeof value !== 'string') throw new CodecKeyError(`${source}: key "${id}" must be a base64 string`);
    entries.push([id, value]);
  }
  return { current: obj.current, entries };
}

function parseLineKeys(text: string, source: string): ParsedKeys {
  const entries: Array<[string, string]> = [];
  const items = text.split(/[\n,]/).map((l) => l.trim());
  items.forEach((item, index) => {
    if (item === '' || item.startsWith('#')) return;
    const colon = item.indexOf(':');
    if (colon <= 0) throw new CodecKeyError(`${source}: entry ${index + 1} is not "id:<base64 key>"`);
    entries.push([item.slice(0, colon).trim(), item.slice(colon + 1).trim()]);
  });
  return { entries };
}

function decodeKey(id: string, value: string, source: string): Buffer {
  if (!BASE64.test(value)) throw new CodecKeyError(`${source}: key "${id}" is not base64`);
  const key = Buffer.from(value, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new CodecKeyError(
      `${source}: key "${id}" is ${key.length} bytes; AES-256 needs ${KEY_BYTES} (make one with \`openssl rand -base64 32\`)`,
    );
  }
  return key;
}
