import { describe, expect, it } from 'vitest';
import { compareWithRunning, configDiff, formatConfigDiff, inDesiredState } from '../../../src/config';

const IOSXE_RUNNING = `Building configuration...

Current configuration : 812 bytes
!
version 17.9
hostname r1-a
!
interface Loopback0
 description mgmt
 no ip address
!
interface GigabitEthernet1/0/1
 description uplink
 ip address 10.0.1.2 255.255.255.0
 standby 10 ip 10.0.1.1
 standby 10 priority 110
 standby 10 preempt
!
router bgp 65001
 neighbor 10.0.1.3 remote-as 65002
!
end
`;

const NXOS_RUNNING = `version 10.2(5) Bios:version 05.47
hostname n1
feature hsrp

interface Vlan10
  description users
  no shutdown
  ip address 10.0.10.2/24
  hsrp 10
    preempt
    ip 10.0.10.1
`;

const present = (running: string, lines: string[]) => inDesiredState(compareWithRunning(running, lines));

describe('already in the desired state', () => {
  it('every line present in its section, whatever the indentation', () => {
    expect(present(IOSXE_RUNNING, ['interface GigabitEthernet1/0/1', '   description   uplink', ' standby 10 preempt', 'router bgp 65001', ' neighbor 10.0.1.3 remote-as 65002'])).toBe(true);
    expect(present(NXOS_RUNNING, ['interface Vlan10', ' description users', ' hsrp 10', '  ip 10.0.10.1'])).toBe(true);
  });

  it('a line present in another section does not count', () => {
    // "description mgmt" exists, but under Loopback0, not the uplink.
    const states = compareWithRunning(IOSXE_RUNNING, ['interface GigabitEthernet1/0/1', ' description mgmt']);
    expect(states).toEqual([
      { line: 'interface GigabitEthernet1/0/1', depth: 0, present: true },
      { line: 'description mgmt', depth: 1, present: false },
    ]);
  });

  it('a new section makes all its lines missing, negations included', () => {
    const states = compareWithRunning(IOSXE_RUNNING, ['interface Loopback100', ' description new', ' no shutdown']);
    expect(states.map((s) => s.present)).toEqual([false, false, false]);
  });

  it('`no X` holds when the section lacks X (IOS-XE hides defaults) or says `no X` (NX-OS prints it)', () => {
    expect(present(IOSXE_RUNNING, ['interface Loopback0', ' no shutdown'])).toBe(true);
    expect(present(NXOS_RUNNING, ['interface Vlan10', ' no shutdown'])).toBe(true);
    expect(present(IOSXE_RUNNING, ['interface GigabitEthernet1/0/1', ' no standby 10 preempt'])).toBe(false);
  });

  it('noise lines (!, exit, end) in a template are ignored', () => {
    expect(present(IOSXE_RUNNING, ['!', 'interface Loopback0', ' description mgmt', ' exit', '!', 'end'])).toBe(true);
  });

  it('a changed value is missing (no partial matches)', () => {
    expect(present(IOSXE_RUNNING, ['hostname r1-a-new'])).toBe(false);
    expect(present(IOSXE_RUNNING, ['interface Loopback0', ' description mgm'])).toBe(false);
  });
});

describe('diff rendering', () => {
  it('marks additions with + and keeps only the section headers that locate them', () => {
    const diff = configDiff(
      compareWithRunning(IOSXE_RUNNING, ['hostname r1-a', 'interface GigabitEthernet1/0/1', ' description uplink', ' standby 10 preempt delay minimum 30', 'router bgp 65001', ' neighbor 10.0.1.3 remote-as 65002']),
    );
    expect(diff).toEqual({ missing: 1, total: 6, lines: ['  interface GigabitEthernet1/0/1', '+  standby 10 preempt delay minimum 30'], omitted: 0 });
    expect(formatConfigDiff(diff)).toBe('1 of 6 line(s) to add:\n  interface GigabitEthernet1/0/1\n+  standby 10 preempt delay minimum 30');
  });

  it('nothing missing says so', () => {
    const diff = configDiff(compareWithRunning(NXOS_RUNNING, ['feature hsrp', 'hostname n1']));
    expect(diff.lines).toEqual([]);
    expect(formatConfigDiff(diff)).toBe('in the desired state: all 2 line(s) present');
  });

  it('caps a long diff and says how much was left out', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `ip route 10.${i}.0.0 255.255.0.0 Null0`);
    const diff = configDiff(compareWithRunning(IOSXE_RUNNING, lines), 10);
    expect(diff.lines).toHaveLength(10);
    expect(diff.omitted).toBe(20);
    expect(formatConfigDiff(diff).split('\n').at(-1)).toBe('  ... 20 more diff line(s) not shown');
  });
});
