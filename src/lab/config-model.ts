import type { LabPlatform } from './types';

/** HSRP (iosxe/nxos) or VRRP (frr) settings of one group on one interface. */
export interface RedundancyConfig {
  group: number;
  priority: number;
  preempt: boolean;
  /** `preempt delay minimum S`, in configured seconds. */
  preemptDelaySec: number;
  virtualIp?: string;
}

export interface InterfaceConfig {
  name: string;
  description?: string;
  /** 'A.B.C.D/len' */
  address?: string;
  shutdown: boolean;
  redundancy?: RedundancyConfig;
}

export interface BgpConfig {
  asn: number;
  routerId?: string;
  neighbors: Array<{ ip: string; remoteAs: number }>;
  /** FRR `bgp graceful-shutdown`: routes advertised with the GSHUT community, so peers move traffic away first. */
  gracefulShutdown?: boolean;
}

/** The part of a device configuration the lab models; other lines are rejected like unknown commands. */
export interface DeviceConfig {
  hostname: string;
  interfaces: InterfaceConfig[];
  /** Images in boot order, as typed (e.g. 'flash:cat9k_iosxe.17.12.04.SPA.bin'). */
  boot: string[];
  bgp?: BgpConfig;
  /** NX-OS `feature x` lines. */
  features: string[];
}

export function cloneConfig(c: DeviceConfig): DeviceConfig {
  return structuredClone(c);
}

export function configsEqual(a: DeviceConfig, b: DeviceConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function emptyConfig(hostname: string, platform: LabPlatform): DeviceConfig {
  return { hostname, interfaces: [], boot: [], features: platform === 'nxos' ? [] : [] };
}

export function findInterface(c: DeviceConfig, name: string): InterfaceConfig | undefined {
  const key = canonicalInterface(name).toLowerCase();
  return c.interfaces.find((i) => i.name.toLowerCase() === key);
}

/** Expands common abbreviations (`vl10`, `gi1/0/1`, `eth1/1`) like the real parsers do. */
export function canonicalInterface(name: string): string {
  const m = /^([a-z-]+)\s*([\d/.]+)$/i.exec(name.trim());
  if (!m) return name.trim();
  const [, kind, num] = m;
  const k = kind!.toLowerCase();
  const table: Array<[string, string]> = [
    ['vlan', 'Vlan'],
    ['gigabitethernet', 'GigabitEthernet'],
    ['tengigabitethernet', 'TenGigabitEthernet'],
    ['ethernet', 'Ethernet'],
    ['loopback', 'Loopback'],
    ['port-channel', 'port-channel'],
    ['eth', 'eth'],
    ['lo', 'lo'],
  ];
  if (k === 'eth' && num!.includes('/')) return `Ethernet${num}`;
  const exact = table.find(([full]) => full === k);
  if (exact) return `${exact[1]}${num}`;
  for (const [full, pretty] of table) {
    if (full.startsWith(k) && k.length >= 2) return `${pretty}${num}`;
  }
  return name.trim();
}

export function maskToLength(mask: string): number | undefined {
  const parts = mask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  const bits = parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  if (!/^1*0*$/.test(bits)) return undefined;
  return bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
}

export function lengthToMask(len: number): string {
  const bits = '1'.repeat(len).padEnd(32, '0');
  return [0, 8, 16, 24].map((i) => parseInt(bits.slice(i, i + 8), 2)).join('.');
}

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
