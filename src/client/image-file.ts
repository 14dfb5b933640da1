import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ImageSpec } from '../contracts/rollout';
import { versionFromImageFileName } from '../contracts/image-version';
import { CliError } from '../cli/shared/cli-error';

/** The version from the image's file name (undefined: the operator must pass --image-version). */
export const versionFromFileName = versionFromImageFileName;

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
