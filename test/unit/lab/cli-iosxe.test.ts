import { describe, expect, it } from 'vitest';
import { FakeTerminal, fakeDevice } from './fake-cli';

async function privileged() {
  const { device, log } = fakeDevice('iosxe');
  const t = new FakeTerminal(device, log);
  await t.session.start();
  await t.line('enable');
  await t.line('lab-enable');
  await t.line('terminal length 0');
  return { t, device, log };
}

describe('IOS-XE CLI', () => {
  it('starts at the user prompt after the banner and asks for the enable secret', async () => {
    const { device, log } = fakeDevice('iosxe');
    const t = new FakeTerminal(device, log);
    await t.session.start();
    expect(t.output).toMatch(/authorised access only[\s\S]*\r\nr1-a>$/);
    expect(await t.line('enable')).toBe('enable\r\nPassword: ');
    const out = await t.line('lab-enable');
    expect(out).not.toContain('lab-enable');
    expect(out.endsWith('r1-a#')).toBe(true);
  });

  it('refuses a wrong enable secret three times then says % Bad secrets', async () => {
    const { device, log } = fakeDevice('iosxe');
    const t = new FakeTerminal(device, log);
    await t.session.start();
    await t.line('enable');
    await t.line('x');
    await t.line('y');
    expect(await t.line('z')).toContain('% Bad secrets');
    expect(t.output.endsWith('r1-a>')).toBe(true);
  });

  it('puts the caret under the first bad word, counting the prompt', async () => {
    const { t } = await privileged();
    const out = await t.line('show versoin');
    expect(out).toContain("% Invalid input detected at '^' marker.");
    const caretLine = out.split('\r\n').find((l) => l.trim() === '^')!;
    expect(caretLine.indexOf('^')).toBe('r1-a#'.length + 'show '.length);
  });

  it('rejects privileged commands in user mode', async () => {
    const { device, log } = fakeDevice('iosxe');
    const t = new FakeTerminal(device, log);
    await t.session.start();
    expect(await t.line('show running-config')).toContain('% Invalid input');
  });

  it('accepts abbreviations and prints show version in the real format', async () => {
    const { t } = await privileged();
    const out = await t.line('sh ver');
    expect(out).toContain('Cisco IOS XE Software, Version 17.9.4a');
    expect(out).toContain('System image file is "flash:cat9k_iosxe.17.9.4a.SPA.bin"');
    expect(out).toMatch(/r1-a uptime is \d+ days?/);
  });

  it('pages long output with --More-- until terminal length 0', async () => {
    const { device, log } = fakeDevice('iosxe');
    const t = new FakeTerminal(device, log);
    await t.session.start();
    await t.line('enable');
    await t.line('lab-enable');
    const first = await t.line('show running-config');
    expect(first.endsWith(' --More-- ')).toBe(true);
    const rest = await t.type(' ');
    expect(rest).toContain('end\r\n');
    expect(rest.endsWith('r1-a#')).toBe(true);
    await t.line('terminal length 0');
    expect(await t.line('show running-config')).not.toContain('--More--');
  });

  it('quits the pager on q', async () => {
    const { device, log } = fakeDevice('iosxe');
    const t = new FakeTerminal(device, log);
    await t.session.start();
    await t.line('enable');
    await t.line('lab-enable');
    await t.line('show running-config');
    const rest = await t.type('q');
    expect(rest).not.toContain('end\r\n');
    expect(rest.endsWith('r1-a#')).toBe(true);
  });

  it('walks config modes with the right prompts and changes HSRP priority and preempt delay', async () => {
    const { t, device } = await privileged();
    expect(await t.line('conf t')).toContain('Enter configuration commands, one per line.  End with CNTL/Z.\r\nr1-a(config)#');
    expect((await t.line('interface Vlan10')).endsWith('r1-a(config-if)#')).toBe(true);
    await t.line('standby 10 priority 80');
    await t.line('standby 10 preempt delay minimum 30');
    expect((await t.line('end')).endsWith('r1-a#')).toBe(true);
    const r = device.redundancyInterface()!.redundancy!;
    expect(r).toMatchObject({ priority: 80, preempt: true, preemptDelaySec: 30 });
    expect(t.mutating).toEqual(['config']);
    const run = await t.line('show running-config | include standby');
    expect(run).toContain(' standby 10 priority 80');
    expect(run).toContain(' standby 10 preempt delay minimum 30');
    expect(run).not.toContain('hostname');
  });

  it('rejects a bad config line with a caret and leaves the config as it was', async () => {
    const { t, device } = await privileged();
    await t.line('configure terminal');
    await t.line('interface Vlan10');
    const out = await t.line('standby 10 priority 999');
    expect(out).toContain("% Invalid input detected at '^' marker.");
    expect(out.split('\r\n')[1]!.indexOf('^')).toBe('r1-a(config-if)#'.length + 'standby 10 priority '.length);
    expect(device.priority).toBe(110);
    expect(await t.line('standby 10')).toContain('% Incomplete command.');
  });

  it('falls through from interface mode to global commands like the real parser', async () => {
    const { t, device } = await privileged();
    await t.line('conf t');
    await t.line('int vl10');
    const out = await t.line('boot system flash:cat9k_iosxe.17.12.04.SPA.bin');
    expect(out.endsWith('r1-a(config)#')).toBe(true);
    expect(device.running.boot).toEqual(['flash:cat9k_iosxe.17.12.04.SPA.bin']);
  });

  it('saves with write memory and shows the boot variable for the next reload', async () => {
    const { t, device } = await privileged();
    await t.line('conf t');
    await t.line('boot system flash:cat9k_iosxe.17.12.04.SPA.bin');
    await t.line('end');
    expect(await t.line('show boot')).toMatch(/Boot Variables on next reload:\r\nBOOT variable = \r\n/);
    expect(await t.line('wr mem')).toContain('Building configuration...\r\n[OK]');
    expect(device.configDirty).toBe(false);
    expect(await t.line('show boot')).toContain('BOOT variable = flash:cat9k_iosxe.17.12.04.SPA.bin;');
    expect(await t.line('copy running-config startup-config')).toContain('Destination filename [startup-config]? ');
    expect(await t.line('')).toContain('[OK]');
  });

  it('lists flash with the real trailer and verifies MD5', async () => {
    const { t, device } = await privileged();
    const dir = await t.line('dir flash:');
    expect(dir).toMatch(/Directory of flash:\//);
    expect(dir).toMatch(/\r\n(\d+) bytes total \((\d+) bytes free\)\r\n/);
    const f = device.flash.list()[0]!;
    const v = await t.line(`verify /md5 flash:${f.name}`);
    expect(v).toContain(`verify /md5 (flash:${f.name}) = ${f.md5}`);
    expect(await t.line(`verify /md5 flash:${f.name} ${f.md5}`)).toContain('Verified (flash:');
    expect(await t.line(`verify /md5 flash:${f.name} 0123`)).toContain('%Error verifying flash:');
    expect(await t.line('verify /md5 flash:nope.bin')).toContain('%Error opening flash:nope.bin (No such file or directory)');
  });

  it('asks to save before reload when unsaved, and aborts when not confirmed', async () => {
    const { t, device } = await privileged();
    await t.line('conf t');
    await t.line('hostname r1-x');
    await t.line('end');
    expect(await t.line('reload')).toContain('System configuration has been modified. Save? [yes/no]: ');
    expect(await t.line('maybe')).toContain("% Please answer 'yes' or 'no'.");
    expect(await t.line('no')).toContain('Proceed with reload? [confirm]');
    const out = await t.type('n');
    expect(out.endsWith('r1-x#')).toBe(true);
    expect(device.reloadCount).toBe(0);
  });

  it('replaces the whole config with configure replace', async () => {
    const { t, device } = await privileged();
    const saved = await t.line('copy running-config flash:backup.cfg');
    expect(saved).toMatch(/\d+ bytes copied/);
    await t.line('conf t');
    await t.line('interface Vlan10');
    await t.line('standby 10 priority 50');
    await t.line('end');
    expect(device.priority).toBe(50);
    const out = await t.line('configure replace flash:backup.cfg force');
    expect(out).toContain('Rollback Done');
    expect(device.priority).toBe(110);
    expect(await t.line('configure replace flash:none.cfg force')).toContain('%Error opening');
  });

  it('runs an exec-channel command privileged and ends the channel with a status', async () => {
    const { device, log } = fakeDevice('iosxe');
    const t = new FakeTerminal(device, log, false);
    await t.session.runExec('show ip interface brief');
    expect(t.output).toMatch(/^Interface\s+IP-Address\s+OK\? Method Status\s+Protocol\r\n/);
    expect(t.output).toContain('Vlan10');
    expect(t.ended).toBe(0);
    const bad = new FakeTerminal(device, log, false);
    await bad.session.runExec('show nonsense');
    expect(bad.output).toContain("% Invalid input detected at '^' marker.");
    expect(bad.ended).toBe(1);
  });

  it('logs every command and config change', async () => {
    const { t, log } = await privileged();
    await t.line('conf t');
    await t.line('hostname core-1');
    const types = log.events.map((e) => e.type);
    expect(types).toContain('command');
    expect(log.events.find((e) => e.type === 'config.change')).toMatchObject({ device: 'r1-a', line: 'hostname core-1' });
  });
});
