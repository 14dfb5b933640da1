import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, makeLabImage, startLab, verifyEventLog } from '../../../src/lab';
import { connect, exec, refused, scpPush, sftpPut, sleep } from './ssh-helpers';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const IMG = 'cat9k_iosxe.17.12.04.SPA.bin';

describe('image staging', () => {
  it('receives an image over SCP, stores it with its MD5 and shows it in dir and verify', async () => {
    lab = await startLab({ devices: 1, fast: true });
    const d = lab.device('r1');
    const c = await connect(lab, d);
    const img = makeLabImage('17.12.04', 300_000);
    const free = d.flash.freeBytes;
    expect(await scpPush(c, `flash:${IMG}`, IMG, img)).toEqual({ ok: true, message: '' });
    const f = d.flash.get(IMG)!;
    expect(f).toMatchObject({ size: 300_000, image: { version: '17.12.04', intact: true } });
    expect(d.flash.freeBytes).toBe(free - 300_000);
    expect((await exec(c, `verify /md5 flash:${IMG}`)).out).toContain(`verify /md5 (flash:${IMG}) = ${f.md5}`);
    expect((await exec(c, 'dir flash:')).out).toMatch(new RegExp(`300000 .* ${IMG.replace(/\./g, '\\.')}`));
    expect(lab.events.find((e) => e.type === 'transfer')).toMatchObject({ protocol: 'scp', file: IMG, bytes: 300_000, ok: true, intact: true });
    expect(lab.events.find((e) => e.type === 'session.mutating')).toMatchObject({ reason: 'transfer' });
    c.end();
  });

  it('takes the file name from the C line when the target is a directory', async () => {
    lab = await startLab({ devices: 1, fast: true });
    const c = await connect(lab, lab.device('r1'));
    expect((await scpPush(c, 'flash:', 'notes.txt', Buffer.from('hello'))).ok).toBe(true);
    expect(lab.device('r1').flash.get('notes.txt')?.size).toBe(5);
    c.end();
  });

  it('refuses an image that does not fit with not enough space', async () => {
    lab = await startLab({ topology: { sites: ['s'], devices: [{ name: 'small', platform: 'iosxe', site: 's', flashBytes: 3_000_000 }] }, fast: true });
    const d = lab.device('small');
    const c = await connect(lab, d);
    const r = await scpPush(c, `flash:${IMG}`, IMG, makeLabImage('17.12.04', d.flash.freeBytes + 1));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/not enough space on flash/);
    expect(d.flash.get(IMG)).toBeUndefined();
    await expect(sftpPut(c, `/${IMG}`, makeLabImage('17.12.04', d.flash.freeBytes + 1))).rejects.toThrow(/not enough space/);
    expect(d.flash.get(IMG)).toBeUndefined();
    c.end();
  });

  it('receives an image over SFTP', async () => {
    lab = await startLab({ devices: 2, platform: 'nxos', fast: true });
    const d = lab.device('r1');
    const c = await connect(lab, d);
    const img = makeLabImage('10.4.3', 200_000);
    await sftpPut(c, 'bootflash:nxos64-cs.10.4.3.F.bin', img);
    expect(d.flash.get('nxos64-cs.10.4.3.F.bin')).toMatchObject({ size: 200_000, image: { version: '10.4.3', intact: true } });
    expect((await exec(c, 'show file bootflash:nxos64-cs.10.4.3.F.bin md5sum')).out.trim()).toBe(d.flash.get('nxos64-cs.10.4.3.F.bin')!.md5);
    c.end();
  });

  it('corrupts the received bytes under the corrupt-transfer fault', async () => {
    lab = await startLab({ devices: 1, fast: true });
    lab.setFault('r1', { kind: 'corrupt-transfer' });
    const c = await connect(lab, lab.device('r1'));
    const img = makeLabImage('17.12.04', 50_000);
    expect((await scpPush(c, `flash:${IMG}`, IMG, img)).ok).toBe(true);
    const f = lab.device('r1').flash.get(IMG)!;
    expect(f.image?.intact).toBe(false);
    const { createHash } = await import('node:crypto');
    expect(f.md5).not.toBe(createHash('md5').update(img).digest('hex'));
    c.end();
  });

  it('drops the connection mid-transfer under drop-mid-transfer and keeps no partial file', async () => {
    lab = await startLab({ devices: 1, fast: true });
    lab.setFault('r1', { kind: 'drop-mid-transfer', afterBytes: 10_000 });
    const c = await connect(lab, lab.device('r1'));
    c.on('error', () => undefined);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    const r = await scpPush(c, `flash:${IMG}`, IMG, makeLabImage('17.12.04', 100_000));
    expect(r.ok).toBe(false);
    await closed;
    expect(lab.device('r1').flash.get(IMG)).toBeUndefined();
    expect(lab.events.find((e) => e.type === 'transfer')).toMatchObject({ ok: false });
  });
});

async function setBootAndReload(lab: Lab, name: string, boot: string): Promise<void> {
  const c = await connect(lab, lab.device(name));
  const cmds = lab.device(name).platform === 'nxos' ? [`boot nxos ${boot}`] : [`boot system ${boot}`];
  const { Shell } = await import('./ssh-helpers');
  const sh = await Shell.open(c);
  const platform = lab.device(name).platform;
  if (platform === 'iosxe') {
    await sh.expect(/>$/);
    await sh.cmd('enable', /Password: $/);
    await sh.cmd(lab.credentials.enableSecret, /#$/);
  } else await sh.expect(/# ?$/);
  await sh.cmd('configure terminal', /\(config\)# ?$/);
  for (const l of cmds) await sh.cmd(l, /\(config\)# ?$/);
  await sh.cmd('end', /# ?$/);
  if (platform === 'nxos') {
    await sh.cmd('copy running-config startup-config', /# ?$/);
    await sh.cmd('reload', /\[n\] $/);
    sh.send('y');
  } else {
    await sh.cmd('write memory', /# ?$/);
    await sh.cmd('reload', /\[confirm\]$/);
    sh.send('\r');
  }
  await sh.waitClosed();
  c.end();
}

describe('reload', () => {
  it('boots the staged image named by the boot variable, refusing connections meanwhile, and fails over', async () => {
    lab = await startLab({ devices: 2, pairs: true, fast: true });
    const a = lab.device('r1-a');
    lab.addImage('r1-a', IMG, makeLabImage('17.12.04', 10_000));
    await setBootAndReload(lab, 'r1-a', `flash:${IMG}`);
    expect(a.power).toBe('booting');
    expect(await refused(a.port)).toBe(true);
    await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'r1-b' && e.to === 'active', 2000);
    await lab.waitForEvent((e) => e.type === 'device.up' && e.device === 'r1-a', 2000);
    expect(a.version).toBe('17.12.04');
    expect(a.runningImage).toBe(`flash:${IMG}`);
    expect(a.reloadCount).toBe(1);
    const c = await connect(lab, a);
    expect((await exec(c, 'show version')).out).toContain('Cisco IOS XE Software, Version 17.12.04');
    c.end();
    await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'r1-a' && e.to === 'active', 2000);
    expect(verifyEventLog(lab.events, { maxReloadsPerDevice: 1 }).ok).toBe(true);
  });

  it('falls back to the old image when the boot image is missing', async () => {
    lab = await startLab({ devices: 1, platform: 'nxos', fast: true });
    await setBootAndReload(lab, 'r1', 'bootflash:nxos64-cs.10.4.3.F.bin');
    await lab.waitForEvent((e) => e.type === 'device.up', 2000);
    expect(lab.device('r1').version).toBe('10.2.5');
  });

  it('stays down with a corrupt boot image', async () => {
    lab = await startLab({ devices: 1, fast: true });
    const bad = makeLabImage('17.12.04', 10_000);
    bad[9000] = bad[9000]! ^ 0xff;
    lab.addImage('r1', IMG, bad);
    await setBootAndReload(lab, 'r1', `flash:${IMG}`);
    const e = await lab.waitForEvent((x) => x.type === 'device.down', 2000);
    expect(e).toMatchObject({ reason: expect.stringContaining('corrupt') });
    await sleep(50);
    expect(lab.device('r1').power).toBe('down');
    expect(await refused(lab.device('r1').port)).toBe(true);
  });

  it('never returns under reload-never-returns', async () => {
    lab = await startLab({ devices: 2, pairs: true, platform: 'iosxe', fast: true });
    lab.setFault('r1-a', { kind: 'reload-never-returns' });
    await setBootAndReload(lab, 'r1-a', 'flash:none.bin');
    await lab.waitForEvent((x) => x.type === 'device.down' && x.device === 'r1-a', 2000);
    await lab.waitForEvent((x) => x.type === 'redundancy' && x.device === 'r1-b' && x.to === 'active', 2000);
    expect(await refused(lab.device('r1-a').port)).toBe(true);
  });

  it('reload over an exec channel answers the prompts from stdin', async () => {
    lab = await startLab({ devices: 1, fast: true });
    const c = await connect(lab, lab.device('r1'));
    c.on('error', () => undefined);
    const r = await exec(c, 'reload', '\r');
    expect(r.out).toContain('Proceed with reload? [confirm]');
    expect(lab.device('r1').reloadCount).toBe(1);
    await lab.waitForEvent((x) => x.type === 'device.up', 2000);
  });
});
