import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { formatSecretRef } from './secret-ref';
import type { SecretRef } from './types';

/** A secret reference that could not be resolved; names the reference, never a value. */
export class SecretResolutionError extends Error {
  constructor(
    readonly ref: SecretRef,
    reason: string,
  ) {
    super(`cannot resolve secret ${formatSecretRef(ref)}: ${reason}`);
    this.name = 'SecretResolutionError';
  }
}

/**
 * Reads the secret a reference points at. Call it inside activities only, so
 * secrets never travel through workflow inputs or histories. A trailing line
 * break in a secret file is dropped (editors add one).
 */
export async function resolveSecret(ref: SecretRef): Promise<string> {
  if (ref.kind === 'env') {
    const value = process.env[ref.name];
    if (value === undefined) throw new SecretResolutionError(ref, `environment variable ${ref.name} is not set on this worker`);
    if (value === '') throw new SecretResolutionError(ref, `environment variable ${ref.name} is empty`);
    return value;
  }
  const path = expandHome(ref.path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission denied' : `cannot read the file (${code ?? 'error'})`;
    throw new SecretResolutionError(ref, `${reason} on this worker`);
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new SecretResolutionError(ref, 'the file is empty');
  return value;
}

function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}
