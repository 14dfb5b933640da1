/** A device's flash file system: names, sizes, MD5s and capacity, no directories. */
export interface FlashFile {
  name: string;
  size: number;
  md5: string;
  /** Set when the file is a lab image: its version and whether its bytes are intact. */
  image?: { version?: string; intact: boolean };
  /** Contents, kept only for small files (configs) so `configure replace` can read them. */
  content?: Buffer;
  mtime: Date;
}

/** Files smaller than this keep their bytes in memory. */
export const KEEP_CONTENT_BYTES = 1024 * 1024;

export class FlashFullError extends Error {
  constructor(
    readonly needed: number,
    readonly free: number,
  ) {
    super(`not enough space on flash: ${needed} bytes needed, ${free} bytes free`);
    this.name = 'FlashFullError';
  }
}

export class Flash {
  private readonly files = new Map<string, FlashFile>();

  /** `fsName` is the prefix the platform prints, e.g. 'flash:' or 'bootflash:'. */
  constructor(
    readonly fsName: string,
    readonly totalBytes: number,
  ) {}

  get usedBytes(): number {
    let used = 0;
    for (const f of this.files.values()) used += f.size;
    return used;
  }

  get freeBytes(): number {
    return this.totalBytes - this.usedBytes;
  }

  list(): FlashFile[] {
    return [...this.files.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(path: string): FlashFile | undefined {
    return this.files.get(flashBaseName(path));
  }

  /** Throws FlashFullError when `size` more bytes do not fit (replacing a file frees its bytes first). */
  reserve(path: string, size: number): void {
    const existing = this.get(path)?.size ?? 0;
    const free = this.freeBytes + existing;
    if (size > free) throw new FlashFullError(size, free);
  }

  put(file: Omit<FlashFile, 'name'> & { name: string }): FlashFile {
    const name = flashBaseName(file.name);
    this.reserve(name, file.size);
    const stored = { ...file, name };
    this.files.set(name, stored);
    return stored;
  }

  delete(path: string): boolean {
    return this.files.delete(flashBaseName(path));
  }
}

/**
 * Reduces every spelling of a flash path to the file's name:
 * `bootflash:x.bin`, `flash:/x.bin`, `bootflash:///x.bin`, `/bootflash/x.bin`, `x.bin`.
 */
export function flashBaseName(path: string): string {
  let p = path.trim();
  p = p.replace(/^[a-z0-9-]+:/i, '');
  p = p.replace(/^\/+(?:bootflash|flash|images)\//, '');
  return p.replace(/^\/+/, '');
}

/** True when `path` names a flash file system this device has (or none, meaning the default). */
export function isOnFlash(path: string, fsName: string): boolean {
  const m = /^([a-z0-9-]+):/i.exec(path.trim());
  if (!m) return true;
  const fs = `${m[1]!.toLowerCase()}:`;
  return fs === fsName || fs === 'flash:' || fs === 'bootflash:';
}
