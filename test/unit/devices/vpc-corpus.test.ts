import { describe, expect, it } from 'vitest';
import { parseVpc, type VpcState } from '../../../src/devices/platforms';
import { problemOf, quoted, runCorpus } from './corpus-cases';
import { fixture, VARIANTS } from './fixtures';

/**
 * NX-OS `show vpc` captured from real switches, read by hand: what decides
 * whether a peer may reload (adjacency, keepalive, consistency, roles) and
 * every peer-link and vPC row with its VLANs as the device wrapped them.
 */

const healthy = { peerStatus: 'peer adjacency formed ok', peerAdjacent: true, keepaliveStatus: 'peer is alive', keepaliveAlive: true };

runCorpus<VpcState>('nxos', 'show-vpc', [
  // Peer-link down, keepalive suspended, no role: nothing here may be reloaded as a pair member.
  ['01-ntc-vpc.txt', {
    domainId: 100, role: 'none', operationalRole: 'none',
    peerStatus: 'peer link is down', peerAdjacent: false,
    keepaliveStatus: 'Suspended (Destination IP not reachable)', keepaliveAlive: false,
    consistency: 'failed', consistencyReason: 'Consistency Check Not Performed', perVlanConsistency: 'success',
    configuredVpcs: 0,
    peerLinks: [{ id: 1, port: 'Po12', up: false, activeVlans: '-' }, { id: 2, port: 'Po13', up: true, activeVlans: '10' }],
    vpcs: [],
  }],
  // Both VLAN lists wrap mid-range (`200-` / `202`): the halves are joined.
  ['02-genie-1.txt', {
    domainId: 1, role: 'primary', operationalRole: 'primary', ...healthy,
    consistency: 'success', perVlanConsistency: 'success', type2Consistency: 'success',
    configuredVpcs: 1,
    peerLinks: [{ id: 1, port: 'Po101', up: true, activeVlans: '1,100-102,200-202,300-350' }],
    vpcs: [{ id: 1, port: 'Po1', up: true, consistency: 'success', reason: 'success', activeVlans: '1,100-102,200-202' }],
  }],
  // Columns collapsed to single spaces, `Number of vPC configured` (older wording).
  ['03-genie-2.txt', {
    domainId: 10, role: 'primary', operationalRole: 'primary', ...healthy, consistency: 'success', configuredVpcs: 1,
    peerLinks: [{ id: 1, port: 'Po10', up: true, activeVlans: '1-100' }],
    vpcs: [{ id: 20, port: 'Po20', up: true, consistency: 'success', reason: 'success', activeVlans: '1-100' }],
  }],
  // A type-1 inconsistency: the vPC's reason runs over three more lines, after its `-` VLAN column.
  ['04-genie-3.txt', {
    domainId: 10, role: 'secondary', operationalRole: 'secondary', ...healthy,
    consistency: 'failed', consistencyReason: 'vPC type-1 configuration incompatible - STP interface port type inconsistent',
    configuredVpcs: 1,
    peerLinks: [{ id: 1, port: 'Po10', up: true, activeVlans: '1-100' }],
    vpcs: [{ id: 20, port: 'Po20', up: true, consistency: 'failed', reason: 'vPC type-1 configuration incompatible - STP interface port type inconsistent', activeVlans: '-' }],
  }],
  // The switch counts three vPCs and the capture lists none: refused, not read as "no vPCs".
  ['05-genie-4.txt', { problem: 'Number of vPC configured : 3' }],
  // Keepalive answers but for another domain: alive is not healthy.
  ['06-genie-5.txt', {
    domainId: 100, role: 'primary', operationalRole: 'primary',
    peerStatus: 'peer link is down', peerAdjacent: false,
    keepaliveStatus: 'peer is alive, but domain IDs do not match', keepaliveAlive: false,
    consistency: 'success', perVlanConsistency: 'success', type2Consistency: 'success',
    configuredVpcs: 1,
    peerLinks: [{ id: 1, port: 'Po100', up: false, activeVlans: '-' }],
    vpcs: [{ id: 1, port: 'Po1', up: false, consistency: 'success', reason: 'success', activeVlans: '-' }],
  }],
  // vPC not configured at all: no domain id, no tables.
  ['07-genie-6.txt', {
    role: 'none', operationalRole: 'none',
    peerStatus: 'peer link not configured', peerAdjacent: false, keepaliveStatus: 'Disabled', keepaliveAlive: false,
    consistency: 'failed', consistencyReason: 'vPC peer-link does not exist', perVlanConsistency: 'failed', type2Consistency: 'failed',
    configuredVpcs: 0, peerLinks: [], vpcs: [],
  }],
  // Long VLAN lists wrapped over four and five lines; the device cut the last one short (`141-...,`).
  ['08-genie-7.txt', {
    domainId: 200, role: 'primary', operationalRole: 'primary', ...healthy,
    consistency: 'success', perVlanConsistency: 'success', type2Consistency: 'success',
    configuredVpcs: 2,
    peerLinks: [{
      id: 1, port: 'Po101', up: true,
      activeVlans: '1-5,10-15,21-25,31-35,41-45,51-55,61-65,71-75,81-85,91-95,101-105,111-115,121-125,131-135,141-145,151-155,161-165,171-175,181-185,191-195,201-205,501,1006-1010,1016-1020',
    }],
    vpcs: [
      { id: 102, port: 'Po102', up: true, consistency: 'success', reason: 'success', activeVlans: '10' },
      { id: 103, port: 'Po103', up: true, consistency: 'success', reason: 'success', activeVlans: '2-5,11-15,21-25,31-35,41-45,51-55,61-65,71-75,81-85,91-95,101-105,111-115,121-125,131-135,141-...,' },
    ],
  }],
], parseVpc);

describe('show vpc as a session hands it over', () => {
  for (const [name, variant] of Object.entries(VARIANTS)) {
    it(`reads the same state (${name})`, () => {
      const raw = fixture('nxos/show-vpc/08-genie-7.txt');
      expect(parseVpc(variant(raw, 'show vpc'))).toEqual(parseVpc(raw));
    });
  }
});

/** A healthy two-vPC domain in the padded layout of recent releases; each case below breaks one thing. */
const GOOD = `vPC domain id                     : 5
Peer status                       : peer adjacency formed ok
vPC keep-alive status             : peer is alive
Configuration consistency status  : success
vPC role                          : secondary, operational primary
Number of vPCs configured         : 2

vPC Peer-link status
---------------------------------------------------------------------
id    Port   Status Active vlans
--    ----   ------ -------------------------------------------------
1     Po1    up     10-20

vPC status
----------------------------------------------------------------------------
Id    Port          Status Consistency Reason                Active vlans
--    ------------  ------ ----------- ------                ---------------
11    Po11          up     success     success               10
12    Po12          down*  failed      Consistency Check Not -
                                       Performed
`;

describe('show vpc: roles, swapped roles and refusals', () => {
  it('reads a swapped role as configured secondary, operational primary', () => {
    const s = parseVpc(GOOD);
    expect([s.role, s.operationalRole]).toEqual(['secondary', 'primary']);
    expect(s.vpcs.map((v) => `${v.port} ${v.up ? 'up' : 'down'} ${v.consistency} ${v.reason}`)).toEqual([
      'Po11 up success success',
      'Po12 down failed Consistency Check Not Performed',
    ]);
  });

  const broken: [what: string, from: string, to: string, quoted: string][] = [
    ['an unknown role', 'secondary, operational primary', 'tertiary', 'vPC role                          : tertiary'],
    ['a consistency that is neither success nor failed', 'Configuration consistency status  : success', 'Configuration consistency status  : pending', 'Configuration consistency status  : pending'],
    ['a vPC status that is neither up nor down', '11    Po11          up ', '11    Po11          flap ', '11    Po11          flap'],
    ['a vPC consistency word it does not know', 'up     success     success               10', 'up     unknown     success               10', 'Po11          up     unknown'],
    ['a vPC row cut before its VLANs', '11    Po11          up     success     success               10', '11    Po11          up     success', '11    Po11          up     success'],
    ['a peer-link row with words for VLANs', '1     Po1    up     10-20', '1     Po1    up     all vlans', '1     Po1    up     all vlans'],
    ['a continuation under a vPC that is consistent', '11    Po11          up     success     success               10\n', '11    Po11          up     success     success               10\n              stray words\n', 'stray words'],
    ['fewer vPC rows than the device counts', 'Number of vPCs configured         : 2', 'Number of vPCs configured         : 3', 'Number of vPCs configured         : 3'],
    ['a line between the settings that is not key : value', 'vPC role', 'garbage line\nvPC role', 'garbage line'],
    ['a section it does not know', 'vPC status\n', 'vPC orphan status\n', 'vPC orphan status'],
    ['a section it does not know right under a failed vPC', '                                       Performed\n', '                                       Performed\nvPC orphan port status\n', 'vPC orphan port status'],
    ['a vPC row it cannot read, with its wrapped lines', '12    Po12          down* ', '12    Po12          gone  ', '12    Po12          gone   failed      Consistency Check Not -\n                                       Performed'],
  ];
  for (const [what, from, to, line] of broken) {
    it(`refuses ${what}, quoting the line`, () => {
      expect(GOOD.includes(from)).toBe(true);
      expect(quoted(problemOf(() => parseVpc(GOOD.replace(from, to))))).toContain(line);
    });
  }

  it('refuses output missing a key it rests on (peer status)', () => {
    expect(problemOf(() => parseVpc(GOOD.replace(/^Peer status.*\n/m, ''))).message).toContain("no 'peer status' line");
  });

  it('refuses what is not show vpc at all, quoting the device', () => {
    expect(quoted(problemOf(() => parseVpc("% Invalid command at '^' marker.\n")))).toContain('% Invalid command');
    expect(problemOf(() => parseVpc('')).message).toContain('not the output of show vpc');
  });
});
