import { Client, type ClientChannel } from 'ssh2';
import type { Lab, LabDevice } from '../../../src/lab';

/** Connects to a lab device with its pinned host key checked, like the real drivers do. */
export function connect(lab: Lab, d: LabDevice, o: { password?: string; username?: string; readyTimeout?: number } = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({
      host: d.host,
      port: d.port,
      username: o.username ?? lab.credentials.username,
      password: o.password ?? lab.credentials.password,
      readyTimeout: o.readyTimeout ?? 5000,
      hostVerifier: (key: Buffer) => key.toString('base64') === d.hostKey.split(' ')[1],
    });
  });
}

/** Runs one command on an exec channel; resolves with its output and exit code. */
export function exec(c: Client, command: string, input?: string): Promise<{ out: string; code: number | undefined }> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, ch) => {
      if (err) return reject(err);
      let out = '';
      let code: number | undefined;
      ch.on('data', (b: Buffer) => (out += b.toString()));
      ch.on('exit', (c2: number) => (code = c2));
      ch.on('close', () => resolve({ out, code }));
      if (input) ch.write(input);
    });
  });
}

/** An interactive shell with expect-style helpers. */
export class Shell {
  buf = '';
  private waiters: Array<() => void> = [];
  closed = false;

  constructor(readonly ch: ClientChannel) {
    ch.on('data', (b: Buffer) => {
      this.buf += b.toString();
      for (const w of this.waiters.splice(0)) w();
    });
    ch.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(c: Client): Promise<Shell> {
    return new Promise((resolve, reject) => c.shell({ term: 'vt100', rows: 24, cols: 200 }, (err, ch) => (err ? reject(err) : resolve(new Shell(ch)))));
  }

  /** Waits until the output (since the last take) matches; returns it and consumes it. */
  async expect(re: RegExp, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.buf);
      if (m) {
        const out = this.buf.slice(0, m.index + m[0].length);
        this.buf = this.buf.slice(m.index + m[0].length);
        return out;
      }
      if (this.closed) throw new Error(`shell closed while waiting for ${re}; got: ${JSON.stringify(this.buf)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${re}; got: ${JSON.stringify(this.buf)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  send(text: string): void {
    this.ch.write(text);
  }

  /** Sends a line and returns everything up to the next prompt matching `prompt`. */
  async cmd(line: string, prompt: RegExp = /[>#] ?$/): Promise<string> {
    this.send(`${line}\r`);
    return this.expect(prompt);
  }

  async waitClosed(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error(`shell still open; got: ${JSON.stringify(this.buf)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Client side of classic SCP: pushes `data` as `name` to `target` (`scp -t target`). */
export function scpPush(c: Client, target: string, name: string, data: Buffer): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve, reject) => {
    c.exec(`scp -t ${target}`, (err, ch) => {
      if (err) return reject(err);
      let stage = 0;
      let message = '';
      let settled = false;
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        resolve({ ok, message });
        ch.end();
      };
      ch.on('data', (b: Buffer) => {
        for (let i = 0; i < b.length; i++) {
          if (b[i] !== 0) {
            message += b.subarray(i).toString();
            return done(false);
          }
          stage++;
          if (stage === 1) ch.write(`C0644 ${data.length} ${name}\n`);
          else if (stage === 2) {
            ch.write(data);
            ch.write(Buffer.from([0]));
          } else if (stage === 3) done(true);
        }
      });
      ch.on('close', () => done(false));
    });
  });
}

/** Uploads with SFTP (open/write/close). */
export function sftpPut(c: Client, path: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    c.sftp((err, sftp) => {
      if (err) return reject(err);
      sftp.writeFile(path, data, (e) => {
        sftp.end();
        if (e) reject(e);
        else resolve();
      });
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when a TCP connect to the port is refused. */
export async function refused(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}
