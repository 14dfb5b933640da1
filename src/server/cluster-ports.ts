import { createConnection, createServer } from 'node:net';

/**
 * Ports for the cluster's services. Membership ports end up in PostgreSQL's
 * cluster_membership.rpc_port, a SMALLINT: above 32767 a service cannot
 * register itself, and the kernel's ephemeral range (where `listen(0)` picks)
 * starts at 32768. So every port here comes from below that.
 */
export const MAX_MEMBERSHIP_PORT = 32767;
const LOW = 20000;

/** A loopback port in [20000, 32767] that nothing listens on now (and not in `taken`). */
export async function freeLowPort(taken: ReadonlySet<number> = new Set(), host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (MAX_MEMBERSHIP_PORT - LOW + 1));
    if (taken.has(port)) continue;
    if (await canBind(port, host)) return port;
  }
  throw new Error(`no free port in ${LOW}-${MAX_MEMBERSHIP_PORT} on ${host} after 200 tries: free some ports or stop other clusters`);
}

/** True when this port can be listened on now. */
export function canBind(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolveBind) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveBind(false));
    server.listen(port, host, () => server.close(() => resolveBind(true)));
  });
}

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolveCheck) => {
    const socket = createConnection({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolveCheck(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Waits until host:port accepts connections. `failed` is asked on every
 * round: a reason there (the process died) ends the wait at once.
 */
export async function waitForPort(port: number, timeoutMs: number, failed: () => string | undefined, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(reason);
    if (await isListening(port, host)) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
