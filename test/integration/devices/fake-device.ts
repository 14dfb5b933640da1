import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { Server, utils, type Connection, type ServerChannel } from 'ssh2';

/**
 * A tiny IOS-XE-like SSH device for session tests, written for these tests
 * (the shared lab in src/lab is the realistic one). It knows just enough:
 * banner + MOTD, user/privileged/config prompts, enable, a few shows, config
 * rejection, the reload dialogue, a hanging command, `scp -t` and SFTP writes.
 */
export interface FakeOptions {
  hostname?: string;
  username?: string;
  password?: string;
  enableSecret?: string;
  /** Printed after login, before the first prompt. */
  motd?: string;
  /** Never answer authentication. */
  stallAuth?: boolean;
  /** Cut the SCP/SFTP transfer after this many bytes (once). */
  dropTransferAfter?: number;
  /** Flip a byte of received files. */
  corrupt?: boolean;
  freeBytes?: number;
  /** Canned answers by command (e.g. output captured from a real device), taking precedence over the built-in ones. */
  outputs?: Record<string, string>;
}

export interface FakeDevice {
  port: number;
  hostKey: string;
  files: Map<string, Buffer>;
  reloads: number;
  stop(): Promise<void>;
}

const VERSION = `Cisco IOS XE Software, Version 17.09.04a
Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)

HOST uptime is 2 hours, 3 minutes
System image file is "flash:packages.conf"
`;

export async function startFakeDevice(opts: FakeOptions = {}): Promise<FakeDevice> {
  const keys = usableHostKey();
  const hostKey = keys.public.trim().split(/\s+/).slice(0, 2).join(' ');
  let hostname = opts.hostname ?? 'r1';
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'pw';
  const enableSecret = opts.enableSecret ?? 'en';
  const files = new Map<string, Buffer>();
  const state = { reloads: 0, dropped: false };
  const conns = new Set<Connection>();

  const server = new Server({ hostKeys: [keys.private] }, (conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => {
      if (opts.stallAuth) return;
      if (ctx.method === 'password' && ctx.username === username && ctx.password === password) return ctx.accept();
      if (ctx.method === 'none') return ctx.reject(['password']);
      ctx.reject();
    });
    conn.on('ready', () => {
      conn.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept?.());
        session.on('shell', (accept) => runShell(accept(), conn));
        session.on('exec', (accept, _reject, info) => runExec(accept(), info.command, conn));
        session.on('sftp', (accept) => runSftp(accept(), conn));
      });
    });
  });

  function runShell(ch: ServerChannel, conn: Connection): void {
    let mode: 'user' | 'exec' | 'config' | 'config-if' = 'user';
    let pending: ((line: string) => void) | undefined;
    let line = '';
    const prompt = (): string => `${hostname}${mode === 'config' ? '(config)' : mode === 'config-if' ? '(config-if)' : ''}${mode === 'user' ? '>' : '#'}`;
    ch.write(`\r\n${opts.motd ?? ''}\r\n\r\n${prompt()}`);
    const handle = (cmd: string): void => {
      const out = (text: string): void => {
        ch.write(`${text.replace(/\n/g, '\r\n')}${text ? '\r\n' : ''}${prompt()}`);
      };
      if (cmd === '') return out('');
      if (cmd === 'hang') return; // never answers
      if (cmd === 'drip') {
        let n = 0;
        const t = setInterval(() => {
          ch.write(`line ${n}\r\n`);
          if (++n === 5) {
            clearInterval(t);
            out('done');
          }
        }, 60);
        return;
      }
      if (cmd === 'enable') {
        ch.write('Password: ');
        pending = (secret) => {
          ch.write('\r\n'); // the secret is not echoed, the newline is
          if (secret === enableSecret) mode = 'exec';
          else ch.write('\r\n% Access denied\r\n');
          out('');
        };
        return;
      }
      if (cmd.startsWith('terminal ')) return out('');
      const canned = opts.outputs?.[cmd];
      if (canned !== undefined) return out(canned);
      if (cmd === 'show version') return out(VERSION.replace('HOST', hostname));
      if (cmd === 'show long') return out(Array.from({ length: 300 }, (_, i) => `row ${i} ${'x'.repeat(40)}`).join('\n'));
      if (cmd === 'dir flash:') {
        const rows = [...files].map(([n, b], i) => `${i + 10}  -rw-  ${b.length}  Jan 8 2024 09:51:07 +00:00  ${n}`);
        return out(`Directory of flash:/\n\n${rows.join('\n')}\n\n8000000000 bytes total (${opts.freeBytes ?? 4000000000} bytes free)`);
      }
      const verify = /^verify \/md5 flash:(\S+)$/.exec(cmd);
      if (verify) {
        const data = files.get(verify[1]!);
        if (!data) return out(`%Error opening flash:${verify[1]} (No such file or directory)`);
        return out(`.....Done!\nverify /md5 (flash:${verify[1]}) = ${createHash('md5').update(data).digest('hex')}`);
      }
      const del = /^delete \/force flash:(\S+)$/.exec(cmd);
      if (del) {
        files.delete(del[1]!);
        return out('');
      }
      if (mode === 'user' && /^(configure|reload|write|copy)/.test(cmd)) return out("                ^\n% Invalid input detected at '^' marker.");
      if (cmd === 'configure terminal') {
        mode = 'config';
        return out('Enter configuration commands, one per line.  End with CNTL/Z.');
      }
      if (mode === 'config' || mode === 'config-if') {
        if (cmd === 'end') {
          mode = 'exec';
          return out('');
        }
        if (cmd.startsWith('interface ')) {
          mode = 'config-if';
          return out('');
        }
        const rename = /^hostname (\S+)$/.exec(cmd);
        if (rename) {
          hostname = rename[1]!;
          return out('');
        }
        if (cmd.startsWith('bad')) return out(`${' '.repeat(cmd.length)}^\n% Invalid input detected at '^' marker.`);
        if (cmd === 'standby') return out('% Incomplete command.');
        return out('');
      }
      if (cmd === 'write memory') return out('Building configuration...\n[OK]');
      if (cmd === 'reload') {
        ch.write('\r\nSystem configuration has been modified. Save? [yes/no]: ');
        pending = (answer) => {
          ch.write(`${answer}\r\n${answer === 'yes' ? 'Building configuration...\r\n[OK]\r\n' : ''}Proceed with reload? [confirm]`);
          pending = () => {
            state.reloads++;
            setTimeout(() => conn.end(), 20);
          };
        };
        return;
      }
      out("                ^\n% Invalid input detected at '^' marker.");
    };
    ch.on('data', (d: Buffer) => {
      for (const c of d.toString('utf8')) {
        if (c === '\r') continue;
        if (c === '\n') {
          const got = line;
          line = '';
          if (pending) {
            const p = pending;
            pending = undefined;
            p(got);
          } else {
            ch.write(`${got}\r\n`); // echo
            handle(got.trim());
          }
        } else {
          line += c;
        }
      }
    });
  }

  function runExec(ch: ServerChannel, command: string, conn: Connection): void {
    const scp = /^scp -t (\S+)$/.exec(command);
    if (!scp) {
      ch.stderr.write(`unknown command ${command}\n`);
      ch.exit(127);
      ch.end();
      return;
    }
    const name = scp[1]!.replace(/^.*[:/]/, '');
    let header = '';
    let size = -1;
    let got: Buffer[] = [];
    let received = 0;
    let cut = false;
    ch.write(Buffer.from([0]));
    ch.on('data', (d: Buffer) => {
      if (cut) return; // data already in flight when we dropped the connection
      if (size < 0) {
        header += d.toString('latin1');
        const nl = header.indexOf('\n');
        if (nl < 0) return;
        size = Number(header.slice(0, nl).split(' ')[1]);
        if (size > (opts.freeBytes ?? Infinity)) {
          ch.write(Buffer.from('\x02scp: flash:/x: No space left on device\n'));
          ch.exit(1);
          ch.end();
          return;
        }
        ch.write(Buffer.from([0]));
        d = Buffer.from(header.slice(nl + 1), 'latin1');
        if (d.length === 0) return;
      }
      got.push(d);
      received += d.length;
      if (opts.dropTransferAfter !== undefined && !state.dropped && received >= opts.dropTransferAfter) {
        state.dropped = true;
        cut = true;
        files.set(name, Buffer.concat(got).subarray(0, opts.dropTransferAfter));
        conn.end();
        return;
      }
      if (received >= size + 1) {
        const data = Buffer.concat(got).subarray(0, size);
        if (opts.corrupt && data.length > 0) data[0] = data[0]! ^ 0xff;
        files.set(name, Buffer.from(data));
        got = [];
        ch.write(Buffer.from([0]));
        ch.exit(0);
        ch.end();
      }
    });
  }

  function runSftp(sftp: import('ssh2').SFTPWrapper, _conn: Connection): void {
    const handles = new Map<number, { name: string; chunks: Buffer[] }>();
    let next = 1;
    sftp.on('OPEN', (reqid, filename) => {
      const h = next++;
      handles.set(h, { name: filename.replace(/^.*[:/]/, ''), chunks: [] });
      const buf = Buffer.alloc(4);
      buf.writeUInt32BE(h);
      sftp.handle(reqid, buf);
    });
    sftp.on('WRITE', (reqid, handle, _offset, data) => {
      handles.get(handle.readUInt32BE(0))?.chunks.push(Buffer.from(data));
      sftp.status(reqid, 0);
    });
    sftp.on('CLOSE', (reqid, handle) => {
      const h = handles.get(handle.readUInt32BE(0));
      if (h) files.set(h.name, Buffer.concat(h.chunks));
      sftp.status(reqid, 0);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hostKey,
    files,
    get reloads() {
      return state.reloads;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.end();
        server.close(() => resolve());
      }),
  };
}

/**
 * ssh2 1.17 sometimes (about 1 in 256) generates an ed25519 pair it cannot
 * parse back (mscdex/ssh2#1513: a leading zero byte is stripped), so we
 * draw again until both halves parse.
 */
export function usableHostKey(): { private: string; public: string } {
  for (;;) {
    const kp = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(kp.private) instanceof Error) && !(utils.parseKey(kp.public) instanceof Error)) return kp;
  }
}

/** A TCP server that accepts and then says nothing: the SSH banner never comes. */
export async function startSilentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server: TcpServer = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A port whose SYNs go unanswered: a listener that never accepts, with its
 * accept queue filled first (Linux then drops new SYNs), so connect() hangs
 * the way it does against a black-holed address. Needs python3.
 */
export async function startBlackHole(): Promise<{ port: number; stop(): Promise<void> }> {
  const script = [
    'import socket, sys, time',
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)",
    'port = s.getsockname()[1]',
    'fill = []',
    'for i in range(4):',
    '    c = socket.socket(); c.setblocking(False)',
    '    try: c.connect((\'127.0.0.1\', port))',
    '    except BlockingIOError: pass',
    '    fill.append(c)',
    'time.sleep(0.2)',
    'print(port, flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
