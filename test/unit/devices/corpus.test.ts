import { parseBgpSummary, parseFileSystem, parseInterfaces, parseRedundancy, parseVersion, type Platform } from '../../../src/devices/platforms';
import { runCorpus as runCases } from './corpus-cases';

/**
 * Every raw output captured from a real device (test/fixtures/outputs/<platform>/<command>/,
 * origins in ORIGIN.md) against what we read in it by hand: what a network engineer
 * checks first. `problem` names a line the parser must refuse, quoting it.
 */

const version = (platform: Platform) => (text: string) => {
  const v = parseVersion(platform, text);
  return { version: v.version, hostname: v.hostname, uptimeSeconds: v.uptimeSeconds };
};
const D = 86400;
const W = 7 * D;
const Y = 365 * D;

runCases('iosxe', 'show-version', [
  ['01-ntc-version1.txt', { version: '03.06.05E', hostname: 'city-building-4-sw', uptimeSeconds: 28 * W + D + 7 * 3600 + 54 * 60 }],
  ['02-ntc-version2.txt', { version: '03.09.01.S', hostname: 'my_device', uptimeSeconds: D + 15 * 3600 + 32 * 60 }],
  ['03-ntc-version4.txt', { version: '16.09.03', hostname: 'AKBTESTW01', uptimeSeconds: Y + 22 * W + 6 * D + 9 * 3600 + 38 * 60 }],
  ['04-ntc-version5.txt', { version: '16.12.04', hostname: 'Switch-Hostname', uptimeSeconds: 7 * W + 17 * 3600 + 14 * 60 }],
  ['05-ntc-version_special_build.txt', { problem: 'CUST-SPECIAL:V169_5_SR689355441_2' }],
  ['06-ntc-version.txt', { version: '12.2(54)SG1', hostname: 'router1', uptimeSeconds: 2 * Y + 31 * W + 6 * D + 9 * 3600 + 55 * 60 }],
  ['07-ntc-version3.txt', { version: '15.8(3)M2', hostname: 'rtr-01', uptimeSeconds: W + 3 * D + 16 * 3600 + 11 * 60 }],
  ['08-ntc-version6.txt', { problem: 'TEST ENGINEERING ESTG_WEEKLY BUILD' }],
  ['09-ntc-version_01.txt', { version: '12.4(6)T2', hostname: 'stud-adsl', uptimeSeconds: 20 * W + 5 * D + 12 * 3600 + 15 * 60 }],
  ['10-genie-6.txt', { version: '17.05.01a', hostname: 'COL-B-ASR1001-X-1', uptimeSeconds: 4 * W + 14 * 3600 + 49 * 60 }],
  ['11-genie-isr4k.txt', { version: '16.06.05', hostname: 'isr4k', uptimeSeconds: 2 * D + 3 * 3600 + 18 * 60 }],
  ['12-genie-c9800.txt', { version: '17.07.01prd16', hostname: 'vidya-ewlc-5', uptimeSeconds: 4 * W + 6 * D + 21 * 3600 + 48 * 60 }],
  ['13-genie-standby.txt', { version: '17.18.01prd21', hostname: 'switch_1', uptimeSeconds: 2 * D + 22 * 60 }],
  ['14-genie-1.txt', { version: '03.04.06.SG', hostname: 'sample_4510r_e', uptimeSeconds: 2 * Y + 11 * W + 3 * D + 3 * 3600 + 3 * 60 }],
  ['15-genie-3.txt', { version: '03.06.07E', hostname: 'testhost', uptimeSeconds: Y + 51 * W + 2 * D + 41 * 60 }],
  ['16-genie-9.txt', { version: '03.06.06.E', hostname: 'sample_4507r_e', uptimeSeconds: 2 * Y + 39 * W + D + 22 * 3600 + 42 * 60 }],
  ['17-genie-c4507.txt', { version: '03.03.02.SG', hostname: 'switchname', uptimeSeconds: 6 * Y + 2 * W + 13 * 3600 + 31 * 60 }],
  ['18-genie-10.txt', { problem: 'Experimental Version 17.17.20241125:005549' }],
  ['19-genie-5.txt', { problem: 'Experimental Version 17.4.20200702:124009' }],
  ['20-genie-asr1k.txt', { problem: 'Experimental Version 16.3.20170410:103306' }],
  ['21-genie-c3850.txt', { problem: 'Experimental Version 16.4.20170410:165034' }],
  ['22-genie-4.txt', { version: '15.2(2)E7', hostname: 'testname', uptimeSeconds: 25 * W + 5 * D + 15 * 3600 + 45 * 60 }],
  ['23-genie-asr901.txt', { version: '15.6(2)SP4', hostname: 'LAB-ASR901T', uptimeSeconds: 26 * W + 21 * 3600 + 26 * 60 }],
], version('iosxe'));

runCases('nxos', 'show-version', [
  ['01-ntc-version.txt', { version: '6.1(2)I3(1)', hostname: 'N9K1', uptimeSeconds: 123 * D + 5 * 3600 + 15 * 60 + 19 }],
  ['02-ntc-version1.txt', { version: '14.0(1h)', hostname: 'Leaf-101', uptimeSeconds: 11 * D + 3600 + 57 * 60 + 2 }],
  ['03-ntc-version2.txt', { version: '7.1(4)N1(1)', hostname: 'IEDP02-N5K-SW01', uptimeSeconds: 749 * D + 15 * 3600 + 17 * 60 + 48 }],
  ['04-ntc-version3.txt', { version: '5.2(1)N1(4)', hostname: 'DC2TESTSW01-55', uptimeSeconds: 311 * D + 27 * 60 + 35 }],
  ['05-ntc-version4.txt', { version: '7.0(3)I4(3)', hostname: 'obttestw02', uptimeSeconds: 670 * D + 6 * 3600 + 34 * 60 + 1 }],
  ['06-ntc-version5.txt', { version: '10.4(5)', hostname: 'N9K-LAB-15', uptimeSeconds: 60 * D + 17 * 3600 + 26 * 60 + 51 }],
  ['07-ntc-version6.txt', { version: '10.3(6)', hostname: 'N9K-LAB-07', uptimeSeconds: 60 * D + 17 * 3600 + 29 * 60 + 10 }],
  ['08-ntc-version7.txt', { version: '9.3(15)', hostname: 'N3K-LAB-19', uptimeSeconds: 60 * D + 17 * 3600 + 8 * 60 + 18 }],
  ['09-genie-output.txt', { version: '6.0(2)U6(10)', hostname: 'n3k', uptimeSeconds: 796 * D + 15 * 3600 + 58 * 60 + 29 }],
  ['10-genie-output_1.txt', { problem: 'NXOS: version 9.3(6uu)I9(1uu) [build 9.3(6)]' }],
  ['11-genie-output_2.txt', { version: '10.2(3)', hostname: 'Spine-12', uptimeSeconds: 49 * D + 10 * 3600 + 45 * 60 + 34 }],
  ['12-genie-output_3.txt', { problem: '[build 10.4(2)IMG9(0.27)]' }],
  ['13-genie-output_4.txt', { version: '15.3(2b)', hostname: 'fl-wwops-corp-l3301f-aci', uptimeSeconds: 270 * D + 14 * 3600 + 5 * 60 + 29 }],
], version('nxos'));

/** interface/group/priority/P/state/active/standby/virtual IP, one string per group. */
const hsrp = (platform: Platform) => (text: string) =>
  parseRedundancy(platform, text).map((e) => [e.interface, e.group, e.priority, e.preempt ? 'P' : '-', e.state, e.active, e.standby, e.virtualIp].join(' '));

runCases('iosxe', 'show-standby-brief', [
  ['01-ntc-lone-interface.txt', [
    'Vl1 1 120 P Active local 10.1.1.3 10.1.1.1',
    'Vl1 6 120 P Active local FE80::B FE80::DEF',
    'Vl51 1 120 P Init unknown unknown 10.1.51.1',
    'Vl51 6 120 P Init unknown unknown FE80::DEF',
    'Vl500 1 120 P Active local 10.1.5.3 10.1.5.1',
    'Vl500 6 120 P Active local FE80::B FE80::DEF',
    'Vl4010 1 120 P Active local 10.1.254.3 10.1.254.1',
  ]],
  ['02-genie-1.txt', ['Vl1309 1 110 - Init unknown unknown 40.1.31.100']],
  ['03-genie-2.txt', [
    'Vl500 20 100 P Active local 100.1.50.2 100.1.50.254',
    'Vl501 21 100 P Active local 100.1.51.2 100.1.51.254',
    'Vl502 22 100 P Active local 100.1.52.2 100.1.52.254',
  ]],
  ['04-genie-3.txt', [
    'BD3328 128 110 P Active local 10.202.145.253 10.202.145.254',
    'BD3329 129 90 P Standby 10.198.64.29 local 10.198.64.30',
    'BD3330 130 90 P Standby 10.198.64.61 local 10.198.64.62',
  ]],
  ['05-genie-4.txt', [
    'Vl11 0 200 P Active local FE80::2E5A:FFF:FE1C:2064 FE80::5:73FF:FEA0:0',
    'Vl11 11 200 P Active local 11.11.11.4 11.11.11.5',
  ]],
], hsrp('iosxe'));

/** Neighbours in order as `address AS state`, and how many are established. */
const bgp = (text: string) => {
  const n = parseBgpSummary(text);
  return { established: n.filter((x) => x.established).length, neighbors: n.map((x) => `${x.neighbor} ${x.as} ${x.state}`) };
};
const rep = (n: number, rows: string[]) => Array.from({ length: n }, () => rows).flat();

runCases('iosxe', 'show-ip-bgp-summary', [
  ['01-ntc-summary.txt', {
    established: 9,
    neighbors: [
      '10.0.0.1 65000 558720', '10.0.0.2 65001 558720', '10.0.0.3 65002 0', '10.0.0.4 65003 1351', '10.0.0.5 65004 558720',
      '10.0.0.6 65005 558720', '10.0.0.7 65006 82', '10.0.0.8 65007 82', '10.0.0.9 65008 0', '10.0.0.10 65009 Idle (Admin)',
    ],
  }],
  ['02-ntc-summary_all.txt', { established: 2, neighbors: ['10.0.14.4 65001 7', '10.10.13.3 65001 5', '10.10.14.4 65001 Idle'] }],
  ['03-ntc-summary_with_dot.txt', { established: 1, neighbors: ['10.20.30.40 1234 6063'] }],
  ['04-ntc-summary_with_dot_peer_as.txt', {
    established: 4,
    neighbors: ['100.127.255.1 65000.1000 6', '100.127.255.7 65000.1001 4', '100.127.255.9 65000.1002 4', '192.88.99.1 662.47492 435'],
  }],
  ['05-genie-ShowIpBgpSummary-1.txt', { established: 0, neighbors: ['192.168.10.253 61100 Idle'] }],
  // The IPv6 neighbour fills its column: the rest of the row is on the next line.
  ['06-genie-ShowIpBgpSummary-2.txt', { established: 0, neighbors: ['1000:192:168:0:1::1 100 Idle'] }],
  ['07-genie-ShowBgpSummary-1.txt', { established: 1, neighbors: ['192.168.10.253 65555 100'] }],
  ['08-genie-ShowIpBgpAllSummary-1.txt', {
    established: 8,
    neighbors: [
      ...[65555, 60001, 60002, 60003, 60004, 60005, 60006, 60007].map((as) => `192.168.10.253 ${as} 100`),
      ...[60100, 60101, 60102, 60103].map((as) => `192.168.10.253 ${as} Idle`),
    ],
  }],
  ['09-genie-ShowBgpAllSummary-1.txt', {
    established: 0,
    neighbors: [
      '192.168.111.1 100 Idle', '192.168.4.1 100 Idle', '192.168.51.1 100 Idle', '192.168.70.4 200 Idle', '192.168.19.2 300 Idle',
      '2001:db8:400::1:1 100 Idle', '2001:db8:400::4:1 100 Idle', '2001::14:4 200 Idle', '2001::26:2 300 Idle',
      '10.36.3.3 100 Idle', '10.36.3.3 100 Idle',
    ],
  }],
  ['10-genie-ShowBgpAllSummary-2.txt', {
    established: 8,
    neighbors: [
      '10.16.2.2 100 10', '10.36.3.3 100 10', '10.4.6.6 300 5', '10.66.6.6 400 5',
      '10.16.2.2 100 10', '10.36.3.3 100 10', '2001:DB8:4:6::6 300 5', '2001:DB8:20:4:6::6 400 5',
    ],
  }],
  // Captured with every newline doubled.
  ['11-genie-ShowBgpAllSummary-3.txt', { established: 1, neighbors: ['192.168.10.253 65555 13'] }],
  ['12-genie-ShowBgpAllSummary-4.txt', {
    established: 12,
    neighbors: [
      '10.5.17.1 150 15', '10.5.18.1 150 15', '10.5.27.1 150 15', '10.5.28.1 150 15',
      '10:5:17::1 150 14', '10:5:18::1 150 14', '10:5:27::1 150 14', '10:5:28::1 150 14',
      '10.6.1.1 1000 10', '10:6::1:1 1000 10', '20.1.150.3 150 5467', '20.1.150.4 150 4558',
    ],
  }],
], bgp);

runCases('nxos', 'show-ip-bgp-summary', [
  // The last neighbour's AS fills the line: its counters continue below.
  ['01-ntc-multicast-wrap.txt', {
    established: 10,
    neighbors: [
      '10.0.0.100 64497 Idle', '192.168.1.3 0 Idle', '10.0.0.1 65000 558720', '10.0.0.2 65001 558720', '10.0.0.3 65002 0',
      '10.0.0.4 65003 1351', '10.0.0.5 65004 558720', '10.0.0.6 65005 558720', '10.0.0.7 65006 82', '10.0.0.8 65007 82',
      '10.0.0.9 65008 0', '10.0.0.10 65009 Idle (Admin)', '10.0.0.11 65010 4452',
    ],
  }],
  ['02-ntc-admin.txt', {
    established: 8,
    neighbors: [
      '10.0.0.81 132 Idle (Admin)', '10.0.0.66 6230 9', '10.0.0.67 6230 9', '10.0.0.74 6230 10', '10.0.0.75 6230 10',
      '10.0.0.82 6230 2', '10.0.0.83 6230 2', '10.0.0.90 6230 1', '10.0.0.91 6230 1',
    ],
  }],
  // Many VRFs and address families; the EVPN route-type table after the last one is not a neighbour table.
  ['03-ntc-all-vrf.txt', {
    established: 14,
    neighbors: [
      '10.25.113.1 65001 0', '10.23.1.74 65171 24', '172.16.14.2 65164 2', '172.16.31.1 65191 2', '172.16.31.17 65193 2',
      '172.16.102.2 65161 28', '172.16.151.2 65162 18', '172.23.129.240 65191 6', '172.23.133.240 65193 6',
      '172.16.101.33 65161 1782', '172.16.101.34 65161 1782', '172.16.201.37 65162 698', '172.16.201.38 65162 698', '172.16.255.42 65164 14',
    ],
  }],
  // Four-byte AS numbers that do not fit: the row continues on the next line.
  ['04-ntc-vrf-long-as.txt', {
    established: 12,
    neighbors: [
      '192.168.1.2 65002 7', '192.168.2.2 65012 7', '192.168.3.2 65022 1', '192.168.3.3 65023 1',
      '10.101.1.1 4233316914 100', '10.101.1.4 4255544594 0', '111.111.111.111 4244433330 28',
      '144.144.144.144 33331 8', '155.155.155.155 33331 8', '192.168.111.1 11112 4', '192.168.111.2 11111 1', '192.168.111.6 11111 1',
    ],
  }],
  ['05-genie-vrf-all-all-1.txt', {
    established: 2,
    neighbors: ['10.16.2.10 0 Idle', '10.16.2.5 200 Shut (Admin)', '2001:db8:8191:506d:5::5 200 Shut (Admin)', '10.16.2.2 100 1', '10.16.2.2 100 1'],
  }],
  ['06-genie-vrf-all-all-2.txt', { established: 3, neighbors: ['10.186.0.2 333 3', '2001:db8:8b05::112 333 3', '10.186.0.2 333 3'] }],
  // `0 (No Cap)`: the session is up, the address family was not negotiated.
  ['07-genie-vrf-all-all-3.txt', {
    established: 27,
    neighbors: [
      '10.106.101.1 333 3', '10.106.102.3 888 2', '10.106.102.4 333 2',
      '10.106.101.1 333 2', '10.106.102.3 888 2', '10.106.102.4 333 2',
      '10.106.101.1 333 0 (No Cap)', '10.106.102.3 888 0 (No Cap)', '10.106.102.4 333 0 (No Cap)', '2001:db8:8d82::1002 333 3', '2001:db8:8d82::2002 888 2',
      '10.106.101.1 333 0 (No Cap)', '10.106.102.3 888 0 (No Cap)', '10.106.102.4 333 0 (No Cap)', '2001:db8:8d82::1002 333 2', '2001:db8:8d82::2002 888 0',
      '10.106.101.1 333 2', '10.106.102.3 888 2', '10.106.102.4 333 4',
      '10.106.101.1 333 2', '10.106.102.3 888 2', '10.106.102.4 333 0',
      '10.106.101.1 333 2', '10.106.102.3 888 2', '10.106.102.4 333 0',
      '2001:db8:8d82::1002 333 0 (No Cap)', '2001:db8:8d82::2002 888 0 (No Cap)',
      ...rep(4, ['10.106.103.1 333 Idle']),
    ],
  }],
  ['08-genie-vrf-all-all-4.txt', { established: 1, neighbors: ['10.16.2.5 200 Shut (Admin)', '10.10.80.1 4210410100 297'] }],
  ['09-genie-vrf-all-all-5.txt', { established: 1, neighbors: ['2.2.2.2 1.57920 12'] }],
  // IPv6 neighbours alone on their line, and rows split over three lines (address / version and AS / counters).
  ['10-genie-vrf-all-all-6.txt', {
    established: 16,
    neighbors: [
      '10.167.68.50 65100 4951', '10.167.68.51 65100 4951', '10.167.68.52 65100 4157', '10.167.68.53 65100 4157',
      '10.167.68.55 65100 2', '10.167.68.56 65100 4230', '10.167.68.57 65100 4230',
      '10.167.70.123 4230103023 2', '10.167.70.137 4230103023 2',
      ...['', '1', '2', '3', '5', '6', '7'].map((h) => `1227:81:e000:50::${h} 65100 0`),
      '1227:81:e000:54:2000::1 4130103024 Active', '1227:81:e000:54:2000::3 4130103024 Idle',
    ],
  }],
], bgp);

/** Rows, how many are up, and the ones that are not. */
const ifs = (platform: Platform) => (text: string) => {
  const rows = parseInterfaces(platform, text);
  return { rows: rows.length, up: rows.filter((i) => i.up).length, notUp: rows.filter((i) => !i.up).map((i) => `${i.interface} ${i.status}/${i.protocol}`) };
};

runCases('iosxe', 'show-ip-interface-brief', [
  ['01-ntc.txt', { rows: 7, up: 4, notUp: ['Ethernet0/0.100 deleted/down', 'Ethernet0/2 administratively down/down', 'Ethernet0/3 administratively down/down'] }],
  ['02-genie.txt', { rows: 21, up: 18, notUp: ['Te0/0/5 down/down', 'ucse1/0/0 administratively down/down', 'ucse1/0/1 administratively down/down'] }],
], ifs('iosxe'));

runCases('nxos', 'show-ip-interface-brief', [
  ['01-ntc-brief.txt', { rows: 8, up: 5, notUp: ['Eth1/1 down/down', 'Eth1/6 down/down', 'Eth1/7 down/down'] }],
  ['02-ntc-brief_vrf_all.txt', { rows: 1, up: 1, notUp: [] }],
  // An unnumbered interface names its source on the next line: `(loopback0)` is not an interface.
  ['03-ntc-brief_vrf_all_01.txt', { rows: 3, up: 1, notUp: ['Eth2/17.103 down/down', 'Eth2/17.104 down/down'] }],
  ['04-ntc-brief_vrf_all_02.txt', { rows: 9, up: 9, notUp: [] }],
  ['05-genie.txt', { rows: 26, up: 18, notUp: ['100', '101', '102', '103', '104', '105', '106', '110'].map((s) => `Eth5/48.${s} down/down`) }],
  ['06-genie-vrf-all-1.txt', { rows: 12, up: 12, notUp: [] }],
], ifs('nxos'));

/** File system, free and total bytes, number of entries. */
const dir = (platform: Platform) => (text: string) => {
  const fs = parseFileSystem(platform, text);
  return { fileSystem: fs.fileSystem, freeBytes: fs.freeBytes, totalBytes: fs.totalBytes, entries: fs.files.length };
};

runCases('iosxe', 'dir', [
  // One row prints its permissions split (`-rw  -`); it is still a file.
  ['01-ntc-bootflash.txt', { fileSystem: 'bootflash:', freeBytes: 6612774912, totalBytes: 7835619328, entries: 12 }],
  ['02-ntc-no-files.txt', { fileSystem: 'bootflash:', freeBytes: 16626160, totalBytes: 60817408, entries: 0 }],
  ['03-genie-asr1k.txt', { fileSystem: 'bootflash:', freeBytes: 1036210176, totalBytes: 1940303872, entries: 22 }],
  ['04-genie-asr1k_2.txt', { fileSystem: 'bootflash:', freeBytes: 1036210176, totalBytes: 1940303872, entries: 22 }],
  ['05-genie-c3850.txt', { fileSystem: 'flash:', freeBytes: 880939008, totalBytes: 1598627840, entries: 18 }],
  ['06-genie-iosv.txt', { fileSystem: 'flash0:', freeBytes: 1989595136, totalBytes: 2142715904, entries: 5 }],
], dir('iosxe'));

runCases('nxos', 'dir', [
  // The device printed `Input/output error` and no usage: unknown free space is refused, never taken for enough.
  ['01-ntc.txt', { problem: 'Input/output error' }],
  ['02-ntc.txt', { fileSystem: 'bootflash:', freeBytes: 2166267904, totalBytes: 3697471488, entries: 17 }],
  ['03-genie.txt', { fileSystem: 'bootflash:', freeBytes: 1674481664, totalBytes: 1782931456, entries: 11 }],
], dir('nxos'));
