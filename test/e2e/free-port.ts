import { createConnection, createServer } from 'node:net';
import { freePort } from '../../src/server/free-port';

export { freePort };

/** Two different free ports (asking twice in a row can return the same one). */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolveOpen(false);
    });
  });
}

/**
 * A gRPC port whose +1000 neighbour is free too: the Web UI's conventional
 * place, where `rollout start` points its link unless told otherwise.
 */
export async function freeServerPorts(): Promise<{ port: number; uiPort: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port + 1000 > 65_535) continue;
    if (!(await isListening(port + 1000)) && (await canBind(port + 1000))) return { port, uiPort: port + 1000 };
  }
  throw new Error('no free pair of ports (p, p+1000) on 127.0.0.1');
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolveBind) => {
    const server = createServer();
    server.once('error', () => resolveBind(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveBind(true)));
  });
}
