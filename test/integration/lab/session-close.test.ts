import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSession } from '../../../src/devices';
import { type Lab, type LabEvent, startLab } from '../../../src/lab';
import { Shell, connect } from './ssh-helpers';

type CloseEvent = Extract<LabEvent, { type: 'session.close' }>;

/**
 * `session.close` says whether the client ended the session itself (clean)
 * or the connection was lost: the collection's crash proof counts on it.
 */
describe('session.close clean flag', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ devices: 1, fast: true });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  /** The close event of the next session opened after `since`. */
  const nextClose = async (since: number): Promise<CloseEvent> => {
    const open = await lab.waitForEvent((e) => e.type === 'session.open', 10_000, since);
    const session = (open as Extract<LabEvent, { type: 'session.open' }>).session;
    return (await lab.waitForEvent((e) => e.type === 'session.close' && e.session === session, 10_000, since)) as CloseEvent;
  };
  const lastSeq = () => lab.events.at(-1)?.seq ?? 0;

  it('is true when our driver runs a command and closes the session', async () => {
    const since = lastSeq();
    const d = lab.device('r1');
    const target = { name: d.name, host: d.host, port: d.port, platform: d.platform, hostKey: d.hostKey, hostKeyCheck: 'strict' as const };
    const out = await withSession(target, lab.credentials, (s) => s.run('show version'));
    expect(out).toContain('Version');
    expect(await nextClose(since)).toMatchObject({ device: 'r1', clean: true });
  });

  it('is true for a client that says goodbye (DISCONNECT) with its shell still open, or without any channel', async () => {
    let since = lastSeq();
    const c = await connect(lab, lab.device('r1'));
    const sh = await Shell.open(c);
    await sh.expect(/[>#] ?$/);
    c.end();
    expect((await nextClose(since)).clean).toBe(true);

    since = lastSeq();
    const bare = await connect(lab, lab.device('r1'));
    bare.end();
    expect((await nextClose(since)).clean).toBe(true);
  });

  it('is true when the client closed its session channel, even if its socket then just goes', async () => {
    const since = lastSeq();
    const c = await connect(lab, lab.device('r1'));
    const sh = await Shell.open(c);
    await sh.expect(/[>#] ?$/);
    sh.ch.close();
    await sh.waitClosed();
    (c as unknown as { _sock: { destroy(): void } })._sock.destroy();
    expect((await nextClose(since)).clean).toBe(true);
  });

  it('is false when the client socket is destroyed mid-session', async () => {
    const since = lastSeq();
    const c = await connect(lab, lab.device('r1'));
    const sh = await Shell.open(c);
    await sh.expect(/[>#] ?$/);
    (c as unknown as { _sock: { destroy(): void } })._sock.destroy();
    expect((await nextClose(since)).clean).toBe(false);
  });

  it('is false when the client process is SIGKILLed mid-session', async () => {
    const since = lastSeq();
    const d = lab.device('r1');
    const script = `
      const { Client } = require('ssh2');
      const c = new Client();
      c.on('ready', () => c.shell((err, ch) => { if (err) throw err; ch.once('data', () => console.log('in-shell')); }));
      c.connect(${JSON.stringify({ host: d.host, port: d.port, username: lab.credentials.username, password: lab.credentials.password })});`;
    const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => b.toString().includes('in-shell') && resolve());
      child.once('exit', (code) => reject(new Error(`client exited early (${code})`)));
    });
    child.kill('SIGKILL');
    expect((await nextClose(since)).clean).toBe(false);
  });

  it('is false when the lab drops the connection (a fault)', async () => {
    const since = lastSeq();
    lab.setFault('r1', { kind: 'drop-mid-command', match: 'show version' });
    try {
      const c = await connect(lab, lab.device('r1'));
      const sh = await Shell.open(c);
      await sh.expect(/[>#] ?$/);
      sh.send('show version\r');
      await sh.waitClosed(5_000);
      expect((await nextClose(since)).clean).toBe(false);
    } finally {
      lab.clearFault('r1', 'drop-mid-command');
    }
  });
});
