import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, startLab, verifyEventLog } from '../../../src/lab';
import { Shell, connect, exec, sleep } from './ssh-helpers';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('faults', () => {
  it('auth-failure rejects the right password until cleared', async () => {
    lab = await startLab({ devices: 1, fast: true });
    lab.setFault('r1', { kind: 'auth-failure' });
    await expect(connect(lab, lab.device('r1'))).rejects.toThrow(/authentication/i);
    lab.clearFault('r1', 'auth-failure');
    const c = await connect(lab, lab.device('r1'));
    c.end();
  });

  it('slow-banner delays the first prompt', async () => {
    lab = await startLab({ devices: 1, platform: 'nxos', fast: true });
    lab.setFault('r1', { kind: 'slow-banner', delayMs: 400 });
    const c = await connect(lab, lab.device('r1'));
    const t0 = Date.now();
    const sh = await Shell.open(c);
    await expect(sh.expect(/# $/, 200)).rejects.toThrow(/timeout/);
    await sh.expect(/# $/, 1000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    c.end();
  });

  it('slow-command delays only matching commands', async () => {
    lab = await startLab({ devices: 1, fast: true });
    lab.setFault('r1', { kind: 'slow-command', delayMs: 800, match: 'running' });
    const c = await connect(lab, lab.device('r1'));
    let t0 = Date.now();
    await exec(c, 'show version');
    expect(Date.now() - t0).toBeLessThan(600);
    t0 = Date.now();
    await exec(c, 'show running-config');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(790);
    c.end();
  });

  it('hang-command never answers, but other sessions still work', async () => {
    lab = await startLab({ devices: 1, platform: 'frr', fast: true });
    lab.setFault('r1', { kind: 'hang-command', match: 'show ip bgp' });
    const c = await connect(lab, lab.device('r1'));
    const sh = await Shell.open(c);
    await sh.expect(/# $/);
    sh.send('show ip bgp summary\r');
    await expect(sh.expect(/# $/, 300)).rejects.toThrow(/timeout/);
    expect((await exec(c, 'show version')).out).toContain('FRRouting');
    c.end();
  });

  it('drop-mid-command kills the connection after part of the output', async () => {
    lab = await startLab({ devices: 1, fast: true });
    lab.setFault('r1', { kind: 'drop-mid-command' });
    const c = await connect(lab, lab.device('r1'));
    c.on('error', () => undefined);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    const r = await exec(c, 'show version');
    expect(r.out).toContain('Cisco IOS XE Software');
    expect(r.out).not.toContain('Configuration register');
    expect(r.code).toBeUndefined();
    await closed;
  });

  it('max-sessions refuses connections beyond the limit', async () => {
    lab = await startLab({ devices: 1, fast: true });
    lab.setFault('r1', { kind: 'max-sessions', limit: 2 });
    const a = await connect(lab, lab.device('r1'));
    const b = await connect(lab, lab.device('r1'));
    await expect(connect(lab, lab.device('r1'))).rejects.toThrow();
    expect(lab.events.some((e) => e.type === 'session.refused')).toBe(true);
    a.end();
    await sleep(100);
    const c = await connect(lab, lab.device('r1'));
    b.end();
    c.end();
  });

  it('flapping makes the peer take over and hand back, and the verifier sees no breach', async () => {
    lab = await startLab({ devices: 2, pairs: true, fast: true });
    lab.setFault('r1-a', { kind: 'flapping', periodMs: 300 });
    const takeover = await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'r1-b' && e.to === 'active', 2000);
    await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'r1-a' && e.to === 'active', 2000, takeover.seq);
    lab.clearFault('r1-a');
    const flips = lab.events.filter((e) => e.type === 'fault' && e.fault === 'flapping' && e.action === 'fired');
    expect(flips.length).toBeGreaterThanOrEqual(2);
    expect(verifyEventLog(lab.events).ok).toBe(true);
  });

  it('flags two concurrent mutating sessions on one device in the event log', async () => {
    lab = await startLab({ devices: 1, fast: true });
    const d = lab.device('r1');
    const enter = async () => {
      const c = await connect(lab!, d);
      const sh = await Shell.open(c);
      await sh.expect(/>$/);
      await sh.cmd('enable', /Password: $/);
      await sh.cmd(lab!.credentials.enableSecret, /#$/);
      await sh.cmd('configure terminal', /\(config\)#$/);
      return c;
    };
    const a = await enter();
    const b = await enter();
    const r = verifyEventLog(lab.events);
    expect(r.breaches.map((x) => x.kind)).toEqual(['concurrent-mutating']);
    a.end();
    b.end();
  });
});
