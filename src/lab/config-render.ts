import { type ConfigContext, applyConfigLine } from './config-apply';
import { type DeviceConfig, emptyConfig, lengthToMask } from './config-model';
import type { LabPlatform } from './types';

/** The configuration as the platform prints it in `show running-config` (body only, no header). */
export function renderConfigBody(p: LabPlatform, c: DeviceConfig, version: string): string[] {
  switch (p) {
    case 'iosxe':
      return renderIosxe(c, version);
    case 'nxos':
      return renderNxos(c, version);
    case 'frr':
      return renderFrr(c, version);
  }
}

function renderIosxe(c: DeviceConfig, version: string): string[] {
  const out = [`version ${version.split('.').slice(0, 2).join('.')}`, 'service timestamps debug datetime msec', 'service timestamps log datetime msec', '!', `hostname ${c.hostname}`, '!'];
  for (const b of c.boot) out.push(`boot system ${b}`);
  if (c.boot.length) out.push('!');
  out.push('username admin privilege 15 secret 9 $9$labhash', '!');
  for (const i of c.interfaces) {
    out.push(`interface ${i.name}`);
    if (i.description) out.push(` description ${i.description}`);
    if (i.address) {
      const [a, len] = i.address.split('/');
      out.push(` ip address ${a} ${lengthToMask(Number(len))}`);
    } else out.push(' no ip address');
    const r = i.redundancy;
    if (r) {
      if (r.virtualIp) out.push(` standby ${r.group} ip ${r.virtualIp}`);
      if (r.priority !== 100) out.push(` standby ${r.group} priority ${r.priority}`);
      if (r.preempt) out.push(` standby ${r.group} preempt${r.preemptDelaySec ? ` delay minimum ${r.preemptDelaySec}` : ''}`);
    }
    if (i.shutdown) out.push(' shutdown');
    out.push('!');
  }
  if (c.bgp) {
    out.push(`router bgp ${c.bgp.asn}`);
    if (c.bgp.routerId) out.push(` bgp router-id ${c.bgp.routerId}`);
    for (const n of c.bgp.neighbors) out.push(` neighbor ${n.ip} remote-as ${n.remoteAs}`);
    out.push('!');
  }
  out.push('line vty 0 15', ' login local', ' transport input ssh', '!', 'end');
  return out;
}

function renderNxos(c: DeviceConfig, version: string): string[] {
  const out = [`version ${nxosVersion(version)} Bios:version 05.47`, `hostname ${c.hostname}`];
  for (const f of c.features) out.push(`feature ${f}`);
  out.push('', 'username admin password 5 $5$labhash role network-admin', '');
  for (const b of c.boot) out.push(`boot nxos ${b}`);
  for (const i of c.interfaces) {
    out.push('', `interface ${i.name}`);
    if (i.description) out.push(`  description ${i.description}`);
    out.push(i.shutdown ? '  shutdown' : '  no shutdown');
    if (i.address) out.push(`  ip address ${i.address}`);
    const r = i.redundancy;
    if (r) {
      out.push(`  hsrp ${r.group}`);
      if (r.preempt) out.push(`    preempt${r.preemptDelaySec ? ` delay minimum ${r.preemptDelaySec}` : ''}`);
      if (r.priority !== 100) out.push(`    priority ${r.priority}`);
      if (r.virtualIp) out.push(`    ip ${r.virtualIp}`);
    }
  }
  if (c.bgp) {
    out.push('', `router bgp ${c.bgp.asn}`);
    if (c.bgp.routerId) out.push(`  bgp router-id ${c.bgp.routerId}`);
    for (const n of c.bgp.neighbors) out.push(`  neighbor ${n.ip} remote-as ${n.remoteAs}`);
  }
  return out;
}

function renderFrr(c: DeviceConfig, version: string): string[] {
  // As FRR 8.4 prints it: settings at their default (VRRP version 3, priority 100, preempt) are left out.
  const out = [`frr version ${version}`, 'frr defaults traditional', `hostname ${c.hostname}`, 'no ip forwarding', 'no ipv6 forwarding', 'service integrated-vtysh-config', '!'];
  for (const i of c.interfaces) {
    out.push(`interface ${i.name}`);
    if (i.description) out.push(` description ${i.description}`);
    if (i.address) out.push(` ip address ${i.address}`);
    const r = i.redundancy;
    if (r) {
      out.push(` vrrp ${r.group}`);
      if (r.priority !== 100) out.push(` vrrp ${r.group} priority ${r.priority}`);
      if (!r.preempt) out.push(` no vrrp ${r.group} preempt`);
      if (r.virtualIp) out.push(` vrrp ${r.group} ip ${r.virtualIp}`);
    }
    if (i.shutdown) out.push(' shutdown');
    out.push('exit', '!');
  }
  if (c.bgp) {
    out.push(`router bgp ${c.bgp.asn}`);
    if (c.bgp.routerId) out.push(` bgp router-id ${c.bgp.routerId}`);
    if (c.bgp.gracefulShutdown) out.push(' bgp graceful-shutdown');
    for (const n of c.bgp.neighbors) out.push(` neighbor ${n.ip} remote-as ${n.remoteAs}`);
    out.push('exit', '!');
  }
  out.push('end');
  return out;
}

/** NX-OS prints '10.4.3' as '10.4(3)'. */
export function nxosVersion(v: string): string {
  const m = /^(\d+)\.(\d+)\.(\w+)$/.exec(v);
  return m ? `${m[1]}.${m[2]}(${m[3]})` : v;
}

/** Lines that are part of a saved file but not configuration (headers, comments). */
function isNoise(line: string): boolean {
  const t = line.trim();
  return (
    t === '' ||
    t.startsWith('!') ||
    t === 'end' ||
    /^(Building configuration|Current configuration|version |frr version|frr defaults|service |username |line vty|login local|transport input|Bios|no ip address$|no ip(v6)? forwarding$)/.test(t) ||
    /^(login |transport )/.test(t)
  );
}

/**
 * Parses a whole configuration text (as `show running-config` prints it, or
 * a file an operator uploaded) into a fresh config: the path behind
 * `configure replace` and `rollback running-config`. Indented lines belong to
 * the block above them. Returns the first line the device would reject.
 */
export function parseConfigText(p: LabPlatform, text: string, fallbackHostname: string): { config: DeviceConfig } | { error: string; line: number } {
  const config = emptyConfig(fallbackHostname, p);
  const lines = text.split(/\r?\n/);
  let ctx: ConfigContext = { mode: 'config' };
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    if (isNoise(raw)) continue;
    const indent = raw.length - raw.trimStart().length;
    if (raw.trim() === 'exit' && p === 'frr') {
      ctx = { mode: 'config' };
      continue;
    }
    if (indent === 0) ctx = { mode: 'config' };
    else if (indent <= 2 && ctx.mode === 'if-hsrp') ctx = { mode: 'if', iface: ctx.iface };
    const r = applyConfigLine(p, config, ctx, raw.trim());
    if (!r.ok) return { error: raw.trim(), line: n + 1 };
    if (r.next !== 'exec') ctx = r.next;
  }
  return { config };
}
