import { startDevServer, type DevServer } from '../../src/server/dev-server';

/**
 * The run's own Temporal dev server on a SQLite file, which the chaos run
 * SIGKILLs (its whole process group) and starts again on the same port and
 * file: the state it held must come back from disk.
 */
export class ChaosServer {
  current: DevServer | undefined;
  down = false;
  kills = 0;
  private readonly all: DevServer[] = [];

  constructor(private readonly o: { dbFile: string; port: number; cliPath?: string }) {}

  get address(): string {
    return `127.0.0.1:${this.o.port}`;
  }

  async start(): Promise<void> {
    const server = await startDevServer({ dbFile: this.o.dbFile, port: this.o.port, headless: true, ...(this.o.cliPath ? { cliPath: this.o.cliPath } : {}) });
    this.all.push(server);
    this.current = server;
    this.down = false;
  }

  /** SIGKILL to the process group: no shutdown, no flush beyond what SQLite already has. */
  async kill(): Promise<void> {
    const server = this.current;
    if (!server) return;
    this.down = true;
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await server.exited;
    this.kills++;
  }

  async stop(): Promise<void> {
    for (const s of this.all) await s.stop().catch(() => undefined);
  }
}
