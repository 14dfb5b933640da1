import type { LabDevice } from '../device';
import { type CableEnd, type Fabric, PEER_LINK_PORTS } from '../fabric';
import type { VpcPortState } from '../vpc';
import { pad } from './format';

/**
 * Outputs about the lab's links: vPC, port channels, LACP, LLDP, CDP and the
 * system mode. Shapes follow real captures where the corpora have them
 * (test/fixtures/outputs: `show vpc`, `show port-channel summary`, `show
 * etherchannel summary`, `show lacp neighbor`, LLDP/CDP neighbours); the
 * others follow Cisco's command references (see src/lab/README.md).
 */

const VLANS = '1,10';

/** NX-OS `show vpc` (and `show vpc brief`, which prints the same), in the layout of NX-OS 9/10 (nxos/show-vpc/08-genie-7.txt). */
export function showVpc(d: LabDevice, fabric: Fabric | undefined): string[] {
  const dm = fabric?.domain(d);
  const kv = (k: string, v: string | number) => `${pad(k, 34)}: ${v}`;
  const legend = ['Legend:', '                (*) - local vPC is down, forwarding via vPC peer-link', ''];
  if (!dm) {
    return [
      ...legend,
      kv('vPC domain id', 'Not configured'),
      kv('Peer status', 'peer link not configured'),
      kv('vPC keep-alive status', 'Disabled'),
      kv('Configuration consistency status', 'failed'),
      kv('Per-vlan consistency status', 'failed'),
      'Configuration inconsistency reason: vPC peer-link does not exist',
      kv('Type-2 consistency status', 'failed'),
      kv('Type-2 inconsistency reason', 'vPC peer-link does not exist'),
      kv('vPC role', 'none established'),
      kv('Number of vPCs configured', 0),
      kv('Peer Gateway', 'Disabled'),
      kv('Dual-active excluded VLANs', '-'),
      kv('Graceful Consistency Check', 'Disabled (due to peer configuration)'),
      kv('Auto-recovery status', 'Disabled'),
      kv('Delay-restore status', 'Timer is off.(timeout = 30s)'),
      kv('Delay-restore SVI status', 'Timer is off.(timeout = 10s)'),
      kv('Operational Layer3 Peer-router', 'Disabled'),
    ];
  }
  const v = dm.view(d);
  const legs = fabric!.vpcLegs(d);
  const consistency = v.consistency.ok
    ? [kv('Configuration consistency status', 'success'), kv('Per-vlan consistency status', 'success'), kv('Type-2 consistency status', 'success')]
    : [
        kv('Configuration consistency status', 'failed'),
        kv('Per-vlan consistency status', 'success'),
        `Configuration inconsistency reason: ${v.consistency.reason}`,
        kv('Type-2 inconsistency reason', v.consistency.reason!),
      ];
  const restore = v.restoreLeftMs !== undefined ? `Timer is on.(timeout = ${dm.delayRestoreSec}s, ${Math.ceil(v.restoreLeftMs / 1000)}s left)` : `Timer is off.(timeout = ${dm.delayRestoreSec}s)`;
  const out = [
    ...legend,
    kv('vPC domain id', v.domain),
    kv('Peer status', v.peerStatus),
    kv('vPC keep-alive status', v.keepalive),
    ...consistency,
    kv('vPC role', v.role),
    kv('Number of vPCs configured', legs.length),
    kv('Peer Gateway', 'Enabled'),
    kv('Dual-active excluded VLANs', '-'),
    kv('Graceful Consistency Check', 'Enabled'),
    kv('Auto-recovery status', 'Disabled'),
    kv('Delay-restore status', restore),
    kv('Delay-restore SVI status', 'Timer is off.(timeout = 10s)'),
    kv('Delay-restore Orphan-port status', 'Timer is off.(timeout = 0s)'),
    kv('Operational Layer3 Peer-router', 'Disabled'),
    kv('Virtual-peerlink mode', 'Disabled'),
    '',
    'vPC Peer-link status',
    '---------------------------------------------------------------------',
    'id    Port   Status Active vlans',
    '--    ----   ------ -------------------------------------------------',
    `1     ${pad('Po1', 7)}${pad(v.peerLinkUp ? 'up' : 'down', 7)}${v.peerLinkUp ? VLANS : '-'}`,
  ];
  if (legs.length > 0) {
    out.push(
      '',
      'vPC status',
      '----------------------------------------------------------------------------',
      'Id    Port          Status Consistency Reason                Active vlans',
      '--    ------------  ------ ----------- ------                ---------------',
    );
    for (const leg of legs) {
      const up = v.members === 'up';
      const consistency = v.members === 'suspended' && v.membersReason === 'Global compat check failed' ? 'failed' : 'success';
      const reason = up || consistency === 'success' ? 'success' : v.membersReason;
      // A reason wider than its column wraps word by word below it, the VLANs staying on the first line (nxos/show-vpc/04-genie-3.txt).
      const [first, ...more] = wrapWords(reason, 21);
      out.push(`${pad(leg.vpcId, 6)}${pad(`Po${leg.vpcId}`, 14)}${pad(up ? 'up' : 'down*', 7)}${pad(consistency, 12)}${pad(first!, 22)}${up ? VLANS : '-'}`);
      for (const l of more) out.push(`${' '.repeat(39)}${l}`);
    }
    out.push(
      '',
      'Please check "show vpc consistency-parameters vpc <vpc-num>" for the',
      'consistency reason of down vpc and for type-2 consistency reasons for',
      'any vpc.',
    );
  }
  return out;
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const w of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + w.length <= width) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  return lines;
}

/** The vPC system MAC both peers present (LACP partners see one system): 00:23:04:ee:be:<domain>. */
function vpcSystemMac(domain: number): string[] {
  return ['00', '23', '04', 'ee', 'be', (domain & 0xff).toString(16).padStart(2, '0')];
}

/** A device's own MAC, stable per name. */
function deviceMac(d: LabDevice): string[] {
  let h = 0x9e3779b1;
  for (const c of d.name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return ['50', '87', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6), hex.slice(6, 8)];
}

/**
 * NX-OS `show vpc peer-keepalive`: the keepalive's state and destination
 * (the peer's management address), in the layout of an N9K capture published
 * with a public vPC lab guide (cometdfw/training-labs, 2022-11-18-vvpc-04).
 */
export function showVpcPeerKeepalive(d: LabDevice, fabric: Fabric | undefined): string[] {
  const dm = fabric?.domain(d);
  if (!dm) return ['', 'vPC keep-alive status           : Disabled'];
  const v = dm.view(d);
  const kv = (k: string, val: string) => `${pad(k, 32)}: ${val}`;
  const alive = v.keepalive === 'peer is alive';
  const peerMgmt = identity(dm.peerOf(d)).mgmt;
  const now = new Date().toISOString().replace('T', ' ').replace(/-/g, '.').slice(0, 19);
  return [
    '',
    `${pad('vPC keep-alive status', 34)}: ${v.keepalive}`,
    ...(alive
      ? [kv('--Peer is alive for', '(6459) seconds, (378) msec'), kv('--Send status', 'Success'), kv('--Last send at', `${now} 700 ms`), kv('--Sent on interface', 'mgmt0'), kv('--Receive status', 'Success'), kv('--Last receive at', `${now} 619 ms`), kv('--Received on interface', 'mgmt0'), kv('--Last update from peer', '(0) seconds, (591) msec')]
      : [kv('--Send status', 'Success'), kv('--Last send at', `${now} 700 ms`), kv('--Sent on interface', 'mgmt0'), kv('--Receive status', 'Failed'), kv('--Last update from peer', '(9) seconds, (12) msec')]),
    '',
    'vPC Keep-alive parameters',
    kv('--Destination', peerMgmt),
    kv('--Keepalive interval', '1000 msec'),
    kv('--Keepalive timeout', '5 seconds'),
    kv('--Keepalive hold timeout', '3 seconds'),
    kv('--Keepalive vrf', 'management'),
    kv('--Keepalive udp port', '3200'),
    kv('--Keepalive tos', '192'),
  ];
}

/** NX-OS `show vpc role` (modelled on the NX-OS vPC command reference; no capture in the corpora). */
export function showVpcRole(d: LabDevice, fabric: Fabric | undefined): string[] {
  const dm = fabric?.domain(d);
  const kv = (k: string, v: string | number) => `${pad(k, 32)}: ${v}`;
  if (!dm) return ['', 'vPC Role status', '----------------------------------------------------', kv('vPC role', 'none established')];
  const v = dm.view(d);
  const peer = dm.peerOf(d);
  const alive = v.keepalive === 'peer is alive';
  return [
    '',
    'vPC Role status',
    '----------------------------------------------------',
    kv('vPC role', v.role),
    kv('Dual Active Detection Status', 0),
    kv('vPC system-mac', vpcSystemMac(v.domain).join(':')),
    kv('vPC system-priority', 32667),
    kv('vPC local system-mac', deviceMac(d).join(':')),
    kv('vPC local role-priority', v.role.startsWith('primary') ? 100 : 200),
    kv('vPC local config role-priority', v.role.startsWith('primary') ? 100 : 200),
    kv('vPC peer system-mac', alive ? deviceMac(peer).join(':') : '00:00:00:00:00:00'),
    kv('vPC peer role-priority', alive ? (v.role.startsWith('primary') ? 200 : 100) : 0),
    kv('vPC peer config role-priority', alive ? (v.role.startsWith('primary') ? 200 : 100) : 0),
  ];
}

/** NX-OS `show vpc consistency-parameters global` (modelled on the NX-OS vPC configuration guide). */
export function showVpcConsistencyGlobal(d: LabDevice, fabric: Fabric | undefined): string[] {
  const dm = fabric?.domain(d);
  if (!dm) return ['% vPC is not configured'];
  const v = dm.view(d);
  const peerKnown = v.adjacent;
  const bad = dm.mismatch();
  const row = (name: string, type: string, local: string, peer: string) => `${pad(name, 28)}${pad(type, 6)}${pad(local, 23)}${peerKnown ? peer : '-'}`;
  const stpPeer = bad === 'STP Mode' ? 'MST' : 'Rapid-PVST';
  const rows: Array<[string, string, string, string]> = [
    ['STP Mode', '1', 'Rapid-PVST', stpPeer],
    ['STP Disabled', '1', 'None', 'None'],
    ['STP MST Region Name', '1', '""', '""'],
    ['STP MST Region Revision', '1', '0', '0'],
    ['STP Loopguard', '1', 'Disabled', 'Disabled'],
    ['STP Bridge Assurance', '1', 'Enabled', 'Enabled'],
    ['Interface-vlan admin up', '2', VLANS, VLANS],
    ['Allowed VLANs', '-', VLANS, VLANS],
    ['Local suspended VLANs', '-', '-', '-'],
  ];
  for (const r of rows) if (bad && bad !== 'STP Mode' && r[0] === bad) r[3] = `${r[3]} (peer differs)`;
  return [
    '',
    '    Legend:',
    '        Type 1 : vPC will be suspended in case of mismatch',
    '',
    'Name                        Type  Local Value            Peer Value',
    '-------------               ----  ---------------------- -----------------------',
    ...rows.map((r) => row(...r)),
  ];
}

type MemberFlag = 'P' | 'D' | 's';

function memberFlag(st: VpcPortState): MemberFlag {
  return st === 'up' ? 'P' : st === 'suspended' ? 's' : 'D';
}

/** `Ethernet1/11` -> `Eth1/11`, `GigabitEthernet1/0/49` -> `Gi1/0/49`. */
function shortPort(p: string): string {
  return p.replace(/^Ethernet/, 'Eth').replace(/^GigabitEthernet/, 'Gi').replace(/^TenGigabitEthernet/, 'Te');
}

/** NX-OS `show port-channel summary` (nxos/show-port-channel-summary/04-genie-1.txt). */
export function showPortChannelSummary(d: LabDevice, fabric: Fabric | undefined): string[] {
  const f = fabric;
  const dm = f?.domain(d);
  const out = [
    'Flags:  D - Down        P - Up in port-channel (members)',
    '        I - Individual  H - Hot-standby (LACP only)',
    '        s - Suspended   r - Module-removed',
    '        b - BFD Session Wait',
    '        S - Switched    R - Routed',
    '        U - Up (port-channel)',
    '        p - Up in delay-lacp mode (member)',
    '        M - Not in use. Min-links not met',
    '--------------------------------------------------------------------------------',
    'Group Port-       Type     Protocol  Member Ports',
    '      Channel',
    '--------------------------------------------------------------------------------',
  ];
  if (!f || !dm) return out;
  const v = dm.view(d);
  const row = (group: number, up: boolean, members: Array<[string, MemberFlag]>) =>
    `${pad(group, 6)}${pad(`Po${group}(S${up ? 'U' : 'D'})`, 12)}${pad('Eth', 9)}${pad('LACP', 10)}${members.map(([p, fl]) => pad(`${shortPort(p)}(${fl})`, 13)).join('').trimEnd()}`;
  out.push(row(1, v.peerLinkUp, PEER_LINK_PORTS.map((p) => [p, v.peerLinkUp ? 'P' : 'D'])));
  for (const leg of f.vpcLegs(d)) {
    const fl = memberFlag(v.members);
    out.push(row(leg.vpcId, fl === 'P', [[leg.port, fl]]));
  }
  return out;
}

/** IOS-XE `show etherchannel summary` on a downstream switch (iosxe/show-etherchannel-summary/01-ntc-summary.txt). */
export function showEtherchannelSummary(d: LabDevice, fabric: Fabric | undefined): string[] {
  const b = fabric?.bundle(d);
  const members = b ? b.members.map((m) => ({ port: m.port, up: fabric!.path(d, m).up })) : [];
  const bundled = members.some((m) => m.up);
  return [
    'Flags:  D - down        P - bundled in port-channel',
    '        I - stand-alone s - suspended',
    '        H - Hot-standby (LACP only)',
    '        R - Layer3      S - Layer2',
    '        U - in use      f - failed to allocate aggregator',
    '',
    '        M - not in use, minimum links not met',
    '        u - unsuitable for bundling',
    '        w - waiting to be aggregated',
    '        d - default port',
    '',
    '        A - formed by Auto LAG',
    '',
    '',
    `Number of channel-groups in use: ${b ? 1 : 0}`,
    `Number of aggregators:           ${b ? 1 : 0}`,
    '',
    'Group  Port-channel  Protocol    Ports',
    '------+-------------+-----------+-----------------------------------------------',
    ...(b ? [`${pad(1, 7)}${pad(`Po1(S${bundled ? 'U' : 'D'})`, 16)}${pad('LACP', 10)}${members.map((m) => pad(`${shortPort(m.port)}(${m.up ? 'P' : 'D'})`, 15)).join('').trimEnd()}`] : []),
    '',
  ];
}

/**
 * `show lacp neighbor`: on IOS-XE one row per bundled member, the partner
 * being the vPC system (both peers present the same system MAC); on NX-OS a
 * block per bundled vPC member, the partner being the downstream switch
 * (iosxe/ and nxos/show-lacp-neighbor/01-genie.txt). A member without a
 * live partner has no row.
 */
export function showLacpNeighbor(d: LabDevice, fabric: Fabric | undefined): string[] {
  const f = fabric;
  if (!f) return [];
  if (d.platform === 'iosxe') {
    const b = f.bundle(d);
    const out = ['Flags:  S - Device is requesting Slow LACPDUs', '        F - Device is requesting Fast LACPDUs', '        A - Device is in Active mode       P - Device is in Passive mode', ''];
    if (!b) return out;
    const mac = vpcSystemMac(b.domain.id).join('');
    const devId = `${mac.slice(0, 4)}.${mac.slice(4, 8)}.${mac.slice(8)}`;
    out.push('Channel group 1 neighbors', '', '                  LACP port                        Admin  Oper   Port    Port', 'Port      Flags   Priority  Dev ID          Age    key    Key    Number  State');
    b.members.forEach((m, i) => {
      if (!f.path(d, m).up) return;
      const portNumber = `0x${(0x4000 * (i + 1) + 11).toString(16).toUpperCase()}`;
      out.push(`${pad(shortPort(m.port), 10)}${pad('SA', 8)}${pad(32768, 10)}${pad(devId, 16)}${pad(`${3 + i}s`.padStart(3), 7)}${pad('0x0', 7)}${pad('0x8A', 7)}${pad(portNumber, 8)}0x3D`);
    });
    return out;
  }
  const dm = f.domain(d);
  if (!dm) return [];
  const out: string[] = [];
  const v = dm.view(d);
  for (const leg of f.vpcLegs(d)) {
    if (v.members !== 'up' || leg.downstream.power !== 'up' || leg.downstream.systemMode !== 'normal') continue;
    const sys = `32768,${deviceMac(leg.downstream).map((x) => parseInt(x, 16).toString(16)).join('-')}`;
    const portNumber = `0x${(0x100 + Number(leg.downstreamPort.split('/').pop())).toString(16)}`;
    out.push(
      `${leg.channel} neighbors`,
      "Partner's information",
      '            Partner                Partner                     Partner',
      'Port        System ID              Port Number     Age         Flags',
      `${pad(shortPort(leg.port), 12)}${pad(sys, Math.max(23, sys.length + 1))}${pad(portNumber, 16)}${pad(12, 12)}SA`,
      '',
      '            LACP Partner           Partner                     Partner',
      '            Port Priority          Oper Key                    Port State',
      '            32768                  0x1                         0x3d',
      '',
    );
  }
  return out;
}

/** What a neighbour advertises about itself. */
function identity(x: LabDevice) {
  const mgmt = x.running.interfaces.find((i) => i.address)?.address?.split('/')[0] ?? '0.0.0.0';
  if (x.platform === 'nxos') {
    return { platform: 'N9K-C93180YC-FX', serial: `FDO${hash(x.name).slice(0, 8).toUpperCase()}`, mgmt, lldpCaps: ['B', 'R'], cdpCaps: 'R S I s', version: `Cisco Nexus Operating System (NX-OS) Software, Version ${x.version}` };
  }
  return { platform: 'cisco C9300-48P', serial: `FOC${hash(x.name).slice(0, 8).toUpperCase()}`, mgmt, lldpCaps: ['B', 'R'], cdpCaps: 'R S I', version: `Cisco IOS Software [IOSXE], Catalyst L3 Switch Software (CAT9K_IOSXE), Version ${x.version}, RELEASE SOFTWARE (fc1)` };
}

/** The port id a neighbour advertises over LLDP: NX-OS its full name (`Ethernet1/1`), IOS-XE the short one (`Gi1/0/49`). */
function lldpPortId(far: CableEnd): string {
  return far.device.platform === 'nxos' ? far.port : shortPort(far.port);
}

function hash(s: string): string {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** IOS short names with a space, as IOS CDP prints them: `Gig 1/0/49`, `Eth 1/11`. */
function cdpPort(p: string): string {
  return p.replace(/^GigabitEthernet/, 'Gig ').replace(/^Ethernet/, 'Eth ').replace(/^TenGigabitEthernet/, 'Ten ');
}

/** `show lldp neighbors` (nxos: cisco_nxos_show_lldp_neighbors.raw; iosxe: cisco_ios_show_lldp_neighbors.raw), the detail form with `detail`. */
export function showLldpNeighbors(d: LabDevice, fabric: Fabric | undefined, detail: boolean): string[] {
  const ns = fabric?.neighbors(d) ?? [];
  if (detail) return d.platform === 'nxos' ? nxosLldpDetail(ns.map((n) => n.far), ns.map((n) => n.local)) : iosLldpDetail(ns.map((n) => n.far), ns.map((n) => n.local));
  if (d.platform === 'nxos') {
    const out = ['Capability codes:', '  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device', '  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other', 'Device ID            Local Intf      Hold-time  Capability  Port ID  '];
    for (const n of ns) {
      const rest = `${pad(shortPort(n.local), 16)}${pad(120, 11)}${pad(identity(n.far.device).lldpCaps.join(''), 12)}${lldpPortId(n.far)}`;
      const name = n.far.device.hostname;
      // A device id of 20 characters or more stands alone; its row continues below, at the Local Intf column.
      if (name.length < 21) out.push(`${pad(name, 21)}${rest}`);
      else out.push(name, `${' '.repeat(21)}${rest}`);
    }
    out.push(`Total entries displayed: ${ns.length}`);
    return out;
  }
  const out = ['Capability codes:', '    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device', '    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other', '', 'Device ID           Local Intf     Hold-time  Capability      Port ID'];
  for (const n of ns) out.push(`${pad(n.far.device.hostname.slice(0, 20), 20)}${pad(shortPort(n.local), 15)}${pad(120, 11)}${pad(identity(n.far.device).lldpCaps.join(','), 16)}${lldpPortId(n.far)}`);
  out.push('', `Total entries displayed: ${ns.length}`);
  return out;
}

/** NX-OS detail form (genieparser nxos/ShowLldpNeighborsDetail golden_output1, without the capture's indentation). */
function nxosLldpDetail(fars: CableEnd[], locals: string[]): string[] {
  const out = ['Capability codes:', '  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device', '  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other', 'Device ID            Local Intf      Hold-time  Capability  Port ID  ', ''];
  fars.forEach((far, i) => {
    const id = identity(far.device);
    out.push(
      `Chassis id: ${dotted(deviceMac(far.device))}`,
      `Port id: ${lldpPortId(far)}`,
      `Local Port id: ${shortPort(locals[i]!)}`,
      `Port Description: ${far.port}`,
      `System Name: ${far.device.hostname}`,
      `System Description: ${id.version}`,
      'Time remaining: 114 seconds',
      `System Capabilities: ${id.lldpCaps.join(', ')}`,
      `Enabled Capabilities: ${id.lldpCaps.join(', ')}`,
      `Management Address: ${id.mgmt}`,
      'Management Address IPV6: not advertised',
      'Vlan ID: not advertised',
      '',
    );
  });
  out.push(`Total entries displayed: ${fars.length}`);
  return out;
}

/** IOS-XE detail form (ntc-templates cisco_ios_show_lldp_neighbors_detail1.raw). */
function iosLldpDetail(fars: CableEnd[], locals: string[]): string[] {
  const out: string[] = [];
  fars.forEach((far, i) => {
    const id = identity(far.device);
    out.push(
      '------------------------------------------------',
      `Local Intf: ${shortPort(locals[i]!)}`,
      `Chassis id: ${dotted(deviceMac(far.device))}`,
      `Port id: ${lldpPortId(far)}`,
      `Port Description: ${far.port}`,
      `System Name: ${far.device.hostname}`,
      '',
      'System Description:',
      id.version,
      '',
      'Time remaining: 91 seconds',
      `System Capabilities: ${id.lldpCaps.join(',')}`,
      `Enabled Capabilities: ${id.lldpCaps.join(',')}`,
      'Management Addresses:',
      `    IP: ${id.mgmt}`,
      'Auto Negotiation - not supported',
      'Physical media capabilities - not advertised',
      'Media Attachment Unit type - not advertised',
      'Vlan ID: - not advertised',
      '',
    );
  });
  out.push('', `Total entries displayed: ${fars.length}`);
  return out;
}

const dotted = (mac: string[]) => `${mac[0]}${mac[1]}.${mac[2]}${mac[3]}.${mac[4]}${mac[5]}`;

/** `show cdp neighbors` (nxos: cisco_nxos_show_cdp_neighbors.raw; iosxe: cisco_ios_show_cdp_neighbors.raw), the detail form with `detail`. */
export function showCdpNeighbors(d: LabDevice, fabric: Fabric | undefined, detail: boolean): string[] {
  const ns = fabric?.neighbors(d) ?? [];
  if (detail) {
    const out: string[] = [];
    for (const n of ns) {
      const id = identity(n.far.device);
      const devId = n.far.device.platform === 'nxos' ? `${n.far.device.hostname}(${id.serial})` : n.far.device.hostname;
      if (d.platform === 'nxos') {
        out.push(
          '----------------------------------------',
          `Device ID:${devId}`,
          `System Name: ${n.far.device.hostname}`,
          '',
          'Interface address(es):',
          `    IPv4 Address: ${id.mgmt}`,
          `Platform: ${id.platform}, Capabilities: ${cdpCapWords(id.cdpCaps)}`,
          `Interface: ${n.local}, Port ID (outgoing port): ${n.far.port}`,
          'Holdtime: 128 sec',
          '',
          'Version:',
          id.version,
          '',
          'Advertisement Version: 2',
          'Duplex: full',
          '',
          'Mgmt address(es):',
          `    IPv4 Address: ${id.mgmt}`,
          '',
        );
      } else {
        out.push(
          '-------------------------',
          `Device ID: ${devId}`,
          'Entry address(es): ',
          `  IP address: ${id.mgmt}`,
          `Platform: ${id.platform},  Capabilities: ${cdpCapWords(id.cdpCaps)}`,
          `Interface: ${n.local},  Port ID (outgoing port): ${n.far.port}`,
          'Holdtime : 133 sec',
          '',
          'Version :',
          id.version,
          '',
          'advertisement version: 2',
          'Duplex: full',
          'Management address(es): ',
          `  IP address: ${id.mgmt}`,
          '',
        );
      }
    }
    out.push('', `Total cdp entries displayed : ${ns.length}`);
    return out;
  }
  if (d.platform === 'nxos') {
    const out = [
      'Capability Codes: R - Router, T - Trans-Bridge, B - Source-Route-Bridge',
      '                  S - Switch, H - Host, I - IGMP, r - Repeater,',
      '                  V - VoIP-Phone, D - Remotely-Managed-Device,',
      '                  s - Supports-STP-Dispute',
      '',
      'Device-ID          Local Intrfce  Hldtme Capability  Platform      Port ID',
    ];
    for (const n of ns) {
      const id = identity(n.far.device);
      const devId = n.far.device.platform === 'nxos' ? `${n.far.device.hostname}(${id.serial})` : n.far.device.hostname;
      const platform = id.platform.replace(/^cisco /, '');
      // NX-OS widens the platform column for a longer model rather than cut it.
      const rest = `${pad(shortPort(n.local), 15)}${pad(133, 7)}${pad(id.cdpCaps, 12)}${pad(platform, Math.max(14, platform.length + 1))}${shortPort(n.far.port)}`;
      // An id wider than its column stands alone; the row continues below, indented to Local Intrfce.
      if (devId.length < 20) out.push(`${pad(devId, 20)}${rest}`);
      else out.push(devId, `${' '.repeat(20)}${rest}`);
    }
    out.push('', `Total entries displayed: ${ns.length}`, '');
    return out;
  }
  const out = [
    'Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge',
    '                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone, ',
    '                  D - Remote, C - CVTA, M - Two-port Mac Relay ',
    '',
    'Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID',
  ];
  for (const n of ns) {
    const id = identity(n.far.device);
    const devId = n.far.device.platform === 'nxos' ? `${n.far.device.hostname}(${id.serial})` : n.far.device.hostname;
    const rest = `${pad(cdpPort(n.local), 18)}${pad(133, 11)}${pad(id.cdpCaps, 12)}${pad(id.platform.replace(/^cisco /, '').slice(0, 9), 10)}${cdpPort(n.far.port)}`;
    if (devId.length < 17) out.push(`${pad(devId, 17)}${rest}`);
    else out.push(devId, `${' '.repeat(17)}${rest}`);
  }
  out.push('', `Total cdp entries displayed : ${ns.length}`);
  return out;
}

function cdpCapWords(caps: string): string {
  const words: Record<string, string> = { R: 'Router', S: 'Switch', I: 'IGMP', s: 'Supports-STP-Dispute' };
  return caps.split(' ').map((c) => words[c] ?? c).join(' ');
}

/** `show system mode` (modelled on Cisco's GIR configuration guides: NX-OS 9000 and Catalyst 9000). */
export function showSystemMode(d: LabDevice): string[] {
  const maint = d.systemMode === 'maintenance';
  if (d.platform === 'nxos') return [`System Mode: ${maint ? 'Maintenance' : 'Normal'}`];
  return maint ? ['System Mode: Maintenance', 'Current Maintenance Template: default', 'Maintenance Duration: 0(mins)', 'Failsafe Timeout: 30(mins)'] : ['System Mode: Normal'];
}

