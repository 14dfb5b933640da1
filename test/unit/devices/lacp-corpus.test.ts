import { describe, expect, it } from 'vitest';
import { parseLacpNeighbors } from '../../../src/devices/platforms';
import { problemOf, quoted, runCorpus } from './corpus-cases';
import { fixture } from './fixtures';

/**
 * `show lacp neighbor` captured from real devices, read by hand: per member,
 * its channel, the partner system and port at the far end, and the partner's
 * mode and rate. One string per member.
 */
const members = (text: string) =>
  parseLacpNeighbors(text).map((n) => `${n.channel} ${n.port} ${n.partnerSystem} ${n.partnerPort} ${n.active ? 'active' : 'passive'} ${n.fastRate ? 'fast' : 'slow'}`);

runCorpus('iosxe', 'show-lacp-neighbor', [
  // The partner of channel 2 is passive on all three links.
  ['01-genie.txt', [
    'Po1 Gi2 001e.49ff.a3e6 0x1 active slow', 'Po1 Gi3 001e.49ff.a3e6 0x1 active slow',
    'Po2 Gi4 001e.49ff.a3e6 0x1 passive slow', 'Po2 Gi5 001e.49ff.a3e6 0x1 passive slow', 'Po2 Gi6 001e.49ff.a3e6 0x1 passive slow',
  ]],
], members);

runCorpus('nxos', 'show-lacp-neighbor', [
  // `port-channel1` and `Po2` both name channels; each member is a block of two rows.
  ['01-genie.txt', [
    'Po1 Eth1/1 32768,5e-2-0-1-0-7 0x101 active slow', 'Po1 Eth1/2 32768,5e-2-0-1-0-7 0x102 active slow',
    'Po2 Eth1/3 32768,5e-2-0-1-0-7 0x103 active slow', 'Po2 Eth1/4 32768,5e-2-0-1-0-7 0x104 active slow', 'Po2 Eth1/5 32768,5e-2-0-1-0-7 0x105 active slow',
  ]],
], members);

describe('show lacp neighbor: refusals', () => {
  const ios = fixture('iosxe/show-lacp-neighbor/01-genie.txt');
  const nxos = fixture('nxos/show-lacp-neighbor/01-genie.txt');
  const broken: [what: string, text: string, from: string, to: string, quoted: string][] = [
    ['a flag letter outside the legend', ios, 'Gi3       SA', 'Gi3       SX', 'Gi3       SX'],
    ['both rates at once', ios, 'Gi4       SP', 'Gi4       SF', 'Gi4       SF'],
    ['an IOS row cut short', ios, 'Gi5       SP      32768     001e.49ff.a3e6   1s    0x0    0x2    0x1     0x3C', 'Gi5       SP      32768', 'Gi5       SP      32768'],
    ['a device id that is not a MAC', ios, '001e.49ff.a3e6  19s', 'unknown         19s', 'unknown'],
    ['an NX-OS partner system that is not priority,MAC', nxos, 'Eth1/2      32768,5e-2-0-1-0-7', 'Eth1/2      none              ', 'Eth1/2      none'],
    ['an NX-OS member without its priority/key/state row', nxos, '            32768                  0x8000                      0x3d\n\nPartner', '            ?\n\nPartner', '?'],
  ];
  for (const [what, text, from, to, line] of broken) {
    it(`refuses ${what}, quoting the line`, () => {
      expect(text.includes(from)).toBe(true);
      expect(quoted(problemOf(() => parseLacpNeighbors(text.replace(from, to))))).toContain(line);
    });
  }
});
