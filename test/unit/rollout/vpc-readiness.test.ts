import { describe, expect, it } from 'vitest';
import { parseVpc, type VpcState } from '../../../src/devices/platforms';
import { describeVpcRole, vpcConvergedProblems, vpcGoesFirst, vpcPreCheckProblems } from '../../../src/activities/vpc-readiness';
import { fixture } from '../devices/fixtures';

/** Real NX-OS `show vpc` captures (origins in test/fixtures/outputs/ORIGIN.md). */
const real = (file: string): VpcState => parseVpc(fixture(`nxos/show-vpc/${file}`));
const withVpc = (st: VpcState, id: number, change: Partial<VpcState['vpcs'][number]> | 'remove'): VpcState => ({
  ...st,
  vpcs: change === 'remove' ? st.vpcs.filter((v) => v.id !== id) : st.vpcs.map((v) => (v.id === id ? { ...v, ...change } : v)),
});

describe('vPC pre-check on real captures', () => {
  it('lets a healthy primary leave when its partner has every vPC up', () => {
    const healthy = real('08-genie-7.txt');
    expect(vpcPreCheckProblems('n9k-a', healthy, 'n9k-b', healthy)).toEqual([]);
  });

  it('refuses when the partner that stays reports a type-1 inconsistency, naming it and its line', () => {
    const problems = vpcPreCheckProblems('n9k-a', real('03-genie-2.txt'), 'n9k-b', real('04-genie-3.txt'));
    expect(problems.join('\n')).toContain("n9k-b: show vpc: 'Configuration consistency status : failed (vPC type-1 configuration incompatible - STP interface port type inconsistent)'");
    expect(problems.join('\n')).toContain('vPC 20 is inconsistent on the peer that stays');
    expect(problems.some((p) => p.startsWith('n9k-a'))).toBe(false);
  });

  it('refuses the inconsistent switch itself too (the type-1 failure is the pair\'s, whichever leaves)', () => {
    const problems = vpcPreCheckProblems('n9k-b', real('04-genie-3.txt'), 'n9k-a', real('03-genie-2.txt'));
    expect(problems[0]).toMatch(/^n9k-b: show vpc: 'Configuration consistency status : failed/);
  });

  it('refuses a pair whose peer-link is down, quoting the peer status and the link', () => {
    const down = real('06-genie-5.txt');
    const problems = vpcPreCheckProblems('n9k-a', down, 'n9k-b', down).join('\n');
    expect(problems).toContain("n9k-a: show vpc: 'Peer status : peer link is down' (the peers are not adjacent)");
    expect(problems).toContain("'1 Po100 down' (the peer-link is down)");
    expect(problems).toContain("'vPC keep-alive status : peer is alive, but domain IDs do not match'");
    expect(problems).toContain('vPC 1 is down on the peer that stays');
  });

  it('refuses a switch whose peer-link is down and role not established (ntc capture)', () => {
    const problems = vpcPreCheckProblems('n9k-a', real('01-ntc-vpc.txt'), 'n9k-b', real('01-ntc-vpc.txt'));
    expect(problems.join('\n')).toContain("'1 Po12 down'");
    expect(problems.join('\n')).not.toContain('Po13 up');
  });

  it('refuses two switches of different domains as one pair', () => {
    const problems = vpcPreCheckProblems('n9k-a', real('02-genie-1.txt'), 'n9k-b', real('03-genie-2.txt'));
    expect(problems).toEqual(["n9k-b: show vpc: 'vPC domain id : 10' (n9k-a is in vPC domain 1: they are not one pair)"]);
  });

  it('refuses when one vPC is down on the partner, naming the vPC and its row', () => {
    const healthy = real('08-genie-7.txt');
    const problems = vpcPreCheckProblems('n9k-a', healthy, 'n9k-b', withVpc(healthy, 103, { up: false }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^n9k-b: show vpc: '103 Po103 down success success' \(vPC 103 is down on the peer that stays/);
  });

  it('refuses a vPC up here that the partner does not carry (its hosts are single-homed on this switch)', () => {
    const healthy = real('08-genie-7.txt');
    const problems = vpcPreCheckProblems('n9k-a', healthy, 'n9k-b', withVpc(healthy, 102, 'remove'));
    expect(problems).toEqual(["n9k-a: show vpc: '102 Po102 up success success' (vPC 102 is not configured on n9k-b: its hosts hang on n9k-a alone)"]);
  });

  it('refuses a switch with vPC not configured as a partner (genie capture without a domain)', () => {
    const problems = vpcPreCheckProblems('n9k-a', real('03-genie-2.txt'), 'n9k-b', real('07-genie-6.txt'));
    expect(problems.join('\n')).toContain("n9k-b: show vpc: 'vPC domain id : Not configured'");
  });
});

describe('vPC re-formed after the reload', () => {
  const healthy = real('08-genie-7.txt');
  it('is converged when both peers are adjacent with every vPC that was up, up on both', () => {
    expect(vpcConvergedProblems('n9k-a', healthy, 'n9k-b', healthy, [102, 103])).toEqual([]);
  });
  it('holds the partner while a vPC is still down on the reloaded switch', () => {
    expect(vpcConvergedProblems('n9k-a', withVpc(healthy, 102, { up: false }), 'n9k-b', healthy, [102, 103])).toEqual([
      "n9k-a: show vpc: '102 Po102 down success success' (vPC 102 is not up again)",
    ]);
  });
  it('holds the partner while a vPC that was up is missing from either switch', () => {
    expect(vpcConvergedProblems('n9k-a', healthy, 'n9k-b', withVpc(healthy, 103, 'remove'), [102, 103])).toEqual(['n9k-b: show vpc: vPC 103 is missing (it was up before the reload)']);
  });
  it('holds the partner while the peer adjacency has not re-formed', () => {
    const problems = vpcConvergedProblems('n9k-a', real('06-genie-5.txt'), 'n9k-b', healthy, []);
    expect(problems.join('\n')).toContain("n9k-a: show vpc: 'Peer status : peer link is down'");
  });
  it('does not wait for vPCs that were down before the reload', () => {
    expect(vpcConvergedProblems('n9k-a', withVpc(healthy, 103, { up: false }), 'n9k-b', healthy, [102])).toEqual([]);
  });
});

describe('order within a vPC pair (Cisco: the vPC primary first)', () => {
  it('sends the configured primary first, also when it runs as operational secondary', () => {
    expect(vpcGoesFirst(real('03-genie-2.txt'))).toBe(true);
    expect(vpcGoesFirst({ ...real('03-genie-2.txt'), operationalRole: 'secondary' })).toBe(true);
    expect(describeVpcRole({ ...real('03-genie-2.txt'), operationalRole: 'secondary' })).toBe('vPC domain 10 primary, operational secondary');
  });
  it('holds the configured secondary back, also when it runs as operational primary', () => {
    expect(vpcGoesFirst(real('04-genie-3.txt'))).toBe(false);
    expect(vpcGoesFirst({ ...real('04-genie-3.txt'), operationalRole: 'primary' })).toBe(false);
  });
});
