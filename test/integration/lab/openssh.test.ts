import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, makeLabImage, startLab } from '../../../src/lab';

const run = promisify(execFile);
const hasOpenSsh = (() => {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The real OpenSSH client against the lab: strict host key checking against the pinned keys. */
describe.skipIf(!hasOpenSsh)('OpenSSH client', () => {
  let lab: Lab;
  let dir: string;
  let common: string[];
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-openssh-'));
    const key = utils.generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'id'), key.private, { mode: 0o600 });
    lab = await startLab({ devices: 2, platformMix: true, fast: true, authorizedKeys: [key.public] });
    writeFileSync(join(dir, 'known_hosts'), lab.devices.map((d) => `[127.0.0.1]:${d.port} ${d.hostKey}\n`).join(''));
    port = lab.device('r1').port;
    common = ['-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=5'];
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('runs a command on an exec channel with public-key auth', async () => {
    const { stdout } = await run('ssh', [...common, '-o', 'BatchMode=yes', '-i', join(dir, 'id'), '-p', String(port), 'admin@127.0.0.1', 'show version'], { timeout: 10_000 });
    expect(stdout).toContain('Cisco IOS XE Software, Version 17.9.4a');
  });

  it('logs an OpenSSH session that ends normally as clean', async () => {
    const since = lab.events.at(-1)?.seq ?? 0;
    await run('ssh', [...common, '-o', 'BatchMode=yes', '-i', join(dir, 'id'), '-p', String(port), 'admin@127.0.0.1', 'show clock'], { timeout: 10_000 });
    const close = await lab.waitForEvent((e) => e.type === 'session.close', 5_000, since);
    expect(close).toMatchObject({ type: 'session.close', device: 'r1', clean: true });
  });

  it('logs in with a password (askpass) and sees NX-OS output', async () => {
    const askpass = join(dir, 'askpass.sh');
    writeFileSync(askpass, `#!/bin/sh\necho '${lab.credentials.password}'\n`, { mode: 0o700 });
    const nx = lab.device('r2');
    const { stdout } = await run(
      'ssh',
      [...common, '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive', '-o', 'NumberOfPasswordPrompts=1', '-p', String(nx.port), 'admin@127.0.0.1', 'show version'],
      { timeout: 10_000, env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' } },
    );
    expect(stdout).toContain('NXOS: version 10.2(5)');
  });

  it('refuses a host whose key is not the pinned one', async () => {
    writeFileSync(join(dir, 'wrong_hosts'), `[127.0.0.1]:${port} ${lab.device('r2').hostKey}\n`);
    const bad = common.map((x) => x.replace(join(dir, 'known_hosts'), join(dir, 'wrong_hosts')));
    await expect(run('ssh', [...bad, '-o', 'BatchMode=yes', '-i', join(dir, 'id'), '-p', String(port), 'admin@127.0.0.1', 'show version'], { timeout: 10_000 })).rejects.toThrow(/HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('drives an interactive shell through ssh -tt: enable, config mode, save', async () => {
    const script = ['enable', lab.credentials.enableSecret, 'terminal length 0', 'configure terminal', 'hostname edge-9', 'end', 'write memory', 'exit', ''].join('\r');
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('ssh', ['-tt', ...common, '-o', 'BatchMode=yes', '-i', join(dir, 'id'), '-p', String(port), 'admin@127.0.0.1']);
      let text = '';
      child.stdout.on('data', (b: Buffer) => (text += b.toString()));
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`ssh did not exit: ${text}`));
      }, 10_000);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
      child.stdin.write(script);
    });
    expect(out).toContain('r1>');
    expect(out).toContain('edge-9(config)#');
    expect(lab.device('r1').startup.hostname).toBe('edge-9');
  });

  it('copies an image into flash with scp -O (legacy SCP protocol)', async () => {
    const file = join(dir, 'cat9k_iosxe.17.12.04.SPA.bin');
    writeFileSync(file, makeLabImage('17.12.04', 123_456));
    await run('scp', ['-O', ...common, '-o', 'BatchMode=yes', '-i', join(dir, 'id'), '-P', String(port), file, 'admin@127.0.0.1:flash:cat9k_iosxe.17.12.04.SPA.bin'], { timeout: 10_000 });
    expect(lab.device('r1').flash.get('cat9k_iosxe.17.12.04.SPA.bin')).toMatchObject({ size: 123_456, image: { intact: true, version: '17.12.04' } });
  });

  it('copies an image with sftp', async () => {
    const file = join(dir, 'frr-9.1.bin');
    writeFileSync(file, makeLabImage('9.1', 70_000));
    writeFileSync(join(dir, 'batch'), `put ${file} /other.bin\nls\n`);
    await run('sftp', [...common, '-o', 'BatchMode=yes', '-i', join(dir, 'id'), '-P', String(port), '-b', join(dir, 'batch'), 'admin@127.0.0.1'], { timeout: 10_000 });
    expect(lab.device('r1').flash.get('other.bin')).toMatchObject({ size: 70_000, image: { intact: true, version: '9.1' } });
  });
});
