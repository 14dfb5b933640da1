import { createHash } from 'node:crypto';
import type { LabPlatform } from './types';

/**
 * Lab images carry their own proof of integrity: a fixed-size text header
 * `NETOPS-LAB-IMAGE v1 <version> <payloadBytes> <md5(payload)>` padded to
 * 256 bytes, followed by the payload. A file is an intact image when the
 * header parses and the payload's MD5 matches it, so a truncated or
 * bit-flipped copy is told apart from a good one without any registry.
 */
export const IMAGE_HEADER_BYTES = 256;
const MAGIC = 'NETOPS-LAB-IMAGE v1';

/** Builds a valid image of exactly `sizeBytes` bytes (at least the header) for `version`. */
export function makeLabImage(version: string, sizeBytes = 64 * 1024): Buffer {
  if (!/^[\w.()-]+$/.test(version)) throw new Error(`invalid image version '${version}'`);
  const payloadBytes = Math.max(0, sizeBytes - IMAGE_HEADER_BYTES);
  const payload = Buffer.alloc(payloadBytes);
  // Deterministic, version-dependent filler: two images of different versions differ.
  const seed = createHash('sha256').update(version).digest();
  for (let i = 0; i < payloadBytes; i += seed.length) seed.copy(payload, i, 0, Math.min(seed.length, payloadBytes - i));
  const md5 = createHash('md5').update(payload).digest('hex');
  const header = Buffer.alloc(IMAGE_HEADER_BYTES, 0x20);
  header.write(`${MAGIC} ${version} ${payloadBytes} ${md5}\n`);
  return Buffer.concat([header, payload]);
}

/** The file name a platform's image of `version` has, e.g. `cat9k_iosxe.17.12.04.SPA.bin`. */
export function labImageName(platform: LabPlatform, version: string): string {
  switch (platform) {
    case 'iosxe':
      return `cat9k_iosxe.${version}.SPA.bin`;
    case 'nxos':
      return `nxos64-cs.${version}.F.bin`;
    case 'frr':
      return `frr-${version}.bin`;
  }
}

/** Version derived from an image file name, or undefined when the name follows no known pattern. */
export function versionFromImageName(name: string): string | undefined {
  const base = name.replace(/^.*[:/]/, '');
  const m =
    /^cat9k_iosxe\.(.+)\.SPA\.bin$/.exec(base) ??
    /^nxos64-cs\.(.+)\.F\.bin$/.exec(base) ??
    /^nxos\.(.+)\.bin$/.exec(base) ??
    /^frr-(.+)\.bin$/.exec(base);
  return m?.[1];
}

export interface ImageCheck {
  intact: boolean;
  version?: string;
  reason?: string;
}

/**
 * Streaming checker: feed it the bytes as they arrive (SCP/SFTP), then ask
 * for the verdict and the whole-file MD5, without keeping the file in memory.
 */
export class ImageVerifier {
  private header: Buffer = Buffer.alloc(0);
  private readonly fileMd5 = createHash('md5');
  private readonly payloadMd5 = createHash('md5');
  private bytes = 0;

  update(chunk: Buffer): void {
    this.fileMd5.update(chunk);
    let rest = chunk;
    if (this.header.length < IMAGE_HEADER_BYTES) {
      const need = IMAGE_HEADER_BYTES - this.header.length;
      this.header = Buffer.concat([this.header, rest.subarray(0, need)]);
      rest = rest.subarray(need);
    }
    if (rest.length > 0) this.payloadMd5.update(rest);
    this.bytes += chunk.length;
  }

  /** Ends the stream; returns the file's size, MD5 and the image verdict. */
  finish(): { size: number; md5: string; check: ImageCheck } {
    const md5 = this.fileMd5.digest('hex');
    const payloadMd5 = this.payloadMd5.digest('hex');
    return { size: this.bytes, md5, check: this.verdict(payloadMd5) };
  }

  private verdict(payloadMd5: string): ImageCheck {
    const text = this.header.toString('latin1');
    const m = new RegExp(`^${MAGIC} (\\S+) (\\d+) ([0-9a-f]{32})\\n`).exec(text);
    if (!m) return { intact: false, reason: 'no image header' };
    const [, version, size, md5] = m;
    if (Number(size) !== this.bytes - IMAGE_HEADER_BYTES) return { intact: false, version, reason: 'truncated or padded' };
    if (md5 !== payloadMd5) return { intact: false, version, reason: 'checksum mismatch' };
    return { intact: true, version };
  }
}

export function checkImage(data: Buffer): { size: number; md5: string; check: ImageCheck } {
  const v = new ImageVerifier();
  v.update(data);
  return v.finish();
}
