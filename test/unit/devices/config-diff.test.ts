import { describe, expect, it } from 'vitest';
import { configDiffLines } from '../../../src/devices/platforms/config-diff';

const saved = `Building configuration...

Current configuration:
!
frr version 10.1
frr defaults traditional
hostname r3-a
service integrated-vtysh-config
!
interface eth0
 description uplink to core
 ip address 100.64.0.9/30
exit
!
interface eth1
 ip address 10.0.2.2/24
 vrrp 10 priority 110
 vrrp 10 ip 10.0.2.1
exit
!
router bgp 65100
 neighbor 100.64.0.10 remote-as 65000
 !
 address-family ipv4 unicast
  network 10.0.2.0/24
 exit-address-family
exit
!
end
`;

describe('configDiffLines (FRR rollback)', () => {
  it('is empty when nothing changed, whatever the headers', () => {
    expect(configDiffLines(saved.replace('frr version 10.1', 'frr version 10.2'), saved)).toEqual([]);
  });

  it('removes an added shutdown inside the interface', () => {
    const running = saved.replace(' ip address 100.64.0.9/30\n', ' ip address 100.64.0.9/30\n shutdown\n');
    expect(configDiffLines(running, saved)).toEqual(['interface eth0', ' no shutdown', 'exit']);
  });

  it('puts a changed priority back (remove the new value, then set the old)', () => {
    const running = saved.replace('vrrp 10 priority 110', 'vrrp 10 priority 50');
    expect(configDiffLines(running, saved)).toEqual(['interface eth1', ' no vrrp 10 priority 50', ' vrrp 10 priority 110', 'exit']);
  });

  it('re-adds a deleted section and takes back an added one', () => {
    const running = saved.replace(/interface eth0\n[\s\S]*?exit\n/, '') + 'interface lo\n ip address 10.255.0.1/32\nexit\nroute-map PUSHED permit 10\n set metric 5\nexit\n';
    expect(configDiffLines(running, saved)).toEqual(['interface lo', ' no ip address 10.255.0.1/32', 'exit', 'no route-map PUSHED permit 10', 'interface eth0', ' description uplink to core', ' ip address 100.64.0.9/30', 'exit']);
  });

  it('walks nested address families', () => {
    const running = saved.replace('  network 10.0.2.0/24\n', '  network 10.0.2.0/24\n  network 192.0.2.0/24\n');
    expect(configDiffLines(running, saved)).toEqual(['router bgp 65100', ' address-family ipv4 unicast', '  no network 192.0.2.0/24', ' exit', 'exit']);
  });

  it('single-valued settings are replaced, not removed first', () => {
    const running = saved.replace('hostname r3-a', 'hostname temp').replace('description uplink to core', 'description temp');
    expect(configDiffLines(running, saved)).toEqual(['hostname r3-a', 'interface eth0', ' description uplink to core', 'exit']);
  });

  it('an added single-valued setting is removed by its keyword alone (FRR refuses `no description <text>`)', () => {
    const running = saved.replace(' ip address 10.0.2.2/24\n', ' description added by a push\n ip address 10.0.2.2/24\n');
    expect(configDiffLines(running, saved)).toEqual(['interface eth1', ' no description', 'exit']);
  });

  it('an interface section a push created is emptied, not deleted (FRR refuses `no interface` for a kernel interface)', () => {
    const running = saved.replace('router bgp 65100', 'interface lo\n description added by a push\n ip address 10.255.0.1/32\nexit\n!\nrouter bgp 65100');
    expect(configDiffLines(running, saved)).toEqual(['interface lo', ' no description', ' no ip address 10.255.0.1/32', 'exit']);
  });

  it('an interface section left empty counts as no section (FRR keeps printing it, and cannot delete it)', () => {
    const withEmpty = saved.replace('router bgp 65100', 'interface lo\nexit\n!\nrouter bgp 65100');
    expect(configDiffLines(withEmpty, saved)).toEqual([]);
    expect(configDiffLines(saved, withEmpty)).toEqual([]);
  });

  it('a `no X` line only in running is undone by `X`', () => {
    const running = saved.replace(' description uplink to core\n', ' description uplink to core\n no link-detect\n');
    expect(configDiffLines(running, saved)).toEqual(['interface eth0', ' link-detect', 'exit']);
  });
});
