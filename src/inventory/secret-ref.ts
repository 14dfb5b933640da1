import { isAbsolute, resolve } from 'node:path';
import type { SecretRef } from './types';

/** Shown whenever a secret is written inline, so the fix is in the message. */
export const SECRET_REFERENCE_HINT = 'use env:NAME or file:PATH, never the secret itself';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type SecretRefParse = { ok: true; ref: SecretRef } | { ok: false; expected: string };

/**
 * Parses `env:NAME` or `file:PATH`. Relative file paths are made absolute
 * against the inventory's directory so the reference means the same thing
 * wherever it is resolved; `~/` is left for the resolving host to expand.
 */
export function parseSecretRef(text: string, baseDir: string): SecretRefParse {
  if (text.startsWith('env:')) {
    const name = text.slice(4);
    if (!ENV_NAME.test(name)) return { ok: false, expected: 'env:NAME with NAME an environment variable name (letters, digits, _)' };
    return { ok: true, ref: { kind: 'env', name } };
  }
  if (text.startsWith('file:')) {
    const path = text.slice(5);
    if (path.trim() === '') return { ok: false, expected: 'file:PATH with a path after "file:"' };
    return { ok: true, ref: { kind: 'file', path: resolvePath(path, baseDir) } };
  }
  return { ok: false, expected: `a reference (${SECRET_REFERENCE_HINT})` };
}

/** True for values that look like a reference at all, whatever their shape. */
export function looksLikeSecretRef(value: unknown): boolean {
  return typeof value === 'string' && (value.startsWith('env:') || value.startsWith('file:'));
}

/** Absolute path against `baseDir`, keeping `~/...` for the resolving host. */
export function resolvePath(path: string, baseDir: string): string {
  if (path.startsWith('~') || isAbsolute(path)) return path;
  return resolve(baseDir, path);
}

/** How a reference is shown in tables and logs: the reference, never a value. */
export function formatSecretRef(ref: SecretRef): string {
  return ref.kind === 'env' ? `env:${ref.name}` : `file:${ref.path}`;
}
