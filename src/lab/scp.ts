import type { LabDevice } from './device';
import type { EventLog } from './events';
import { FlashFullError, flashBaseName } from './flash';
import { FlashUpload } from './upload';

/** The part of an SSH exec channel the SCP sink needs. */
export interface ScpChannel {
  write(data: Buffer | string): void;
  on(event: 'data', cb: (d: Buffer) => void): void;
  on(event: 'end' | 'close', cb: () => void): void;
  exit(code: number): void;
  end(): void;
}

/** Parses `scp -t [-r] [-p] [-d] [-v] PATH`; undefined when the command is not an SCP sink. */
export function parseScpCommand(command: string): { target: string } | undefined {
  const parts = command.trim().split(/\s+/);
  if (parts[0] !== 'scp' || !parts.includes('-t')) return undefined;
  const target = parts.slice(1).filter((p) => !p.startsWith('-')).join(' ');
  return { target: target.replace(/^['"]|['"]$/g, '') || '.' };
}

export interface ScpSinkOptions {
  device: LabDevice;
  log: EventLog;
  session: string;
  target: string;
  onMutating: () => void;
  drop: () => void;
}

/**
 * Server side of the classic SCP protocol (`scp -t`): acknowledges with \0,
 * reads `C<mode> <size> <name>` headers, the bytes and the trailing \0, and
 * reports errors as `\x01scp: message\n` like OpenSSH does.
 */
export function runScpSink(ch: ScpChannel, o: ScpSinkOptions): void {
  let buf: Buffer = Buffer.alloc(0);
  let upload: FlashUpload | undefined;
  let remaining = 0;
  let awaitingTrailer = false;
  let finished = false;
  // A target that names a directory (`.`, `flash:`, `/`) takes the name from the C line.
  const targetIsDir = flashBaseName(o.target) === '' || o.target === '.' || o.target.endsWith('/');

  const fail = (msg: string) => {
    ch.write(`\x01scp: ${msg}\n`);
  };
  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    ch.exit(code);
    ch.end();
  };

  ch.write('\0');
  ch.on('data', (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length > 0 && !finished) {
      if (upload && remaining > 0) {
        const n = Math.min(remaining, buf.length);
        const part = buf.subarray(0, n);
        buf = buf.subarray(n);
        remaining -= n;
        if (!upload.write(part)) {
          upload = undefined;
          finish(1);
          return;
        }
        if (remaining === 0) awaitingTrailer = true;
        continue;
      }
      if (awaitingTrailer) {
        const status = buf[0];
        buf = buf.subarray(1);
        awaitingTrailer = false;
        if (status !== 0) {
          upload?.fail('client reported an error');
          upload = undefined;
          continue;
        }
        try {
          upload?.commit();
          ch.write('\0');
        } catch (e) {
          fail(`${upload?.name}: ${(e as Error).message}`);
        }
        upload = undefined;
        continue;
      }
      const nl = buf.indexOf(0x0a);
      if (nl < 0) return;
      const line = buf.subarray(0, nl).toString();
      buf = buf.subarray(nl + 1);
      const type = line[0];
      if (type === 'T' || type === 'D' || type === 'E') {
        // Times and directory markers: accepted, flash has no directories.
        ch.write('\0');
        continue;
      }
      const m = /^C([0-7]{4}) (\d+) (.+)$/.exec(line);
      if (!m) {
        fail(`protocol error: unexpected '${line.slice(0, 40)}'`);
        finish(1);
        return;
      }
      const size = Number(m[2]);
      const path = targetIsDir ? m[3]! : o.target;
      try {
        o.onMutating();
        upload = new FlashUpload({ device: o.device, log: o.log, session: o.session, protocol: 'scp', path, size, drop: o.drop });
      } catch (e) {
        const msg = e instanceof FlashFullError ? e.message : (e as Error).message;
        o.log.emit({ type: 'transfer', device: o.device.name, session: o.session, protocol: 'scp', file: flashBaseName(path), bytes: 0, ok: false, error: msg });
        fail(`${path}: ${msg}`);
        finish(1);
        return;
      }
      remaining = size;
      ch.write('\0');
      if (size === 0) awaitingTrailer = true;
    }
  });
  ch.on('end', () => {
    if (upload) upload.fail('connection closed before the file was complete');
    finish(0);
  });
}
