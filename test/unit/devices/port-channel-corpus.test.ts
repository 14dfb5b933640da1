import { describe, expect, it } from 'vitest';
import { parsePortChannelSummary, type PortChannel } from '../../../src/devices/platforms';
import { problemOf, quoted, runCorpus } from './corpus-cases';
import { fixture, VARIANTS } from './fixtures';

/**
 * NX-OS `show port-channel summary` and IOS/IOS-XE `show etherchannel
 * summary` captured from real switches, read by hand. One string per
 * channel: name, up/down, layer, protocol, then its members grouped by
 * state in the order printed, which is what tells whether a bundle still
 * has live links.
 */
const summary = (text: string) => parsePortChannelSummary(text).map(line);

function line(pc: PortChannel): string {
  const groups = new Map<string, string[]>();
  for (const m of pc.members) groups.set(m.state, [...(groups.get(m.state) ?? []), m.port]);
  const members = [...groups].map(([state, ports]) => `${state}:${ports.join(',')}`);
  return [`${pc.group} ${pc.name}`, pc.up ? 'up' : 'down', pc.layer ?? '-', pc.protocol, ...members].join(' ');
}

const bundled2 = (group: number, a: string, b: string) => `${group} Po${group} up L3 LACP bundled:${a},${b}`;

runCorpus('nxos', 'show-port-channel-summary', [
  // Filed as NX-OS, but the layout (`Port-Channel Protocol Ports`, `LACP(a)`, `PG+`) is another vendor's: refused, not guessed.
  ['01-ntc-summary.txt', { problem: 'Port-Channel Protocol  Ports' }],
  // Four-member channels wrap their last member onto the next line.
  ['02-ntc-summary2.txt', [
    bundled2(1, 'Eth1/1', 'Eth2/1'), bundled2(2, 'Eth1/2', 'Eth2/2'), bundled2(3, 'Eth1/3', 'Eth2/3'), bundled2(4, 'Eth1/4', 'Eth2/4'),
    bundled2(12, 'Eth1/5', 'Eth2/5'), bundled2(13, 'Eth1/6', 'Eth2/6'), bundled2(14, 'Eth1/7', 'Eth2/7'),
    bundled2(801, 'Eth5/6', 'Eth6/6'), bundled2(802, 'Eth5/7', 'Eth6/7'), bundled2(803, 'Eth15/17', 'Eth16/17'), bundled2(804, 'Eth15/24', 'Eth16/24'),
    '811 Po811 up L3 LACP bundled:Eth15/8,Eth15/28,Eth16/8,Eth16/28',
    '812 Po812 up L3 LACP bundled:Eth15/36,Eth16/36,Eth17/8,Eth18/8',
    bundled2(813, 'Eth15/15', 'Eth16/15'), bundled2(814, 'Eth15/22', 'Eth16/22'),
    '821 Po821 up L3 LACP bundled:Eth15/30,Eth16/30,Eth17/29,Eth18/29',
    '822 Po822 up L3 LACP bundled:Eth15/38,Eth16/38,Eth17/30,Eth18/30',
    bundled2(823, 'Eth3/9', 'Eth4/9'), bundled2(824, 'Eth3/10', 'Eth4/10'),
    '825 Po825 up L3 LACP bundled:Eth3/3', '826 Po826 up L3 LACP bundled:Eth4/3', '827 Po827 up L3 LACP bundled:Eth5/3', '828 Po828 up L3 LACP bundled:Eth6/3',
  ]],
  // Channels without members print `NONE` and `--`.
  ['03-ntc-summary3.txt', [
    '131 Po131 up L2 LACP bundled:Eth1/1', '132 Po132 up L2 LACP bundled:Eth1/2', '133 Po133 up L2 LACP bundled:Eth1/3', '134 Po134 up L2 LACP bundled:Eth1/4',
    '135 Po135 down L2 none', '136 Po136 down L2 LACP down:Eth1/6', '137 Po137 down L2 none', '138 Po138 down L2 LACP down:Eth1/24',
    '141 Po141 down L2 none', '142 Po142 down L2 none', '151 Po151 down L2 none',
    '171 Po171 up L2 LACP bundled:Eth1/14', '172 Po172 up L2 LACP bundled:Eth1/15', '173 Po173 up L2 LACP bundled:Eth1/16', '174 Po174 up L2 LACP bundled:Eth1/17',
    '175 Po175 down L2 LACP down:Eth1/25', '176 Po176 down L2 LACP down:Eth1/27', '177 Po177 down L2 LACP down:Eth1/28', '178 Po178 down L2 none',
    '200 Po200 up L2 LACP bundled:Eth1/21,Eth1/22',
  ]],
  // A hot-standby member carries no traffic.
  ['04-genie-1.txt', ['1 Po1 up L3 LACP bundled:Eth1/1,Eth1/2', '2 Po2 up L2 LACP bundled:Eth1/3,Eth1/4 hot-standby:Eth1/5']],
  // Half the members down, wrapped onto a second line: the channel is up on three.
  ['05-genie-2.txt', ['1 Po1 up L2 LACP down:Eth1/42,Eth1/43,Eth1/47 bundled:Eth1/45,Eth1/46,Eth1/48', '2 Po2 up L2 LACP bundled:Eth1/50,Eth1/51']],
], summary);

runCorpus('iosxe', 'show-etherchannel-summary', [
  ['01-ntc-summary.txt', [
    '1 Po1 up L2 LACP bundled:Te6/4,Te3/5,Te9/4,Te5/5', '3 Po3 up L2 LACP bundled:Te4/2,Te2/2', '7 Po7 up L2 LACP bundled:Te3/3,Te1/3',
    '13 Po13 up L2 LACP bundled:Te2/8', '14 Po14 up L2 LACP bundled:Te1/8', '51 Po51 up L2 LACP bundled:Te2/10,Te4/10',
  ]],
  // IOS-XE 16 prints words (`bndl`) and tabs, and explains its flags under the table.
  ['02-ntc-summary2.txt', ['10 Po10 up L3 LACP bundled:Te0/0/2,Te0/0/3']],
  ['03-genie-ios.txt', ['1 Po1 up L3 LACP bundled:Gi2,Gi3', '2 Po2 up L3 LACP bundled:Gi4,Gi6 hot-standby:Gi5']],
  ['04-genie-ios-1.txt', ['2 Po2 up L3 none']],
  ['05-genie-ios-2.txt', ['10 Po10 up L2 PAgP bundled:Gi1/0/15,Gi1/0/16,Gi1/0/17']],
  // Members down and suspended on both stack members; two routed channels with nothing up.
  ['06-genie-3.txt', [
    '1 Po1 down L2 none', '2 Po2 down L2 none',
    '3 Po3 up L2 LACP bundled:Te2/0/1,Te3/0/3 down:Te2/0/2,Te3/0/2 suspended:Te2/0/3,Te3/0/1',
    '4 Po4 down L3 LACP down:Fi1/0/5,Gi4/0/5', '5 Po5 down L3 LACP down:Te2/0/4,Te3/0/4',
  ]],
], summary);

describe('port-channel summaries as a session hands them over', () => {
  for (const [name, variant] of Object.entries(VARIANTS)) {
    it(`reads the same channels (${name})`, () => {
      for (const file of ['nxos/show-port-channel-summary/05-genie-2.txt', 'iosxe/show-etherchannel-summary/06-genie-3.txt']) {
        const raw = fixture(file);
        expect(parsePortChannelSummary(variant(raw, 'show port-channel summary'))).toEqual(parsePortChannelSummary(raw));
      }
    });
  }
});

const NXOS = `--------------------------------------------------------------------------------
Group Port-       Type     Protocol  Member Ports
      Channel
--------------------------------------------------------------------------------
1     Po1(SU)     Eth      LACP      Eth1/1(P)    Eth1/2(D)
                                     Eth1/3(s)    Eth1/4(I)
2     Po2(RD)     Eth      NONE      --
`;

describe('port-channel summary: flags and refusals', () => {
  it('reads each member flag as its state and keeps the flag printed', () => {
    const [po1] = parsePortChannelSummary(NXOS);
    expect(po1!.members.map((m) => `${m.port}(${m.flag}) ${m.state}`)).toEqual(['Eth1/1(P) bundled', 'Eth1/2(D) down', 'Eth1/3(s) suspended', 'Eth1/4(I) individual']);
  });

  const broken: [what: string, from: string, to: string, quoted: string][] = [
    ['a member flag not in any legend', 'Eth1/2(D)', 'Eth1/2(Z)', '1     Po1(SU)     Eth      LACP      Eth1/1(P)    Eth1/2(Z)'],
    ['a member word flag it does not know', 'Eth1/4(I)', 'Eth1/4(flapping)', 'Eth1/3(s)    Eth1/4(flapping)'],
    ['a channel flag not in the legend', 'Po2(RD)', 'Po2(RX)', '2     Po2(RX)'],
    ['a protocol it does not know', 'NONE', 'MLAG', '2     Po2(RD)     Eth      MLAG'],
    ['a member without its flag', 'Eth1/1(P)', 'Eth1/1', 'Eth1/1    Eth1/2(D)'],
    ['a row whose channel has no flags', 'Po2(RD)', 'Po2    ', '2     Po2'],
    ['a line that is neither a row nor a continuation', '2     Po2', 'oops\n2     Po2', 'oops'],
    ['a continuation that is not members', '                                     Eth1/3(s)', '                                     (more)', '(more)'],
    ['a row after the notes under the table', '2     Po2(RD)     Eth      NONE      --\n', 'RU - L3 port-channel UP State\n2     Po2(RD)     Eth      NONE      --\n', '2     Po2(RD)'],
  ];
  for (const [what, from, to, line] of broken) {
    it(`refuses ${what}, quoting the line`, () => {
      expect(NXOS.includes(from)).toBe(true);
      expect(quoted(problemOf(() => parsePortChannelSummary(NXOS.replace(from, to))))).toContain(line);
    });
  }

  it('refuses the rest of the table too: one bad row does not hide the others', () => {
    const p = problemOf(() => parsePortChannelSummary(NXOS.replace('Eth1/2(D)', 'Eth1/2(Z)').replace('Po2(RD)', 'Po2(RX)')));
    expect(p.lines).toHaveLength(2);
  });

  it('refuses an answer without the table, quoting the device', () => {
    expect(quoted(problemOf(() => parsePortChannelSummary('% Invalid command at marker.\n')))).toContain('% Invalid command');
  });

  it('reads an empty answer as no channels', () => {
    expect(parsePortChannelSummary('\n\n')).toEqual([]);
  });
});
