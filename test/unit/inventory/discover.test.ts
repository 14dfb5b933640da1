import { describe, expect, it } from 'vitest';
import { crossCheck, devicesToAsk, proposeGroups, unanswered, type DeviceFacts, type GroupFact } from '../../../src/inventory/discover';

const hsrp = (group: number, vip: string, state: string, active: string, standby: string, iface = `Vlan${group}`): GroupFact => ({ protocol: 'hsrp', interface: iface, group, virtualIp: vip, state, active, standby });
const vrrp = (group: number, vip: string, state: string): GroupFact => ({ protocol: 'vrrp', interface: 'eth1', group, virtualIp: vip, state });
const dev = (name: string, site: string, addresses: string[], groups: GroupFact[], extra: Partial<DeviceFacts> = {}): DeviceFacts => ({ name, site, addresses, groups, ...extra });

/** An HSRP pair as both members print it: the active names the standby's address, the standby the active's. */
function hsrpPair(a: string, b: string, site: string, group: number, vip: string, aAddr: string, bAddr: string): DeviceFacts[] {
  return [dev(a, site, [aAddr], [hsrp(group, vip, 'Active', 'local', bAddr)]), dev(b, site, [bAddr], [hsrp(group, vip, 'Standby', aAddr, 'local')])];
}
const vpcFact = (domainId: number, role: string, peerAdjacent = true) => ({ domainId, role, operationalRole: role, peerAdjacent });
const names = (facts: DeviceFacts[]) => proposeGroups(facts).map((g) => `${g.name}: ${g.members.join(',')}`);

describe('proposing redundancy groups from what the devices report', () => {
  it('pairs an HSRP active and standby that name each other, with both sides as evidence', () => {
    const [g] = proposeGroups(hsrpPair('r1-a', 'r1-b', 'ams1', 10, '10.0.10.1', '10.0.10.2', '10.0.10.3'));
    expect(g).toEqual({
      name: 'ams1-hsrp-10', kind: 'hsrp', members: ['r1-a', 'r1-b'],
      evidence: [
        { device: 'r1-a', says: 'Vlan10 HSRP group 10 VIP 10.0.10.1 Active, standby 10.0.10.3' },
        { device: 'r1-b', says: 'Vlan10 HSRP group 10 VIP 10.0.10.1 Standby, active 10.0.10.2' },
      ],
    });
  });

  it('keeps two sites that reuse one group number and VIP apart', () => {
    const facts = [...hsrpPair('a1', 'a2', 'ams1', 10, '10.0.10.1', '10.0.10.2', '10.0.10.3'), ...hsrpPair('f1', 'f2', 'fra1', 10, '10.0.10.1', '10.1.10.2', '10.1.10.3')];
    expect(names(facts)).toEqual(['ams1-hsrp-10: a1,a2', 'fra1-hsrp-10: f1,f2']);
  });

  it('keeps two pairs of one site with the same group number and VIP apart by the addresses they name', () => {
    const facts = [...hsrpPair('a1', 'a2', 'ams1', 10, '10.0.10.1', '10.0.10.2', '10.0.10.3'), ...hsrpPair('b1', 'b2', 'ams1', 10, '10.0.10.1', '10.9.10.2', '10.9.10.3')];
    expect(names(facts)).toEqual(['ams1-hsrp-10-a1: a1,a2', 'ams1-hsrp-10-b1: b1,b2']);
  });

  it('does not pair devices that share a group number but not the VIP', () => {
    const facts = [dev('a1', 'ams1', ['10.0.10.2'], [hsrp(10, '10.0.10.1', 'Active', 'local', '10.0.20.3')]), dev('a2', 'ams1', ['10.0.20.3'], [hsrp(10, '10.0.20.1', 'Standby', '10.0.10.2', 'local')])];
    // Each names the other's address, but the groups are not one group: not a pair.
    expect(names(facts)).toEqual([]);
  });

  it('pairs VRRP routers (FRR lists no backups) by group and VIP within a site only', () => {
    const facts = [dev('v1', 'ams1', [], [vrrp(5, '10.5.0.1', 'Master')]), dev('v2', 'ams1', [], [vrrp(5, '10.5.0.1', 'Backup')]), dev('v3', 'fra1', [], [vrrp(5, '10.5.0.1', 'Master')])];
    expect(names(facts)).toEqual(['ams1-vrrp-5: v1,v2']);
  });

  it('pairs vPC peers of one domain in one site when both report the adjacency', () => {
    const facts = [
      dev('n1', 'ams1', [], [], { vpc: vpcFact(10, 'primary') }), dev('n2', 'ams1', [], [], { vpc: vpcFact(10, 'secondary') }),
      dev('n3', 'fra1', [], [], { vpc: vpcFact(10, 'primary') }),
      dev('n4', 'ams1', [], [], { vpc: vpcFact(20, 'primary', false) }), dev('n5', 'ams1', [], [], { vpc: vpcFact(20, 'secondary', false) }),
    ];
    const groups = proposeGroups(facts);
    expect(groups.map((g) => `${g.name}: ${g.members.join(',')}`)).toEqual(['ams1-vpc-10: n1,n2']);
    expect(groups[0]!.evidence).toEqual([
      { device: 'n1', says: 'vPC domain 10 primary, peer adjacency formed ok' },
      { device: 'n2', says: 'vPC domain 10 secondary, peer adjacency formed ok' },
    ]);
  });

  it('joins a vPC pair that also runs HSRP into one group named for the vPC domain, with both kinds of evidence', () => {
    const facts = hsrpPair('n1', 'n2', 'ams1', 30, '10.3.0.1', '10.3.0.2', '10.3.0.3');
    facts[0]!.vpc = vpcFact(7, 'primary');
    facts[1]!.vpc = vpcFact(7, 'secondary');
    const [g, ...rest] = proposeGroups(facts);
    expect(rest).toEqual([]);
    expect(g!.name).toBe('ams1-vpc-7');
    expect(g!.evidence.map((e) => e.says)).toEqual(expect.arrayContaining([expect.stringContaining('HSRP group 30'), expect.stringContaining('vPC domain 7')]));
  });

  it('leaves out devices that could not be asked and those with no partner', () => {
    const facts = [...hsrpPair('r1-a', 'r1-b', 'ams1', 10, '10.0.10.1', '10.0.10.2', '10.0.10.3'), dev('lone', 'ams1', ['10.9.9.9'], []), dev('dead', 'ams1', [], [], { error: 'cannot reach 127.0.0.1:1' })];
    expect(names(facts)).toEqual(['ams1-hsrp-10: r1-a,r1-b']);
  });
});

describe('cross-checking the inventory with the devices', () => {
  const site1 = hsrpPair('r1-a', 'r1-b', 'ams1', 10, '10.0.10.1', '10.0.10.2', '10.0.10.3');
  const site2 = hsrpPair('r2-a', 'r2-b', 'ams1', 20, '10.0.20.1', '10.0.20.2', '10.0.20.3');
  const facts = [...site1, ...site2];

  it('agrees with an inventory that pairs as the network does', () => {
    expect(crossCheck([{ name: 'r1-a', redundancyGroup: 'g1' }, { name: 'r1-b', redundancyGroup: 'g1' }, { name: 'r2-a', redundancyGroup: 'g2' }, { name: 'r2-b', redundancyGroup: 'g2' }], facts)).toEqual([]);
  });

  it('refuses a mis-paired inventory: each real pair split, each declared group sharing nothing', () => {
    const found = crossCheck([{ name: 'r1-a', redundancyGroup: 'x' }, { name: 'r2-b', redundancyGroup: 'x' }, { name: 'r1-b', redundancyGroup: 'y' }, { name: 'r2-a', redundancyGroup: 'y' }], facts);
    expect(found.map((d) => d.message)).toEqual([
      'r1-a and r1-b are HSRP partners, but the inventory says r1-a is in x and r1-b is in y',
      'r2-a and r2-b are HSRP partners, but the inventory says r2-a is in y and r2-b is in x',
      'redundancy group x: r1-a, r2-b share no HSRP/VRRP group or vPC domain with another member',
      'redundancy group y: r1-b, r2-a share no HSRP/VRRP group or vPC domain with another member',
    ]);
    expect(found[0]!.evidence).toEqual([
      { device: 'r1-a', says: 'Vlan10 HSRP group 10 VIP 10.0.10.1 Active, standby 10.0.10.3' },
      { device: 'r1-b', says: 'Vlan10 HSRP group 10 VIP 10.0.10.1 Standby, active 10.0.10.2' },
    ]);
    expect(found[2]!.evidence[0]).toEqual({ device: 'r1-a', says: 'Vlan10 HSRP group 10 VIP 10.0.10.1 Active, standby 10.0.10.3' });
  });

  it('names a partner the inventory leaves out of any group', () => {
    const found = crossCheck([{ name: 'r1-a', redundancyGroup: 'g1' }, { name: 'r1-b' }], site1);
    expect(found.map((d) => d.kind)).toEqual(['partner-outside-group']);
    expect(found[0]!.message).toBe('r1-a and r1-b are HSRP partners, but the inventory says r1-a is in g1 and r1-b is in no redundancy group');
  });

  it('names a member the inventory lacks: an address no device asked has', () => {
    const found = crossCheck([{ name: 'r1-a', redundancyGroup: 'g1' }], [site1[0]!]);
    expect(found.map((d) => d.message)).toEqual(["r1-a's HSRP group 10 names 10.0.10.3 as its standby, and none of the devices asked has that address"]);
  });

  it('names a vPC switch whose adjacent peer is not among the devices', () => {
    const found = crossCheck([{ name: 'n1', redundancyGroup: 'v' }], [dev('n1', 'ams1', [], [], { vpc: vpcFact(10, 'primary') })]);
    expect(found.map((d) => d.kind)).toEqual(['member-missing']);
  });

  it('does not judge a device it could not ask, and lists it with why', () => {
    const facts = [site1[0]!, dev('r1-b', 'ams1', [], [], { error: 'cannot reach 127.0.0.1:1: ECONNREFUSED' })];
    expect(crossCheck([{ name: 'r1-a', redundancyGroup: 'g1' }, { name: 'r1-b', redundancyGroup: 'g1' }], facts).map((d) => d.kind)).toEqual(['member-missing']);
    expect(unanswered(facts)).toEqual([{ device: 'r1-b', error: 'cannot reach 127.0.0.1:1: ECONNREFUSED' }]);
  });

  it('passes once the proposed groups are applied (the overlay makes the check pass)', () => {
    const misPaired = [{ name: 'r1-a', redundancyGroup: 'x' }, { name: 'r2-b', redundancyGroup: 'x' }, { name: 'r1-b', redundancyGroup: 'y' }, { name: 'r2-a', redundancyGroup: 'y' }];
    const overlay = new Map(proposeGroups(facts).flatMap((g) => g.members.map((m) => [m, g.name] as const)));
    expect(crossCheck(misPaired.map((d) => ({ name: d.name, redundancyGroup: overlay.get(d.name) })), facts)).toEqual([]);
  });

  it('asks the selection and every other member of its declared groups', () => {
    const all = [{ name: 'a', redundancyGroup: 'g' }, { name: 'b', redundancyGroup: 'g' }, { name: 'c', redundancyGroup: 'h' }, { name: 'd' }];
    expect(devicesToAsk(all, [all[0]!, all[3]!]).map((d) => d.name)).toEqual(['a', 'd', 'b']);
  });
});
