import { nxosVersion, renderConfigBody } from '../config-render';
import type { LabDevice } from '../device';
import type { RedundancyState } from '../types';
import { ciscoUpDown, hhmmss, iosDate, iosUptime, lpad, nxosDate, nxosUptime, pad, shortInterface, widthOf } from './format';

/** Outputs of the `show`-like commands, one function per command, in each platform's format. */

export function showVersion(d: LabDevice): string[] {
  const up = d.uptimeMs;
  if (d.platform === 'iosxe') {
    return [
      `Cisco IOS XE Software, Version ${d.version}`,
      // The IOS line names the same release without the zero padding, under the train's name.
      `Cisco IOS Software [${iosxeTrain(d.version)}], Catalyst L3 Switch Software (CAT9K_IOSXE), Version ${unpadded(d.version)}, RELEASE SOFTWARE (fc1)`,
      'Technical Support: http://www.cisco.com/techsupport',
      'Copyright (c) 1986-2026 by Cisco Systems, Inc.',
      '',
      'ROM: IOS-XE ROMMON',
      `BOOTLDR: System Bootstrap, Version ${d.version.split('.').slice(0, 2).join('.')}, RELEASE SOFTWARE (P)`,
      '',
      `${d.hostname} uptime is ${iosUptime(up)}`,
      `Uptime for this control processor is ${iosUptime(up)}`,
      'System returned to ROM by Reload Command',
      `System image file is "${d.runningImage}"`,
      'Last reload reason: Reload Command',
      '',
      'cisco C9300-48P (X86) processor with 1338934K/6147K bytes of memory.',
      `Processor board ID LAB${hashId(d.name)}`,
      `${Math.floor(d.flash.totalBytes / 1024)}K bytes of Flash at flash:.`,
      '',
      'Configuration register is 0x102',
    ];
  }
  if (d.platform === 'nxos') {
    const file = d.runningImage.replace(/^bootflash:/, 'bootflash:///');
    return [
      'Cisco Nexus Operating System (NX-OS) Software',
      'TAC support: http://www.cisco.com/tac',
      'Copyright (C) 2002-2026, Cisco and/or its affiliates.',
      'All rights reserved.',
      '',
      'Software',
      '  BIOS: version 05.47',
      `  NXOS: version ${nxosVersion(d.version)}`,
      '  BIOS compile time:  04/28/2022',
      `  NXOS image file is: ${file}`,
      '  NXOS compile time:  1/1/2026 12:00:00 [01/01/2026 12:00:00]',
      '',
      'Hardware',
      '  cisco Nexus9000 C93180YC-FX Chassis',
      `  Device name: ${d.hostname}`,
      `  bootflash:   ${Math.floor(d.flash.totalBytes / 1024)} kB`,
      '',
      `Kernel uptime is ${nxosUptime(up)}`,
      '',
      'Last reset',
      '  Reason: Reset Requested by CLI command reload',
    ];
  }
  return [
    `FRRouting ${d.version} (${d.hostname}) on Linux(5.15.0-lab).`,
    'Copyright 1996-2005 Kunihiro Ishiguro, et al.',
    'configured with:',
    "    '--prefix=/usr' '--sysconfdir=/etc' '--enable-vrrpd' '--enable-bgpd'",
  ];
}

/** `17.09.04a` -> `17.9.4a`. */
const unpadded = (v: string) => v.split('.').map((p) => p.replace(/^0+(?=\d)/, '')).join('.');

/** The release train IOS-XE names in its IOS line; releases from 17.13 on print `IOSXE`. */
function iosxeTrain(v: string): string {
  const trains: Record<string, string> = { '16.9': 'Fuji', '16.12': 'Gibraltar', '17.3': 'Amsterdam', '17.6': 'Bengaluru', '17.9': 'Cupertino', '17.12': 'Dublin' };
  return trains[unpadded(v).split('.').slice(0, 2).join('.')] ?? 'IOSXE';
}

function hashId(s: string): string {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).toUpperCase().padStart(8, '0');
}

export function showRunning(d: LabDevice, which: 'running' | 'startup'): string[] {
  const cfg = which === 'running' ? d.running : d.startup;
  const body = renderConfigBody(d.platform, cfg, d.version);
  if (d.platform === 'iosxe') {
    const bytes = body.join('\n').length + 1;
    const head = which === 'running' ? ['Building configuration...', '', `Current configuration : ${bytes} bytes`] : [`Using ${bytes} out of 2097152 bytes`];
    const change = d.lastConfigChange ? [`! Last configuration change at ${iosDate(d.lastConfigChange)} UTC by admin`] : [];
    return [...head, '!', ...change, '!', ...body];
  }
  if (d.platform === 'nxos') {
    const title = which === 'running' ? 'show running-config' : 'show startup-config';
    return ['', `!Command: ${title}`, `!Time: ${nxosDate(new Date())}`, '', ...body, ''];
  }
  return ['Building configuration...', '', 'Current configuration:', '!', ...body];
}

export function showIpInterfaceBrief(d: LabDevice): string[] {
  const ifs = d.running.interfaces;
  if (d.platform === 'iosxe') {
    const w = widthOf(ifs.map((i) => i.name), 23);
    const out = [`${pad('Interface', w)}${pad('IP-Address', 16)}OK? Method Status                Protocol`];
    for (const i of ifs) {
      const status = i.shutdown ? 'administratively down' : 'up';
      out.push(`${pad(i.name, w)}${pad(i.address?.split('/')[0] ?? 'unassigned', 16)}YES ${pad(i.address ? 'NVRAM' : 'unset', 7)}${pad(status, 22)}${i.shutdown ? 'down' : 'up'}`);
    }
    return out;
  }
  if (d.platform === 'nxos') {
    const w = widthOf(ifs.map((i) => i.name), 21);
    const out = ['IP Interface Status for VRF "default"(1)', `${pad('Interface', w)}${pad('IP Address', 16)}Interface Status`];
    for (const i of ifs.filter((x) => x.address)) {
      const st = i.shutdown ? 'protocol-down/link-down/admin-down' : 'protocol-up/link-up/admin-up';
      out.push(`${pad(i.name, w)}${pad(i.address!.split('/')[0]!, 16)}${st}`);
    }
    return out;
  }
  const w = widthOf(ifs.map((i) => i.name), 16);
  const out = [`${pad('Interface', w)}Status  VRF             Addresses`, `${pad('---------', w)}------  ---             ---------`];
  for (const i of ifs) out.push(`${pad(i.name, w)}${pad(i.shutdown ? 'down' : 'up', 8)}${pad('default', 16)}${i.address ?? ''}`);
  return out;
}

export function showBgpSummary(d: LabDevice): string[] {
  const bgp = d.running.bgp;
  if (!bgp) return d.platform === 'nxos' ? ['BGP instance not configured'] : d.platform === 'frr' ? ['% BGP instance not found'] : ['% BGP not active'];
  if (d.platform === 'frr' && bgp.neighbors.length === 0) return ['% No BGP neighbors found in VRF default'];
  const rid = bgp.routerId ?? d.running.interfaces.find((i) => i.address)?.address?.split('/')[0] ?? '0.0.0.0';
  const n = bgp.neighbors;
  if (d.platform === 'iosxe') {
    const up = ciscoUpDown(d.uptimeMs);
    return [
      `BGP router identifier ${rid}, local AS number ${bgp.asn}`,
      'BGP table version is 5, main routing table version 5',
      `${n.length * 3} network entries using ${n.length * 744} bytes of memory`,
      '',
      'Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd',
      // A neighbour wider than its column (IPv6) stands alone; the row continues below, aligned.
      ...n.flatMap((x) => wrapAfter(x.ip, 16, `4 ${lpad(x.remoteAs, 12)} ${lpad(120, 7)} ${lpad(118, 7)} ${lpad(5, 8)} ${lpad(0, 4)} ${lpad(0, 4)} ${pad(up, 8)} ${lpad(3, 12)}`)),
    ];
  }
  if (d.platform === 'nxos') {
    const up = ciscoUpDown(d.uptimeMs);
    const counters = `${lpad(120, 7)} ${lpad(118, 7)} ${lpad(5, 8)} ${lpad(0, 4)} ${lpad(0, 4)} ${lpad(up, 8)} 3`;
    return [
      'BGP summary information for VRF default, address family IPv4 Unicast',
      `BGP router identifier ${rid}, local AS number ${bgp.asn}`,
      `BGP table version is 5, IPv4 Unicast config peers ${n.length}, capable peers ${n.length}`,
      `${n.length * 3} network entries and ${n.length * 3} paths using ${n.length * 432} bytes of memory`,
      '',
      'Neighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd',
      // NX-OS wraps twice over: a neighbour wider than 15 stands alone, and a 4-byte AS wider
      // than its 5 columns ends the line, the counters continuing below at their own columns.
      ...n.flatMap((x) => {
        const as = String(x.remoteAs);
        const rest = as.length > 5 ? [`4 ${as}`, `${' '.repeat(24)}${counters}`] : [`4 ${lpad(as, 5)} ${counters}`];
        return [...wrapAfter(x.ip, 16, rest[0]!), ...rest.slice(1)];
      }),
    ];
  }
  const up = hhmmss(d.uptimeMs);
  return [
    'IPv4 Unicast Summary (VRF default):',
    `BGP router identifier ${rid}, local AS number ${bgp.asn} vrf-id 0`,
    'BGP table version 5',
    `Peers ${n.length}, using ${n.length * 724} KiB of memory`,
    '',
    'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
    ...n.map((x) => `${pad(x.ip, 16)}4 ${lpad(x.remoteAs, 10)} ${lpad(120, 9)} ${lpad(118, 9)} ${lpad(5, 8)} ${lpad(0, 4)} ${lpad(0, 4)} ${lpad(up, 8)} ${lpad(3, 12)} ${lpad(5, 8)} N/A`),
    '',
    `Total number of neighbors ${n.length}`,
  ];
}

/** `label` padded to `width` then `rest`; a label that does not fit stands alone and `rest` goes below, at the same column. */
function wrapAfter(label: string, width: number, rest: string): string[] {
  return label.length < width ? [`${pad(label, width)}${rest}`] : [label, `${' '.repeat(width)}${rest}`];
}

interface PeerView {
  state: RedundancyState;
  activeAddr: string;
  standbyAddr: string;
}

/** Who the device believes is active/standby, as addresses ('local' for itself). */
function peerView(d: LabDevice, peers: LabDevice[]): PeerView {
  const state = d.redundancyState;
  const addr = (x: LabDevice | undefined) => (x ? (x === d ? 'local' : (x.redundancyInterface()?.address?.split('/')[0] ?? 'unknown')) : 'unknown');
  const active = peers.find((p) => p.redundancyState === 'active');
  const standby = peers.find((p) => p.redundancyState === 'standby');
  return { state, activeAddr: addr(active), standbyAddr: addr(standby) };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const hsrpState = (s: RedundancyState) => (s === 'listen' ? 'Listen' : s === 'init' ? 'Init' : cap(s));

export function showStandbyBrief(d: LabDevice, peers: LabDevice[]): string[] {
  const i = d.redundancyInterface();
  const out = ['                     P indicates configured to preempt.', '                     |', 'Interface   Grp  Pri P State   Active          Standby         Virtual IP'];
  if (!i?.redundancy) return out;
  const r = i.redundancy;
  const v = peerView(d, peers);
  // An interface name that fills its column stands alone; a standby address too wide for its
  // column (IPv6) pushes the virtual IP onto the next line, under its header.
  const name = shortInterface(i.name);
  const cols = `${pad(r.group, 5)}${lpad(r.priority, 3)} ${r.preempt ? 'P' : ' '} ${pad(hsrpState(v.state), 8)}${pad(v.activeAddr, 16)}`;
  const vip = r.virtualIp ?? 'unknown';
  const row = v.standbyAddr.length < 16 ? [`${cols}${pad(v.standbyAddr, 16)}${vip}`] : [`${cols}${v.standbyAddr}`, `${' '.repeat(63 - 12)}${vip}`];
  if (name.length < 12) out.push(`${pad(name, 12)}${row[0]}`, ...row.slice(1).map((l) => `${' '.repeat(12)}${l}`));
  else out.push(name, ...row.map((l) => `${' '.repeat(12)}${l}`));
  return out;
}

export function showHsrpBrief(d: LabDevice, peers: LabDevice[]): string[] {
  const i = d.redundancyInterface();
  const out = ['*:IPv6 group   #:group belongs to a bundle', '                     P indicates configured to preempt.', '                     |', ' Interface   Grp  Prio P State    Active addr      Standby addr     Group addr'];
  if (!i?.redundancy) return out;
  const r = i.redundancy;
  const v = peerView(d, peers);
  out.push(`  ${pad(i.name, 11)}${pad(r.group, 5)}${pad(r.priority, 5)}${r.preempt ? 'P' : ' '} ${pad(hsrpState(v.state), 9)}${pad(v.activeAddr, 17)}${pad(v.standbyAddr, 17)}${pad(r.virtualIp ?? 'unknown', 16)}(conf)`);
  return out;
}

/** Name of the macvlan that carries a VRRP group's virtual MAC (what the operator creates for vrrpd). */
export function vrrpInterfaceName(i: { name: string }, group: number): string {
  return `vrrp4-${i.name}-${group}`.slice(0, 15);
}

/** FRR `show vrrp`: one block per virtual router, in the layout and order FRR 8.4 prints (test/fixtures/outputs/frr/show-vrrp). */
export function showVrrp(d: LabDevice): string[] {
  const i = d.redundancyInterface();
  if (!i?.redundancy) return [];
  const r = i.redundancy;
  const st = d.redundancyState === 'active' ? 'Master' : d.redundancyState === 'init' ? 'Initialize' : 'Backup';
  const master = st === 'Master';
  const row = (k: string, v: string | number) => ` ${pad(k, 40)}${pad(v, 20)}`;
  const vmac = (family: number) => `00:00:5e:00:0${family}:${r.group.toString(16).padStart(2, '0')}`;
  return [
    '',
    row('Virtual Router ID', r.group),
    row('Protocol Version', 3),
    row('Autoconfigured', 'No'),
    row('Shutdown', i.shutdown ? 'Yes' : 'No'),
    row('Interface', i.name),
    row('VRRP interface (v4)', vrrpInterfaceName(i, r.group)),
    row('VRRP interface (v6)', 'None'),
    row('Primary IP (v4)', i.address?.split('/')[0] ?? ''),
    row('Primary IP (v6)', '::'),
    row('Virtual MAC (v4)', vmac(1)),
    row('Virtual MAC (v6)', vmac(2)),
    row('Status (v4)', st),
    row('Status (v6)', 'Initialize'),
    row('Priority', r.priority),
    row('Effective Priority (v4)', r.priority),
    row('Effective Priority (v6)', r.priority),
    row('Preempt Mode', r.preempt ? 'Yes' : 'No'),
    row('Accept Mode', 'Yes'),
    row('Advertisement Interval', '1000 ms'),
    row('Master Advertisement Interval (v4) Rx', master ? '0 ms (stale)' : '1000 ms'),
    row('Master Advertisement Interval (v6) Rx', '0 ms (stale)'),
    row('Advertisements Tx (v4)', master ? 10 : 0),
    row('Advertisements Tx (v6)', 0),
    row('Advertisements Rx (v4)', master ? 0 : 10),
    row('Advertisements Rx (v6)', 0),
    row('Gratuitous ARP Tx (v4)', master ? 1 : 0),
    row('Neigh. Adverts Tx (v6)', 0),
    row('State transitions (v4)', master ? 2 : 1),
    row('State transitions (v6)', 0),
    row('Skew Time (v4)', `${Math.floor(((256 - r.priority) * 1000) / 256)} ms`),
    row('Skew Time (v6)', '0 ms'),
    row('Master Down Interval (v4)', `${3000 + Math.floor(((256 - r.priority) * 1000) / 256)} ms`),
    row('Master Down Interval (v6)', '0 ms'),
    row('IPv4 Addresses', r.virtualIp ? 1 : 0),
    ...(r.virtualIp ? [` ${pad('..................................', 40)}${pad(r.virtualIp, 20)}`] : []),
    row('IPv6 Addresses', 0),
    '',
  ];
}

/**
 * FRR `show interface json` (zebra), the fields netops reads: administrative
 * and operational state, addresses, and protodown, which vrrpd sets on the
 * macvlan of every group this device is not master of.
 */
export function showInterfaceJson(d: LabDevice): string[] {
  const out: Record<string, unknown> = {};
  const entry = (admin: boolean, oper: boolean, addresses: string[], extra: Record<string, unknown> = {}) => ({
    administrativeStatus: admin ? 'up' : 'down',
    operationalStatus: oper ? 'up' : 'down',
    vrfName: 'default',
    ipAddresses: addresses.map((address) => ({ address, secondary: false, unnumbered: false })),
    protodown: 'off',
    ...extra,
  });
  for (const i of d.running.interfaces) {
    out[i.name] = entry(!i.shutdown, !i.shutdown, i.address ? [i.address] : [], { interfaceType: 'Ethernet' });
    const r = i.redundancy;
    if (r?.virtualIp) {
      const held = d.redundancyState !== 'active';
      const prefix = i.address?.split('/')[1] ?? '24';
      out[vrrpInterfaceName(i, r.group)] = entry(!i.shutdown, !i.shutdown && !held, [`${r.virtualIp}/${prefix}`], {
        interfaceType: 'macvlan',
        protodown: held ? 'on' : 'off',
        ...(held ? { protodownReason: '(vrrp)' } : {}),
        parentInterface: i.name,
      });
    }
  }
  return JSON.stringify(out, null, 2).split('\n');
}

export function showVrrpSummary(d: LabDevice): string[] {
  const i = d.redundancyInterface();
  const out = [' Interface        VRID    Priority    IPv4    IPv6    State (v4)    State (v6)', ' ------------------------------------------------------------------------------'];
  if (!i?.redundancy) return out;
  const st = d.redundancyState === 'active' ? 'Master' : d.redundancyState === 'init' ? 'Initialize' : 'Backup';
  out.push(` ${pad(i.name, 17)}${pad(i.redundancy.group, 8)}${pad(i.redundancy.priority, 12)}${pad(i.redundancy.virtualIp ? 1 : 0, 8)}${pad(0, 8)}${pad(st, 14)}Initialize`);
  return out;
}

export function dir(d: LabDevice): string[] {
  const files = d.flash.list();
  const fs = d.flash.fsName;
  if (d.platform === 'nxos') {
    const w = widthOf(files.map((f) => f.size), 12);
    const out = files.map((f) => `${lpad(f.size, w)}    ${nxosDate(f.mtime)}  ${f.name}`);
    return [...out, '', `Usage for ${fs}//sup-local`, ` ${d.flash.usedBytes} bytes used`, ` ${d.flash.freeBytes} bytes free`, ` ${d.flash.totalBytes} bytes total`];
  }
  const w = widthOf(files.map((f) => f.size), 11);
  const out = [`Directory of ${fs}/`, ''];
  files.forEach((f, n) => out.push(`${lpad(n + 12, 7)}  -rw-${lpad(f.size, w)}  ${iosDate(f.mtime)} +00:00  ${f.name}`));
  out.push('', `${d.flash.totalBytes} bytes total (${d.flash.freeBytes} bytes free)`);
  return out;
}

export function showBoot(d: LabDevice): string[] {
  const cur = d.running.boot;
  const next = d.bootVariable;
  if (d.platform === 'nxos') {
    const v = (b: string[]) => (b[0] ? `NXOS variable = ${b[0].replace(/^bootflash:\/*/, 'bootflash:/')}` : 'NXOS variable not set');
    return ['', 'Current Boot Variables:', '', 'sup-1', v(cur), 'No module boot variable set', '', 'Boot Variables on next reload:', '', 'sup-1', v(next), 'No module boot variable set', ''];
  }
  const v = (b: string[]) => `BOOT variable = ${b.map((x) => `${x};`).join('')}`;
  return ['---------------------------', 'Switch 1', '---------------------------', 'Current Boot Variables:', v(cur), '', 'Boot Variables on next reload:', v(next), 'Manual Boot = no', 'Enable Break = no', 'Boot Mode = DEVICE', 'iPXE Timeout = 0'];
}

export function showClock(d: LabDevice): string[] {
  const now = new Date();
  if (d.platform === 'nxos') return [`${now.toISOString().slice(11, 23)} UTC ${now.toUTCString().slice(0, 16)}`, 'Time source is NTP'];
  return [`*${now.toISOString().slice(11, 23)} UTC ${now.toUTCString().slice(0, 16)}`];
}
