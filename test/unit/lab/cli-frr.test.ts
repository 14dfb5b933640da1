import { describe, expect, it } from 'vitest';
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

  it('replaces the whole configuration from a file (lab extension of configure replace)', async () => {
    const { t, device } = await shell();
    const text = ['frr version 8.4.4', 'hostname f9', '!', 'interface eth1', ' ip address 10.9.9.2/24', ' vrrp 10 version 3', ' vrrp 10 priority 77', ' vrrp 10 ip 10.9.9.1', 'exit', '!', 'end'].join('\n');
    device.flash.put({ name: 'new.conf', size: text.length, md5: 'x', content: Buffer.from(text), mtime: new Date() });
    expect(await t.line('configure replace flash:new.conf force')).toContain('Rollback Done');
    expect(device.hostname).toBe('f9');
    expect(device.priority).toBe(77);
    expect(device.running.bgp).toBeUndefined();
  });
});
