import type { LabDevice } from './device';
import type { EventLog } from './events';
import { type FlashFile, KEEP_CONTENT_BYTES, flashBaseName } from './flash';
import { ImageVerifier, versionFromImageName } from './images';

export interface UploadOptions {
  device: LabDevice;
  log: EventLog;
  session: string;
  protocol: 'scp' | 'sftp';
  path: string;
  /** Announced size (SCP) to check capacity up front; SFTP checks as bytes arrive. */
  size?: number;
  /** Called when the `drop-mid-transfer` fault fires: the connection must die. */
  drop: () => void;
}

/**
 * Receives one file into a device's flash, streaming: MD5 and the image check
 * are computed as bytes arrive, capacity is enforced, and the file appears on
 * flash only when the transfer completes. Honours the transfer faults.
 */
export class FlashUpload {
  readonly name: string;
  private readonly verifier = new ImageVerifier();
  private bytes = 0;
  private readonly kept: Buffer[] = [];
  private done = false;
  private corrupted = false;
  private readonly dropAfter: number | undefined;

  constructor(private readonly o: UploadOptions) {
    this.name = flashBaseName(o.path);
    if (!this.name) throw new Error('no file name');
    if (o.size !== undefined) o.device.flash.reserve(this.name, o.size);
    const drop = o.device.fault('drop-mid-transfer');
    if (drop) this.dropAfter = drop.afterBytes ?? Math.floor((o.size ?? 2 * 1024 * 1024) / 2);
  }

  get received(): number {
    return this.bytes;
  }

  /** Returns false when the transfer was cut (fault) and the caller must stop. */
  write(chunk: Buffer): boolean {
    if (this.done) return false;
    let data = chunk;
    if (this.o.device.fault('corrupt-transfer') && !this.corrupted && this.bytes + data.length > 300) {
      // Flip one byte past the image header so the MD5 no longer matches.
      const at = Math.max(0, 300 - this.bytes);
      data = Buffer.from(data);
      data[at] = (data[at]! ^ 0xff) & 0xff;
      this.corrupted = true;
      this.o.log.emit({ type: 'fault', device: this.o.device.name, fault: 'corrupt-transfer', action: 'fired', detail: this.name });
    }
    if (this.dropAfter !== undefined && this.bytes + data.length >= this.dropAfter) {
      this.fail('connection dropped mid-transfer (fault)');
      this.o.log.emit({ type: 'fault', device: this.o.device.name, fault: 'drop-mid-transfer', action: 'fired', detail: this.name });
      this.o.drop();
      return false;
    }
    if (this.o.size === undefined) this.o.device.flash.reserve(this.name, this.bytes + data.length);
    this.verifier.update(data);
    this.bytes += data.length;
    if (this.bytes <= KEEP_CONTENT_BYTES) this.kept.push(data);
    return true;
  }

  commit(): FlashFile {
    this.done = true;
    const { size, md5, check } = this.verifier.finish();
    const looksLikeImage = check.version !== undefined || versionFromImageName(this.name) !== undefined;
    const file = this.o.device.flash.put({
      name: this.name,
      size,
      md5,
      content: size <= KEEP_CONTENT_BYTES ? Buffer.concat(this.kept) : undefined,
      image: looksLikeImage ? { version: check.version ?? versionFromImageName(this.name), intact: check.intact } : undefined,
      mtime: new Date(),
    });
    this.o.log.emit({
      type: 'transfer',
      device: this.o.device.name,
      session: this.o.session,
      protocol: this.o.protocol,
      file: this.name,
      bytes: size,
      ok: true,
      md5,
      intact: looksLikeImage ? check.intact : undefined,
    });
    return file;
  }

  fail(error: string): void {
    if (this.done) return;
    this.done = true;
    this.o.log.emit({
      type: 'transfer',
      device: this.o.device.name,
      session: this.o.session,
      protocol: this.o.protocol,
      file: this.name,
      bytes: this.bytes,
      ok: false,
      error,
    });
  }
}
