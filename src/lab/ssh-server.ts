import { timingSafeEqual } from 'node:crypto';
import { type Server as NetServer, type Socket, createServer } from 'node:net';
import { type Connection, type ParsedKey, Server, type ServerChannel, utils } from 'ssh2';
import { LAB_COMMANDS } from './cli/commands';
import { CliSession, type SessionHost } from './cli/session';
import type { LabDevice } from './device';
import type { EventLog, MutatingReason } from './events';
import type { Fabric } from './fabric';
import { parseScpCommand, runScpSink } from './scp';
import { serveSftp } from './sftp';
import type { LabCredentials, LabTimings } from './types';

export interface ServerContext {
  timings: LabTimings;
  log: EventLog;
  credentials: LabCredentials;
  /** Public keys (parsed) allowed to log in as `credentials.username`. */
  authorizedKeys: ParsedKey[];
  peersOf(device: LabDevice): LabDevice[];
  fabric?: Fabric;
}

interface Conn {
  id: string;
  socket: Socket;
  client?: Connection;
  mutating: boolean;
  sessions: CliSession[];
  /** Session channels the client opened, and how many of them it closed itself (CHANNEL_CLOSE). */
  channels: number;
  channelsClosedByClient: number;
  /** The client sent SSH DISCONNECT before its socket ended. */
  disconnected: boolean;
  /** The lab cut the connection (drop fault, reload, stop). */
  dropped: boolean;
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * One device's SSH server: its own TCP listener on 127.0.0.1 (closed while
 * the device reboots, so connections are refused as on a real box), and an
 * ssh2 server (created on first connection, to keep start-up cheap) that the
 * accepted sockets are handed to.
 */
export class DeviceServer {
  private net: NetServer | undefined;
  private ssh: Server | undefined;
  private readonly conns = new Set<Conn>();
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly device: LabDevice,
    private readonly ctx: ServerContext,
  ) {
    device.hooks = {
      goDown: () => this.goDown(),
      comeUp: () => this.listen(this.device.port),
    };
  }

  /** Starts listening; with port 0 the OS picks a free one, then the device keeps it across reloads. */
  listen(port: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const srv = createServer((s) => this.accept(s));
      srv.once('error', reject);
      srv.listen({ host: '127.0.0.1', port, backlog: 64 }, () => {
        srv.off('error', reject);
        srv.on('error', () => undefined);
        const addr = srv.address();
        if (addr && typeof addr === 'object') this.device.port = addr.port;
        this.net = srv;
        resolve();
      });
    });
  }

  /** Closes the listener and every connection; nothing stays open. */
  async stop(): Promise<void> {
    this.stopped = true;
    const srv = this.net;
    const closed = srv ? new Promise<void>((r) => srv.once('close', () => r())) : Promise.resolve();
    this.goDown();
    await closed;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  private goDown(): void {
    const srv = this.net;
    this.net = undefined;
    srv?.close();
    for (const c of [...this.conns]) this.kill(c);
  }

  private kill(c: Conn): void {
    c.dropped = true;
    for (const s of c.sessions) s.close();
    c.socket.destroy();
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    if (!this.device.isUp) {
      socket.destroy();
      return;
    }
    const max = this.device.fault('max-sessions');
    if (max && this.conns.size >= max.limit) {
      this.ctx.log.emit({ type: 'session.refused', device: this.device.name, reason: `more than ${max.limit} concurrent sessions` });
      socket.destroy();
      return;
    }
    const conn: Conn = { id: `${this.device.name}/${++this.seq}`, socket, mutating: false, sessions: [], channels: 0, channelsClosedByClient: 0, disconnected: false, dropped: false };
    this.conns.add(conn);
    // ssh2 answers a client's DISCONNECT by ending our side of the socket at
    // once, so the client's FIN then finds it already ended. A client that
    // died sends FIN (or RST) with no DISCONNECT: our side is still open then
    // (Node ends it only on the next tick after 'end').
    socket.once('end', () => {
      if (socket.writableEnded) conn.disconnected = true;
    });
    socket.once('close', () => {
      this.conns.delete(conn);
      for (const s of conn.sessions) s.close();
      if (conn.client && (conn as { opened?: boolean }).opened) {
        this.ctx.log.emit({ type: 'session.close', device: this.device.name, session: conn.id, mutating: conn.mutating, clean: endedByClient(conn) });
      }
    });
    this.sshServer().injectSocket(socket);
    // injectSocket hands the socket to a new ssh2 connection synchronously; bind it to our record.
    (socket as Socket & { __labConn?: Conn }).__labConn = conn;
  }

  private sshServer(): Server {
    if (!this.ssh) {
      this.ssh = new Server({ hostKeys: [this.device.hostKeyPrivate], ident: sshIdent(this.device) }, (client, info) => {
        void info;
        const socket = (client as unknown as { _sock?: Socket })._sock;
        const conn = (socket as (Socket & { __labConn?: Conn }) | undefined)?.__labConn ?? this.findConn(socket);
        if (!conn) {
          client.end();
          return;
        }
        conn.client = client;
        this.serve(conn, client);
      });
      this.ssh.on('error', () => undefined);
    }
    return this.ssh;
  }

  private findConn(socket: Socket | undefined): Conn | undefined {
    for (const c of this.conns) if (c.socket === socket) return c;
    return undefined;
  }

  private serve(conn: Conn, client: Connection): void {
    const { credentials: cred, log } = this.ctx;
    const d = this.device;
    let user = '';
    client.on('error', () => undefined);
    client.on('authentication', (auth) => {
      user = auth.username;
      const methods: Array<'password' | 'publickey' | 'keyboard-interactive'> = ['publickey', 'password', 'keyboard-interactive'];
      const fail = () => {
        if (auth.method !== 'none') log.emit({ type: 'auth.fail', device: d.name, user: auth.username, method: auth.method });
        auth.reject(methods);
      };
      if (d.fault('auth-failure') || auth.username !== cred.username) return fail();
      if (auth.method === 'password') return safeEqual(auth.password, cred.password) ? auth.accept() : fail();
      if (auth.method === 'publickey') {
        const key = this.ctx.authorizedKeys.find((k) => k.type === auth.key.algo && k.getPublicSSH().equals(auth.key.data));
        if (!key) return fail();
        if (!auth.signature) return auth.accept();
        return key.verify(auth.blob!, auth.signature, auth.hashAlgo) ? auth.accept() : fail();
      }
      if (auth.method === 'keyboard-interactive') {
        return auth.prompt([{ prompt: 'Password: ', echo: false }], (answers) => (answers[0] !== undefined && safeEqual(answers[0], cred.password) ? auth.accept() : fail()));
      }
      return fail();
    });
    client.on('ready', () => {
      (conn as { opened?: boolean }).opened = true;
      log.emit({ type: 'session.open', device: d.name, session: conn.id, user });
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        conn.channels++;
        // ssh2 emits 'close' on a Session only for the client's CHANNEL_CLOSE;
        // a lost connection closes the inner channel without it.
        session.once('close', () => conn.channelsClosedByClient++);
        session.on('pty', (accept) => accept?.());
        session.on('window-change', (accept) => accept?.());
        session.on('env', (accept) => accept?.());
        session.on('shell', (accept) => {
          const ch = accept();
          const cli = this.cli(conn, ch, true);
          ch.on('data', (b: Buffer) => cli.onData(b.toString('latin1')));
          void cli.start();
        });
        session.on('exec', (accept, _reject, info) => {
          const ch = accept();
          // vtysh is FRR's login shell: `scp -t` reaches it as a command it does not know.
          const scp = d.platform === 'frr' ? undefined : parseScpCommand(info.command);
          if (scp) {
            runScpSink(ch, {
              device: d,
              log,
              session: conn.id,
              target: scp.target,
              onMutating: () => this.markMutating(conn, 'transfer'),
              drop: () => this.kill(conn),
            });
            return;
          }
          const cli = this.cli(conn, ch, false);
          ch.on('data', (b: Buffer) => cli.onData(b.toString('latin1')));
          void cli.runExec(info.command);
        });
        session.on('sftp', (accept, reject) => {
          // A vtysh login has no SFTP subsystem to start (FRR has no image file system to write to).
          if (d.platform === 'frr') return reject();
          serveSftp(accept(), { device: d, log, session: conn.id, onMutating: () => this.markMutating(conn, 'transfer'), drop: () => this.kill(conn) });
        });
      });
    });
  }

  private cli(conn: Conn, ch: ServerChannel, interactive: boolean): CliSession {
    const host: SessionHost = {
      commands: LAB_COMMANDS,
      timings: this.ctx.timings,
      log: this.ctx.log,
      credentials: this.ctx.credentials,
      peersOf: (x) => this.ctx.peersOf(x),
      fabric: this.ctx.fabric,
      markMutating: (reason) => this.markMutating(conn, reason),
    };
    const cli = new CliSession(
      this.device,
      host,
      {
        write: (t) => {
          if (ch.writable) ch.write(t);
        },
        end: (code = 0) => {
          if (!ch.writable) return;
          ch.exit(code);
          ch.end();
        },
        drop: () => this.kill(conn),
      },
      conn.id,
      interactive,
    );
    conn.sessions.push(cli);
    ch.on('close', () => cli.close());
    return cli;
  }

  private markMutating(conn: Conn, reason: MutatingReason): void {
    if (conn.mutating) return;
    conn.mutating = true;
    this.ctx.log.emit({ type: 'session.mutating', device: this.device.name, session: conn.id, reason });
  }
}

/** The client ended the session itself: a goodbye, or every session channel closed, while the lab kept the connection. */
function endedByClient(c: Conn): boolean {
  if (c.dropped) return false;
  return c.disconnected || (c.channels > 0 && c.channelsClosedByClient === c.channels);
}

function sshIdent(d: LabDevice): string {
  return d.platform === 'frr' ? 'SSH-2.0-OpenSSH_8.9p1' : 'SSH-2.0-Cisco-1.25';
}

/** Parses OpenSSH public key lines (`ssh-ed25519 AAAA... comment`) for public-key auth. */
export function parseAuthorizedKeys(lines: string[]): ParsedKey[] {
  const keys: ParsedKey[] = [];
  for (const line of lines) {
    const k = utils.parseKey(line.trim());
    if (k instanceof Error) throw new Error(`invalid authorized key: ${k.message}`);
    keys.push(k);
  }
  return keys;
}
