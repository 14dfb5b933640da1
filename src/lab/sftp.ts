import type { Attributes, SFTPWrapper } from 'ssh2';
import { utils } from 'ssh2';
import type { LabDevice } from './device';
import type { EventLog } from './events';
import { FlashFullError, flashBaseName } from './flash';
import { FlashUpload } from './upload';

const { STATUS_CODE, OPEN_MODE } = utils.sftp;

export interface SftpOptions {
  device: LabDevice;
  log: EventLog;
  session: string;
  onMutating: () => void;
  drop: () => void;
}

const FILE_MODE = 0o100644;
const DIR_MODE = 0o040755;

function attrs(mode: number, size: number, mtime: Date): Attributes {
  const t = Math.floor(mtime.getTime() / 1000);
  return { mode, uid: 0, gid: 0, size, atime: t, mtime: t };
}

/**
 * An SFTP server over the device's flash: one flat directory `/`, uploads
 * (open/write/close, writes reassembled in offset order), stat, realpath,
 * listing and remove. Reading files back is not supported.
 */
export function serveSftp(sftp: SFTPWrapper, o: SftpOptions): void {
  const uploads = new Map<string, { upload: FlashUpload; pending: Map<number, Buffer>; next: number }>();
  const dirs = new Map<string, boolean>();
  let handleSeq = 0;
  const flash = o.device.flash;

  const isRoot = (p: string) => flashBaseName(p) === '' || p === '.';
  const newHandle = () => Buffer.from(String(++handleSeq));

  sftp.on('REALPATH', (id, path) => {
    const name = isRoot(path) ? '/' : `/${flashBaseName(path)}`;
    sftp.name(id, [{ filename: name, longname: name, attrs: attrs(DIR_MODE, 0, new Date()) }]);
  });
  const stat = (id: number, path: string) => {
    if (isRoot(path)) return sftp.attrs(id, attrs(DIR_MODE, 0, new Date()));
    const f = flash.get(path);
    if (!f) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    sftp.attrs(id, attrs(FILE_MODE, f.size, f.mtime));
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('OPEN', (id, filename, flags) => {
    if (!(flags & OPEN_MODE.WRITE)) return sftp.status(id, STATUS_CODE.OP_UNSUPPORTED, 'reading flash files is not supported by the lab');
    try {
      o.onMutating();
      const upload = new FlashUpload({ device: o.device, log: o.log, session: o.session, protocol: 'sftp', path: filename, drop: o.drop });
      const h = newHandle();
      uploads.set(h.toString(), { upload, pending: new Map(), next: 0 });
      sftp.handle(id, h);
    } catch (e) {
      sftp.status(id, STATUS_CODE.FAILURE, (e as Error).message);
    }
  });
  sftp.on('WRITE', (id, handle, offset, data) => {
    const u = uploads.get(handle.toString());
    if (!u) return sftp.status(id, STATUS_CODE.FAILURE, 'bad handle');
    u.pending.set(offset, Buffer.from(data));
    try {
      for (let chunk = u.pending.get(u.next); chunk; chunk = u.pending.get(u.next)) {
        u.pending.delete(u.next);
        if (!u.upload.write(chunk)) {
          uploads.delete(handle.toString());
          return;
        }
        u.next += chunk.length;
      }
      sftp.status(id, STATUS_CODE.OK);
    } catch (e) {
      const msg = e instanceof FlashFullError ? e.message : (e as Error).message;
      u.upload.fail(msg);
      uploads.delete(handle.toString());
      sftp.status(id, STATUS_CODE.FAILURE, msg);
    }
  });
  sftp.on('FSTAT', (id, handle) => {
    const u = uploads.get(handle.toString());
    if (!u) return sftp.status(id, STATUS_CODE.FAILURE);
    sftp.attrs(id, attrs(FILE_MODE, u.upload.received, new Date()));
  });
  sftp.on('FSETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
  sftp.on('SETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
  sftp.on('CLOSE', (id, handle) => {
    const key = handle.toString();
    const u = uploads.get(key);
    if (dirs.delete(key)) return sftp.status(id, STATUS_CODE.OK);
    if (!u) return sftp.status(id, STATUS_CODE.FAILURE, 'bad handle');
    uploads.delete(key);
    if (u.pending.size > 0) {
      u.upload.fail('gap in written data');
      return sftp.status(id, STATUS_CODE.FAILURE, 'gap in written data');
    }
    try {
      u.upload.commit();
      sftp.status(id, STATUS_CODE.OK);
    } catch (e) {
      sftp.status(id, STATUS_CODE.FAILURE, (e as Error).message);
    }
  });
  sftp.on('OPENDIR', (id, path) => {
    if (!isRoot(path)) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    const h = newHandle();
    dirs.set(h.toString(), false);
    sftp.handle(id, h);
  });
  sftp.on('READDIR', (id, handle) => {
    const key = handle.toString();
    if (!dirs.has(key)) return sftp.status(id, STATUS_CODE.FAILURE);
    if (dirs.get(key)) return sftp.status(id, STATUS_CODE.EOF);
    dirs.set(key, true);
    sftp.name(
      id,
      flash.list().map((f) => ({ filename: f.name, longname: `-rw-r--r--    1 root     root     ${String(f.size).padStart(12)} Jan  1 00:00 ${f.name}`, attrs: attrs(FILE_MODE, f.size, f.mtime) })),
    );
  });
  sftp.on('REMOVE', (id, path) => {
    o.onMutating();
    sftp.status(id, flash.delete(path) ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE);
  });
  sftp.on('end', () => {
    for (const u of uploads.values()) u.upload.fail('connection closed before the file was complete');
    uploads.clear();
    // The client sent EOF: close our side too, or OpenSSH's sftp waits forever.
    sftp.end();
  });
}
