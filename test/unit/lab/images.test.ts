import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Flash, FlashFullError, flashBaseName } from '../../../src/lab/flash';
import { ImageVerifier, checkImage, labImageName, makeLabImage, versionFromImageName } from '../../../src/lab/images';

describe('lab images', () => {
  it('makes an image of the exact size that checks as intact with its version', () => {
    const img = makeLabImage('17.12.04', 100_000);
    expect(img.length).toBe(100_000);
    const r = checkImage(img);
    expect(r.check).toEqual({ intact: true, version: '17.12.04' });
    expect(r.md5).toBe(createHash('md5').update(img).digest('hex'));
  });

  it('tells a flipped byte, a truncated copy and a random file from a good image', () => {
    const img = makeLabImage('10.4.3', 10_000);
    const flipped = Buffer.from(img);
    flipped[5000] = flipped[5000]! ^ 1;
    expect(checkImage(flipped).check).toMatchObject({ intact: false, reason: 'checksum mismatch' });
    expect(checkImage(img.subarray(0, 9000)).check).toMatchObject({ intact: false, reason: 'truncated or padded' });
    expect(checkImage(Buffer.alloc(5000, 7)).check).toMatchObject({ intact: false, reason: 'no image header' });
  });

  it('verifies the same when the bytes arrive in odd chunks', () => {
    const img = makeLabImage('8.5.1', 5000);
    const v = new ImageVerifier();
    for (let i = 0; i < img.length; i += 97) v.update(img.subarray(i, i + 97));
    expect(v.finish().check.intact).toBe(true);
  });

  it('derives versions from the platform file names', () => {
    expect(versionFromImageName('flash:cat9k_iosxe.17.12.04.SPA.bin')).toBe('17.12.04');
    expect(versionFromImageName('bootflash:nxos64-cs.10.4.3.F.bin')).toBe('10.4.3');
    expect(versionFromImageName(labImageName('frr', '9.1'))).toBe('9.1');
    expect(versionFromImageName('notes.txt')).toBeUndefined();
  });

  it('rejects a version that cannot be put in a file name', () => {
    expect(() => makeLabImage('1 2', 1000)).toThrow(/invalid image version/);
  });
});

describe('flash', () => {
  it('normalises every spelling of a path', () => {
    for (const p of ['bootflash:x.bin', 'flash:/x.bin', 'bootflash:///x.bin', '/bootflash/x.bin', 'x.bin']) expect(flashBaseName(p)).toBe('x.bin');
  });

  it('enforces capacity, counting a replaced file as freed', () => {
    const f = new Flash('flash:', 1000);
    f.put({ name: 'a.bin', size: 600, md5: 'x', mtime: new Date() });
    expect(f.freeBytes).toBe(400);
    expect(() => f.reserve('b.bin', 500)).toThrow(FlashFullError);
    expect(() => f.reserve('a.bin', 900)).not.toThrow();
    expect(() => f.put({ name: 'b.bin', size: 401, md5: 'y', mtime: new Date() })).toThrow(/not enough space on flash: 401 bytes needed, 400 bytes free/);
  });
});
