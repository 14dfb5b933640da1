import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ImageSpec } from '../workflows/rollout-api';
import { CliError } from './cli-error';

/**
 * Version from the common image file-name patterns (IOS-XE `cat9k_iosxe.17.12.04.SPA.bin`,
 * NX-OS `nxos64-cs.10.4.3.F.bin` / `nxos.9.3.10.bin`, `frr-8.5.bin`); undefined
 * when the name says nothing, and the operator must pass --image-version.
 */
export function versionFromFileName(name: string): string | undefined {
  const base = basename(name);
  const m =
    /^cat9k_iosxe\.(.+)\.SPA\.bin$/i.exec(base) ??
    /^[a-z0-9]+-universalk9\.(.+)\.SPA\.bin$/i.exec(base) ??
    /^nxos64-cs\.(.+)\.F\.bin$/i.exec(base) ??
    /^nxos\.(.+)\.bin$/i.exec(base) ??
    /^frr-(.+)\.bin$/i.exec(base);
  return m?.[1];
}

/** Reads the image once to learn its size and MD5, so every device can be checked against it. */
export async function inspectImage(path: string, versionOverride?: string): Promise<ImageSpec> {
  const full = resolve(path);
  let size: number;
  try {
    const s = await stat(full);
    if (!s.isFile()) throw new CliError(`--image: ${path} is not a file`);
    size = s.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`--image: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const version = versionOverride ?? versionFromFileName(full);
  if (!version) {
    throw new CliError(`--image: cannot tell the version from the name ${basename(full)}; pass --image-version (as \`show version\` prints it)`);
  }
  const md5 = await new Promise<string>((resolveHash, reject) => {
    const hash = createHash('md5');
    createReadStream(full)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolveHash(hash.digest('hex')));
  });
  return { fileName: basename(full), version, md5, sizeBytes: size, path: full };
}
