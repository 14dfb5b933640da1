import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ImageSpec } from '../contracts/rollout';
import { versionFromImageFileName } from '../contracts/image-version';

/**
 * The image cannot be used: it is not a readable file, or its version cannot
 * be told from its name. A library error (the CLI maps it to its --image flag).
 */
export class ImageFileError extends Error {
  constructor(
    message: string,
    /** `version-unknown`: pass the version (as `show version` prints it) as `versionOverride`. */
    readonly reason: 'not-a-file' | 'unreadable' | 'version-unknown',
  ) {
    super(message);
    this.name = 'ImageFileError';
  }
}

/** The version from the image's file name (undefined: the operator must pass --image-version). */
export const versionFromFileName = versionFromImageFileName;

/** Reads the image once to learn its size and MD5, so every device can be checked against it. */
export async function inspectImage(path: string, versionOverride?: string): Promise<ImageSpec> {
  const full = resolve(path);
  let size: number;
  try {
    const s = await stat(full);
    if (!s.isFile()) throw new ImageFileError(`${path} is not a file`, 'not-a-file');
    size = s.size;
  } catch (err) {
    if (err instanceof ImageFileError) throw err;
    throw new ImageFileError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'unreadable');
  }
  const version = versionOverride ?? versionFromFileName(full);
  if (!version) {
    throw new ImageFileError(`cannot tell the version from the name ${basename(full)}`, 'version-unknown');
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
