import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../../../src/server/free-port';
import { SEARCH_ATTRIBUTES } from '../../../src/contracts/search-attributes';

export interface LoggedServer {
  address: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * A dev server of this test's own whose every log line is kept (the shared
 * helper drops them), at info level, so the server's logs can be searched
 * for secrets as well. Same flags as src/server/dev-server.ts otherwise.
 */
export async function startLoggedServer(cli: string): Promise<LoggedServer> {
  const port = await freePort();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default', '--headless', '--log-level', 'info'];
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${sa.cliType}`);
  const child = spawn(cli, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Dies with this process even if it is SIGKILLed.
  spawn(process.execPath, [join(__dirname, '..', '..', '..', 'src', 'server', 'reaper.cjs'), String(process.pid), String(child.pid)], { detached: true, stdio: 'ignore' }).unref();
  const address = `127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        break;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw new Error(`the dev server did not start: ${(err as Error).message}\n${out.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { address, output: () => out, stop };
}
