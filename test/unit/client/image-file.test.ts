import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageFileError, inspectImage } from '../../../src/client/image-file';

// The library's own error: a service importing temporal-netops gets a typed
// reason, not a CLI usage error (the CLI maps it to its --image flag).
describe('inspectImage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netops-image-'));

  it('reads size, MD5 and the version from the name', async () => {
    const path = join(dir, 'cat9k_iosxe.17.12.04.SPA.bin');
    writeFileSync(path, 'image bytes');
    expect(await inspectImage(path)).toEqual({
      fileName: 'cat9k_iosxe.17.12.04.SPA.bin',
      version: '17.12.04',
      md5: createHash('md5').update('image bytes').digest('hex'),
      sizeBytes: 11,
      path,
    });
  });

  it('refuses with a reason the caller can branch on', async () => {
    const nameless = join(dir, 'mystery.bin');
    writeFileSync(nameless, 'x');
    const reasonOf = (p: Promise<unknown>) => p.then(() => 'resolved', (err: unknown) => (err instanceof ImageFileError ? `${err.reason}: ${err.message}` : String(err)));
    expect(await reasonOf(inspectImage(nameless))).toBe('version-unknown: cannot tell the version from the name mystery.bin');
    expect(await reasonOf(inspectImage(dir))).toBe(`not-a-file: ${dir} is not a file`);
    expect(await reasonOf(inspectImage(join(dir, 'gone.bin')))).toBe(`unreadable: cannot read ${join(dir, 'gone.bin')} (ENOENT)`);
    expect((await inspectImage(nameless, '17.12.04')).version).toBe('17.12.04');
  });
});
