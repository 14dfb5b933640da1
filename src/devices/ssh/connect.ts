import { connect as tcpConnect, type Socket } from 'node:net';
import { Client, type ConnectConfig } from 'ssh2';
import { AuthenticationFailed, TimedOut, Unreachable, type DeviceError } from '../errors';
import { makeHostVerifier } from './host-keys';
import type { ResolvedCredentials, SessionLogger, SessionTarget, SessionTimeouts } from './types';

/**
 * Opens an authenticated ssh2 Client, with one deadline per phase:
 * TCP connect, then banner + key exchange (ends at 'handshake'), then
 * authentication (ends at 'ready'). We open the TCP socket ourselves so a
 * black-holed address is told apart from a device that accepts and stalls.
 */
export async function openClient(
  target: SessionTarget,
  creds: ResolvedCredentials,
  timeouts: SessionTimeouts,
  logger: SessionLogger,
): Promise<Client> {
  const sock = await openSocket(target, timeouts.connectMs);
  const client = new Client();
  const { verify, outcome } = makeHostVerifier(target, logger);
  return new Promise<Client>((resolve, reject) => {
    let phase: 'banner' | 'auth' = 'banner';
    let settled = false;
    let timer = setTimeout(() => fail(new TimedOut(target.name, 'banner', timeouts.bannerMs)), timeouts.bannerMs);
    const fail = (err: DeviceError | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeAllListeners('ready');
      client.on('error', () => undefined); // late errors after we gave up
      client.end();
      sock.destroy();
      reject(err);
    };
    client.once('handshake', () => {
      phase = 'auth';
      clearTimeout(timer);
      timer = setTimeout(() => fail(new TimedOut(target.name, 'auth', timeouts.authMs)), timeouts.authMs);
    });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return;
      if (outcome.error) return fail(outcome.error);
      if (err.level === 'client-authentication') return fail(new AuthenticationFailed(target.name, creds.username));
      fail(new Unreachable(target.name, `${target.host}:${target.port}`, `${phase === 'banner' ? 'SSH handshake failed' : 'connection failed during authentication'}: ${err.message}`));
    });
    client.once('close', () => {
      if (outcome.error) return fail(outcome.error);
      fail(new Unreachable(target.name, `${target.host}:${target.port}`, `the device closed the connection during ${phase === 'banner' ? 'the SSH handshake' : 'authentication'}`));
    });
    const config: ConnectConfig = {
      sock,
      username: creds.username,
      readyTimeout: 0, // our own per-phase timers above
      keepaliveInterval: timeouts.keepaliveIntervalMs,
      keepaliveCountMax: timeouts.keepaliveCountMax,
      hostVerifier: verify,
      tryKeyboard: Boolean(creds.password),
    };
    if (creds.password) config.password = creds.password;
    if (creds.privateKey) config.privateKey = creds.privateKey;
    if (creds.passphrase) config.passphrase = creds.passphrase;
    if (creds.agent) config.agent = creds.agent;
    if (creds.password) {
      // Some IOS images only offer keyboard-interactive; answer every prompt with the password.
      client.on('keyboard-interactive', (_name, _instr, _lang, prompts, finish) => finish(prompts.map(() => creds.password ?? '')));
    }
    try {
      client.connect(config);
    } catch (err) {
      fail(new Unreachable(target.name, `${target.host}:${target.port}`, (err as Error).message));
    }
  });
}

function openSocket(target: SessionTarget, connectMs: number): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const sock = tcpConnect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new TimedOut(target.name, 'connect', connectMs, `${target.host}:${target.port}`));
    }, connectMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      sock.destroy();
      reject(new Unreachable(target.name, `${target.host}:${target.port}`, err.code ?? err.message));
    });
  });
}
