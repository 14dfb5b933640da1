import type { SFTPWrapper } from 'ssh2';
import { SessionClosed, TimedOut } from '../errors';
import { errorFor, type Progress, type TransferSource } from './scp';
import type { DeviceSession } from './session';

/** Sends one file over SFTP, writing chunk by chunk so progress and stalls are visible. */
export async function sftpUpload(session: DeviceSession, source: TransferSource, remotePath: string, onProgress?: Progress): Promise<void> {
  const device = session.target.name;
  const idleMs = session.timeouts.idleMs;
  const sftp = await session.sftp();
  const step = <T>(what: string, fn: (cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TimedOut(device, 'idle', idleMs, `SFTP ${what} of ${remotePath}`)), idleMs);
      fn((err, v) => {
        clearTimeout(timer);
        if (!err) return resolve(v as T);
        const code = (err as Error & { code?: number }).code;
        reject(code === undefined ? new SessionClosed(device, `SFTP ${what} of ${remotePath} failed: ${err.message}`) : errorFor(device, remotePath, err.message));
      });
    });
  try {
    const handle = await step<Buffer>('open', (cb) => sftp.open(remotePath, 'w', cb));
    let offset = 0;
    for await (const chunk of source.open() as AsyncIterable<Buffer>) {
      await step<void>('write', (cb) => sftp.write(handle, chunk, 0, chunk.length, offset, (e) => cb(e)));
      offset += chunk.length;
      onProgress?.(offset, source.size);
    }
    await step<void>('close', (cb) => sftp.close(handle, (e) => cb(e)));
  } finally {
    endQuietly(sftp);
  }
}

function endQuietly(sftp: SFTPWrapper): void {
  try {
    sftp.end();
  } catch {
    // the connection may already be gone
  }
}
