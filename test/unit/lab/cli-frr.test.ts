import { describe, expect, it } from 'vitest';
import { parseInterfaces, parseRedundancy } from '../../../src/devices/platforms';
import { FakeTerminal, fakeDevice } from './fake-cli';

async function shell() {
  const { device, log } = fakeDevice('frr');
  const t = new FakeTerminal(device, log);
  await t.session.start();
  return { t, device, log };
}

describe('FRR (vtysh) CLI', () => {
  it('greets like vtysh and prompts with #', async () => {
    const { t } = await shell();
    expect(t.output).toContain('Hello, this is FRRouting (version 8.4.4).');
    expect(t.output.endsWith('r1-a# ')).toBe(true);
  });

  it('prints FRRouting ... on Linux in show version', async () => {
    const { t } = await shell();
    expect(await t.line('show version')).toContain('FRRouting 8.4.4 (r1-a) on Linux');
  });

  it('says % Unknown command for unknown commands and bad config lines', async () => {
    const { t } = await shell();
    expect(await t.line('show nonsense')).toContain('% Unknown command: show nonsense');
    await t.line('configure terminal');
    await t.line('interface eth1');
    expect(await t.line('vrrp 10 bogus')).toContain('% Unknown command: vrrp 10 bogus');
  });

  it('configures VRRP priority and preempt and shows them in show vrrp', async () => {
    const { t, device } = await shell();
    expect((await t.line('configure terminal')).endsWith('r1-a(config)# ')).toBe(true);
    expect((await t.line('interface eth1')).endsWith('r1-a(config-if)# ')).toBe(true);
    await t.line('vrrp 10 priority 90');
    await t.line('no vrrp 10 preempt');
    await t.line('end');
    expect(device.redundancyInterface()!.redundancy).toMatchObject({ priority: 90, preempt: false });
    const out = await t.line('show vrrp');
    expect(out).toMatch(/Priority\s+90/);
    expect(out).toMatch(/Preempt Mode\s+No/);
    expect(out).toMatch(/Status \(v4\)\s+Master/);
    expect(await t.line('show running-config')).toContain(' no vrrp 10 preempt');
  });

  it('does not page and saves with write memory', async () => {
    const { t, device } = await shell();
    await t.line('configure terminal');
    await t.line('hostname f1');
    await t.line('end');
    expect(await t.line('show running-config')).not.toContain('--More--');
    expect(await t.line('write memory')).toContain('Integrated configuration saved to /etc/frr/frr.conf');
    expect(device.configDirty).toBe(false);
  });

  it('shows the BGP summary in FRR format', async () => {
    const { t } = await shell();
    const out = await t.line('show ip bgp summary');
    expect(out).toContain('IPv4 Unicast Summary (VRF default):');
    expect(out).toMatch(/100\.64\.0\.2\s+4\s+65000/);
  });

  it('has none of the image or replace commands real vtysh lacks (each `% Unknown command`)', async () => {
    const { t } = await shell();
    for (const c of ['configure replace flash:new.conf force', 'dir flash:', 'verify /md5 flash:frr-9.1.bin', 'reload', 'show boot']) {
      expect(await t.line(c)).toContain('% Unknown command');
    }
  });

  it('prints its running configuration as FRR 8.4 does: defaults hidden, no boot lines', async () => {
    const { t } = await shell();
    const running = await t.line('show running-config');
    expect(running).toMatch(/^ vrrp \d+\r?$/m);
    expect(running).not.toMatch(/vrrp \d+ version 3|vrrp \d+ priority 100\b|boot system/);
    expect(await t.line('show startup-config')).not.toMatch(/interface|hostname/);
  });

  it('speaks show vrrp and show interface json in the shapes real FRR prints (our parsers read them)', async () => {
    const { t, device } = await shell();
    // What a session hands the parser: the answer without the echoed command.
    const answer = async (c: string) => (await t.line(c)).split('\n').slice(1).join('\n');
    const [group] = parseRedundancy('frr', await answer('show vrrp'));
    expect(group).toMatchObject({ interface: 'eth1', priority: device.priority, virtualIp: expect.stringMatching(/^\d+\./) });
    const macvlan = parseInterfaces('frr', await answer('show interface json')).find((i) => i.interface.startsWith('vrrp4-'));
    // vrrpd holds a non-master's macvlan protodown.
    expect(macvlan?.up).toBe(group!.state === 'Master');
  });

  it("refuses another AS in FRR's words", async () => {
    const { t, device } = await shell();
    await t.line('configure terminal');
    if (!device.running.bgp) await t.line('router bgp 64512');
    const asn = device.running.bgp!.asn;
    expect(await t.line(`router bgp ${asn + 1}`)).toContain(`BGP is already running; AS is ${asn}`);
  });

  it('takes BGP graceful shutdown (graceful isolation) and shows it in the running config until removed', async () => {
    const { t, device } = await shell();
    const asn = device.running.bgp!.asn;
    await t.line('configure terminal');
    await t.line(`router bgp ${asn}`);
    expect(await t.line('bgp graceful-shutdown')).not.toContain('% Unknown command');
    await t.line('end');
    const conf = await t.line('show running-config');
    expect(conf).toMatch(new RegExp(`router bgp ${asn}\\r\\n bgp router-id \\S+\\r\\n bgp graceful-shutdown\\r\\n neighbor `));
    await t.line('configure terminal');
    await t.line(`router bgp ${asn}`);
    await t.line('no bgp graceful-shutdown');
    await t.line('end');
    expect(await t.line('show running-config')).not.toContain('graceful-shutdown');
  });
});
