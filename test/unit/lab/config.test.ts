import { describe, expect, it } from 'vitest';
import { applyConfigLine } from '../../../src/lab/config-apply';
import { canonicalInterface, emptyConfig } from '../../../src/lab/config-model';
import { parseConfigText, renderConfigBody } from '../../../src/lab/config-render';
import { initialConfig } from '../../../src/lab/topology';
import type { LabPlatform } from '../../../src/lab/types';

const platforms: LabPlatform[] = ['iosxe', 'nxos', 'frr'];

describe('config model', () => {
  it.each(platforms)('%s: rendering then parsing gives back the same configuration', (p) => {
    const c = initialConfig({ name: 'r7-b', platform: p, site: 's', redundancyGroup: 'g' }, 7, 3, 1, 2);
    // FRR has no boot variable (no image).
    c.boot = p === 'frr' ? [] : [p === 'nxos' ? 'bootflash:nxos64-cs.10.4.3.F.bin' : 'flash:cat9k_iosxe.17.12.04.SPA.bin'];
    c.interfaces[1]!.redundancy!.preemptDelaySec = p === 'frr' ? 0 : 45;
    const text = renderConfigBody(p, c, '1.2.3').join('\n');
    const parsed = parseConfigText(p, text, 'x');
    expect('config' in parsed && parsed.config).toEqual(c);
  });

  it('reports the first line a replace would reject', () => {
    const r = parseConfigText('iosxe', 'hostname a\ninterface Vlan10\n standby 10 priority 300\n', 'x');
    expect(r).toEqual({ error: 'standby 10 priority 300', line: 3 });
  });

  it('expands interface abbreviations', () => {
    expect(canonicalInterface('vl10')).toBe('Vlan10');
    expect(canonicalInterface('gi1/0/1')).toBe('GigabitEthernet1/0/1');
    expect(canonicalInterface('eth1')).toBe('eth1');
    expect(canonicalInterface('Eth1/1')).toBe('Ethernet1/1');
  });

  it('needs feature hsrp on NX-OS before hsrp groups', () => {
    const c = emptyConfig('n', 'nxos');
    const r1 = applyConfigLine('nxos', c, { mode: 'config' }, 'interface Vlan10');
    expect(r1).toEqual({ ok: true, next: { mode: 'if', iface: 'Vlan10' } });
    expect(applyConfigLine('nxos', c, { mode: 'if', iface: 'Vlan10' }, 'hsrp 10').ok).toBe(false);
    applyConfigLine('nxos', c, { mode: 'config' }, 'feature hsrp');
    expect(applyConfigLine('nxos', c, { mode: 'if', iface: 'Vlan10' }, 'hsrp 10')).toEqual({ ok: true, next: { mode: 'if-hsrp', iface: 'Vlan10', group: 10 } });
  });

  it('uses mask notation on IOS-XE and prefix notation elsewhere', () => {
    const c = emptyConfig('r', 'iosxe');
    applyConfigLine('iosxe', c, { mode: 'config' }, 'interface Loopback0');
    expect(applyConfigLine('iosxe', c, { mode: 'if', iface: 'Loopback0' }, 'ip address 10.1.1.1 255.255.255.255').ok).toBe(true);
    expect(c.interfaces[0]!.address).toBe('10.1.1.1/32');
    expect(applyConfigLine('iosxe', c, { mode: 'if', iface: 'Loopback0' }, 'ip address 10.1.1.1/32')).toMatchObject({ ok: false, error: 'invalid' });
    const f = emptyConfig('f', 'frr');
    applyConfigLine('frr', f, { mode: 'config' }, 'interface lo');
    expect(applyConfigLine('frr', f, { mode: 'if', iface: 'lo' }, 'ip address 10.1.1.1/32').ok).toBe(true);
  });

  it('leaves the configuration untouched when a line is rejected', () => {
    const c = initialConfig({ name: 'r', platform: 'iosxe', site: 's', redundancyGroup: 'g' }, 0, 0, 0, 0);
    const before = JSON.stringify(c);
    expect(applyConfigLine('iosxe', c, { mode: 'if', iface: 'Vlan10' }, 'standby 10 preempt delay minimum').ok).toBe(false);
    expect(JSON.stringify(c)).toBe(before);
  });
});
