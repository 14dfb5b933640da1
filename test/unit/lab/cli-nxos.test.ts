import { describe, expect, it } from 'vitest';
import { FakeTerminal, fakeDevice } from './fake-cli';

async function shell() {
  const { device, log } = fakeDevice('nxos');
  const t = new FakeTerminal(device, log);
  await t.session.start();
  await t.line('terminal length 0');
  return { t, device, log };
}

describe('NX-OS CLI', () => {
  it('logs straight in at # after the NX-OS banner', async () => {
    const { device, log } = fakeDevice('nxos');
    const t = new FakeTerminal(device, log);
    await t.session.start();
    expect(t.output).toContain('Cisco Nexus Operating System (NX-OS) Software');
    expect(t.output.endsWith('r1-a# ')).toBe(true);
  });

  it('prints NXOS: version in show version', async () => {
    const { t } = await shell();
    const out = await t.line('show version');
    expect(out).toContain('  NXOS: version 10.2(5)');
    expect(out).toContain('NXOS image file is: bootflash:///nxos64-cs.10.2.5.F.bin');
  });

  it('configures HSRP in the hsrp sub-mode with its own prompt', async () => {
    const { t, device } = await shell();
    await t.line('configure terminal');
    expect((await t.line('interface Vlan10')).endsWith('r1-a(config-if)# ')).toBe(true);
    expect((await t.line('hsrp 10')).endsWith('r1-a(config-if-hsrp)# ')).toBe(true);
    await t.line('priority 95');
    await t.line('preempt delay minimum 60');
    await t.line('end');
    expect(device.redundancyInterface()!.redundancy).toMatchObject({ priority: 95, preempt: true, preemptDelaySec: 60 });
    const run = await t.line('show running-config');
    expect(run).toContain('  hsrp 10\r\n    preempt delay minimum 60\r\n    priority 95');
    const brief = await t.line('show hsrp brief');
    expect(brief).toMatch(/Vlan10\s+10\s+95\s+P Active\s+local/);
  });

  it('says % Invalid command at the caret', async () => {
    const { t } = await shell();
    const out = await t.line('show hsrp bogus');
    expect(out).toContain("% Invalid command at '^' marker.");
    expect(out.split('\r\n')[1]!.indexOf('^')).toBe('r1-a# '.length + 'show hsrp '.length);
    expect(await t.line('show standby brief')).toContain("% Invalid command at '^' marker.");
  });

  it('sets boot nxos, saves with copy running-config startup-config and shows boot variables', async () => {
    const { t, device } = await shell();
    await t.line('conf t');
    await t.line('boot nxos bootflash:nxos64-cs.10.4.3.F.bin');
    await t.line('end');
    expect(await t.line('copy running-config startup-config')).toContain('Copy complete.');
    expect(device.bootVariable).toEqual(['bootflash:nxos64-cs.10.4.3.F.bin']);
    expect(await t.line('show boot')).toContain('NXOS variable = bootflash:/nxos64-cs.10.4.3.F.bin');
  });

  it('lists bootflash with the usage block and gives md5sum of a file', async () => {
    const { t, device } = await shell();
    const out = await t.line('dir bootflash:');
    expect(out).toMatch(/Usage for bootflash:\/\/sup-local\r\n \d+ bytes used\r\n \d+ bytes free\r\n \d+ bytes total/);
    const f = device.flash.list()[0]!;
    expect(await t.line(`show file bootflash:${f.name} md5sum`)).toContain(f.md5);
  });

  it('warns about unsaved config and reloads on y', async () => {
    const { t, device } = await shell();
    await t.line('conf t');
    await t.line('hostname n1');
    await t.line('end');
    const q = await t.line('reload');
    expect(q).toContain('!!!WARNING! there is unsaved configuration!!!');
    expect(q).toContain('This command will reboot the system. (y/n)?  [n] ');
    await t.type('y');
    expect(device.reloadCount).toBe(1);
    expect(device.power).toBe('booting');
    device.stop();
  });

  it('rolls back to a checkpoint', async () => {
    const { t, device } = await shell();
    expect(await t.line('checkpoint before')).toContain('Done');
    await t.line('conf t');
    await t.line('interface Vlan10');
    await t.line('hsrp 10');
    await t.line('priority 42');
    await t.line('end');
    expect(device.priority).toBe(42);
    expect(await t.line('rollback running-config checkpoint before')).toContain('Rollback completed successfully.');
    expect(device.priority).toBe(110);
    expect(await t.line('rollback running-config checkpoint nope')).toContain('does not exist');
  });
});
