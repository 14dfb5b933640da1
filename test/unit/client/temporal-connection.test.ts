import { createServer, type Server } from 'node:net';
import { ServiceError } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../../../src/cli/shared/cli-error';
import { connectClient, isUnreachable, probeTcp } from '../../../src/cli/shared/temporal-connection';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A loopback port with something listening that never speaks (accepts, then stays silent). */
function silentPort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer(() => undefined);
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolvePort((server.address() as { port: number }).port));
  });
}

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function failure(p: Promise<unknown>): Promise<CliError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

const env = {} as NodeJS.ProcessEnv;

describe('connectClient', () => {
  it('says at once that nothing listens, naming the address and what to do (exit 3)', async () => {
    const port = await closedPort();
    const started = Date.now();
    const err = await failure(connectClient({ address: `127.0.0.1:${port}` }, env));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(err.exitCode).toBe(ExitCode.unavailable);
    expect(err.message).toBe(
      `cannot reach Temporal at 127.0.0.1:${port} (connection refused: nothing listens there); start one with \`npx netops server\` or set --address / TEMPORAL_ADDRESS, or add --wait-for-server SECONDS to wait for it`,
    );
  });

  it('gives up on a port that accepts but never answers as Temporal within the connect deadline', async () => {
    const port = await silentPort();
    const started = Date.now();
    const err = await failure(connectClient({ address: `127.0.0.1:${port}` }, env));
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(2_500);
    expect(took).toBeLessThan(8_000);
    expect(err.exitCode).toBe(ExitCode.unavailable);
    expect(err.message).toMatch(new RegExp(`^cannot reach Temporal at 127\\.0\\.0\\.1:${port} \\(.+\\); start one with`));
  }, 15_000);

  it('keeps trying for --wait-for-server seconds, then says how long it tried', async () => {
    const port = await closedPort();
    const started = Date.now();
    const err = await failure(connectClient({ address: `127.0.0.1:${port}`, waitForServer: '2' }, env));
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1_400);
    expect(took).toBeLessThan(4_000);
    expect(err.exitCode).toBe(ExitCode.unavailable);
    expect(err.message).toMatch(new RegExp(`^cannot reach Temporal at 127\\.0\\.0\\.1:${port} for 2 s \\(connection refused`));
    expect(err.message).not.toContain('add --wait-for-server');
  });

  it.each(['abc', '0', '-5', '1.5'])('refuses --wait-for-server %s as bad input (exit 2)', async (value) => {
    const err = await failure(connectClient({ address: '127.0.0.1:1', waitForServer: value }, env));
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toMatch(/^--wait-for-server: /);
  });
});

describe('probeTcp', () => {
  it('resolves when something listens, and names the refusal otherwise', async () => {
    await expect(probeTcp(`127.0.0.1:${await silentPort()}`)).resolves.toBeUndefined();
    await expect(probeTcp(`127.0.0.1:${await closedPort()}`)).rejects.toThrow('connection refused: nothing listens there');
    await expect(probeTcp(`[::1]:${await closedPort()}`)).rejects.toThrow();
  });
});

describe('isUnreachable', () => {
  const grpc = (code: number) => Object.assign(new Error(`${code} grpc`), { code, details: 'x', metadata: {} });
  it.each([
    ['UNAVAILABLE', grpc(14), true],
    ['DEADLINE_EXCEEDED', grpc(4), true],
    ['UNAVAILABLE inside a ServiceError', new ServiceError('Failed to query workflow', { cause: grpc(14) }), true],
    ['NOT_FOUND (an answer)', grpc(5), false],
    ['PERMISSION_DENIED (an answer)', grpc(7), false],
    ['a plain error with code 14 but no gRPC shape', Object.assign(new Error('x'), { code: 14 }), false],
    ['not an error', 'unavailable', false],
  ])('%s -> %s', (_label, err, expected) => {
    expect(isUnreachable(err)).toBe(expected);
  });
});
