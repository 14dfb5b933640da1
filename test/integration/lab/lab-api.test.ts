import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Lab, startLab } from '../../../src/lab';
import { Shell, connect, exec, refused } from './ssh-helpers';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('startLab', () => {
  it('starts pairs on distinct ports with distinct pinned host keys, one active per group', async () => {
    lab = await startLab({ devices: 6, pairs: true, sites: 2, platformMix: true, fast: true });
    expect(lab.devices.map((d) => d.name)).toEqual(['r1-a', 'r1-b', 'r2-a', 'r2-b', 'r3-a', 'r3-b']);
    expect(new Set(lab.devices.map((d) => d.port)).size).toBe(6);
    expect(new Set(lab.devices.map((d) => d.hostKey)).size).toBe(6);
    expect(lab.devices.map((d) => d.platform)).toEqual(['iosxe', 'iosxe', 'nxos', 'nxos', 'frr', 'frr']);
    for (const d of lab.devices) expect(d.hostKey).toMatch(/^ssh-ed25519 AAAA[\w+/=]+$/);
    expect(lab.activeOf('site1-g1')).toBe('r1-a');
    expect(lab.device('r1-b').redundancyState).toBe('standby');
    expect(lab.device('r3-b').site).toBe('site2');
  });

  it('writes the inventory YAML with 0600 secret files and the pinned keys', async () => {
    lab = await startLab({ devices: 2, pairs: true, fast: true });
    const dir = mkdtempSync(join(tmpdir(), 'inv-'));
    const path = lab.writeInventory(join(dir, 'inventory.yaml'));
    const doc = parse(readFileSync(path, 'utf8'));
    expect(doc.defaults).toEqual({ port: 22, platform: 'iosxe', credentials: 'lab', host_key_check: 'strict' });
    const cred = doc.credentials.lab;
    expect(cred.username).toBe('admin');
    const pwFile = cred.password.replace(/^file:/, '');
    expect(readFileSync(pwFile, 'utf8')).toBe(lab.credentials.password);
    expect(statSync(pwFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(cred.enable_secret.replace(/^file:/, ''), 'utf8')).toBe(lab.credentials.enableSecret);
    expect(doc.sites).toEqual({ site1: { timezone: 'UTC', windows: [] } });
    const d = lab.device('r1-b');
    expect(doc.devices['r1-b']).toEqual({ host: '127.0.0.1', port: d.port, platform: 'iosxe', site: 'site1', redundancy_group: 'site1-g1', host_key: d.hostKey, tags: ['iosxe', 'site1'] });
    lab.writeInventory(path, { passwordRef: 'env:LAB_PW', enableRef: 'env:LAB_EN' });
    expect(parse(readFileSync(path, 'utf8')).credentials.lab).toEqual({ username: 'admin', password: 'env:LAB_PW', enable_secret: 'env:LAB_EN' });
  });

  it('accepts password and public-key logins and rejects a wrong password', async () => {
    const key = utils.generateKeyPairSync('ed25519');
    lab = await startLab({ devices: 1, fast: true, authorizedKeys: [key.public] });
    const d = lab.device('r1');
    const c = await connect(lab, d);
    expect((await exec(c, 'show version')).out).toContain('Cisco IOS XE Software, Version 17.9.4a');
    c.end();
    await expect(connect(lab, d, { password: 'wrong' })).rejects.toThrow(/authentication/i);
    const { Client } = await import('ssh2');
    const viaKey = await new Promise<InstanceType<typeof Client>>((resolve, reject) => {
      const k = new Client();
      k.once('ready', () => resolve(k)).once('error', reject);
      k.connect({ host: d.host, port: d.port, username: 'admin', privateKey: key.private });
    });
    expect((await exec(viaKey, 'show clock')).code).toBe(0);
    viaKey.end();
    expect(lab.events.some((e) => e.type === 'auth.fail' && e.device === 'r1')).toBe(true);
  });

  it('accepts keyboard-interactive logins', async () => {
    lab = await startLab({ devices: 1, platform: 'frr', fast: true });
    const d = lab.device('r1');
    const { Client } = await import('ssh2');
    const prompts: string[] = [];
    const c = await new Promise<InstanceType<typeof Client>>((resolve, reject) => {
      const k = new Client();
      k.once('ready', () => resolve(k)).once('error', reject);
      k.on('keyboard-interactive', (_n, _i, _l, ps, finish) => {
        prompts.push(...ps.map((p) => p.prompt));
        finish([lab!.credentials.password]);
      });
      k.connect({ host: d.host, port: d.port, username: 'admin', tryKeyboard: true, authHandler: ['keyboard-interactive'] });
    });
    expect(prompts).toEqual(['Password: ']);
    expect((await exec(c, 'show version')).out).toContain('FRRouting 8.4.4');
    c.end();
  });

  it('stop() closes listeners and live sessions and removes its temporary data dir', async () => {
    // Closed handles linger in the list for a moment after close; wait until earlier tests' are gone.
    const listeners = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    const settle = async () => {
      for (let i = 0; i < 50 && listeners() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    };
    await settle();
    lab = await startLab({ devices: 2, fast: true });
    expect(listeners()).toBe(2);
    const d = lab.device('r1');
    const c = await connect(lab, d);
    const sh = await Shell.open(c);
    await sh.expect(/r1>$/);
    const dataDir = lab.dataDir;
    lab.writeInventory(join(dataDir, 'inv.yaml'));
    await lab.stop();
    await sh.waitClosed();
    expect(await refused(d.port)).toBe(true);
    expect(existsSync(dataDir)).toBe(false);
    c.end();
    await settle();
    expect(listeners()).toBe(0);
    lab = undefined;
  });

  it('uses consecutive ports from basePort and writes the event log file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ev-'));
    const eventLogPath = join(dir, 'events.jsonl');
    const basePort = await freeRun(3);
    lab = await startLab({ devices: 3, fast: true, basePort, eventLogPath });
    expect(lab.devices.map((d) => d.port)).toEqual([basePort, basePort + 1, basePort + 2]);
    const lines = readFileSync(eventLogPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'lab.start', devices: 3 });
    expect(typeof lines[0].t).toBe('number');
    expect(lines[0].wall).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

/**
 * The first of `n` consecutive free ports, below Linux's ephemeral range
 * (32768+), where the suite's other sockets would otherwise collide with it.
 */
async function freeRun(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 12000);
    const taken = await Promise.all(Array.from({ length: n }, (_, i) => portTaken(base + i)));
    if (!taken.some(Boolean)) return base;
  }
  throw new Error(`no ${n} consecutive free ports found`);
}

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const s = createServer();
    s.once('error', () => resolvePort(true));
    s.listen(port, '127.0.0.1', () => s.close(() => resolvePort(false)));
  });
}
