import { seededRandom } from './rng';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { type DeviceConfig, emptyConfig } from './config-model';
import { LAB_PLATFORMS, type LabDeviceSpec, type LabFault, type LabPlatform, type LabTopology } from './types';

export interface GenerateOptions {
  devices?: number;
  pairs?: boolean;
  sites?: number;
  platformMix?: boolean;
  platform?: LabPlatform;
  /** Initial software: one version for devices of `platform`, or one per platform. */
  initialVersion?: string | Partial<Record<LabPlatform, string>>;
  /** Give this fraction (0..1) of devices one fault of `faultKinds`, chosen by a seeded RNG. */
  faultRate?: number;
  faultKinds?: LabFault['kind'][];
  seed?: number;
  /**
   * Give every NX-OS pair (a vPC domain) a downstream IOS-XE access switch
   * `sw<k>` whose port channel has one member on each peer; these come on
   * top of `devices` and have no redundancy group.
   */
  downstream?: boolean;
}

/**
 * A generated fleet: pairs `r<k>-a`/`r<k>-b` sharing group `<site>-g<k>`, or
 * singles `r<k>`. NX-OS pairs also form vPC domain `<k>`; with `downstream`
 * each has an access switch `sw<k>` dual-homed to it.
 */
export function generateTopology(o: GenerateOptions = {}): LabTopology {
  const total = o.devices ?? 4;
  const siteCount = Math.max(1, Math.min(o.sites ?? 1, total));
  const sites = Array.from({ length: siteCount }, (_, i) => `site${i + 1}`);
  const unit = o.pairs ? 2 : 1;
  const units = Math.ceil(total / unit);
  const devices: LabDeviceSpec[] = [];
  const rand = seededRandom(o.seed ?? 1);
  for (let k = 0; k < units; k++) {
    const site = sites[Math.floor((k * siteCount) / units)]!;
    const platform: LabPlatform = o.platformMix ? LAB_PLATFORMS[k % 3]! : (o.platform ?? 'iosxe');
    const members = Math.min(unit, total - k * unit);
    for (let m = 0; m < members; m++) {
      const name = o.pairs ? `r${k + 1}-${String.fromCharCode(97 + m)}` : `r${k + 1}`;
      const spec: LabDeviceSpec = { name, platform, site, tags: [platform, site] };
      if (o.pairs && members > 1) spec.redundancyGroup = `${site}-g${k + 1}`;
      const version = typeof o.initialVersion === 'string' ? (platform === (o.platform ?? 'iosxe') ? o.initialVersion : undefined) : o.initialVersion?.[platform];
      if (version) spec.version = version;
      if (o.faultRate && o.faultKinds?.length && rand() < o.faultRate) {
        const kind = o.faultKinds[Math.floor(rand() * o.faultKinds.length)]!;
        spec.faults = [kind === 'max-sessions' ? { kind, limit: 2 } : ({ kind } as LabFault)];
      }
      // NX-OS numbers domains 1-1000; large labs reuse them, as separate sites do.
      if (platform === 'nxos' && o.pairs && members > 1) spec.vpcDomain = (k % 1000) + 1;
      devices.push(spec);
    }
    if (o.downstream && platform === 'nxos' && o.pairs && members > 1) {
      devices.push({ name: `sw${k + 1}`, platform: 'iosxe', site, tags: ['iosxe', site, 'access'], uplinks: [`r${k + 1}-a`, `r${k + 1}-b`] });
    }
  }
  return { sites, devices };
}

const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auth-failure') }),
  z.object({ kind: z.literal('slow-banner'), delayMs: z.number().int().nonnegative().optional() }),
  z.object({ kind: z.literal('slow-command'), delayMs: z.number().int().nonnegative().optional(), match: z.string().optional() }),
  z.object({ kind: z.literal('hang-command'), match: z.string().optional() }),
  z.object({ kind: z.literal('drop-mid-command'), match: z.string().optional() }),
  z.object({ kind: z.literal('drop-mid-transfer'), afterBytes: z.number().int().nonnegative().optional() }),
  z.object({ kind: z.literal('corrupt-transfer') }),
  z.object({ kind: z.literal('max-sessions'), limit: z.number().int().positive() }),
  z.object({ kind: z.literal('reload-never-returns') }),
  z.object({ kind: z.literal('flapping'), periodMs: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('vpc-peer-link-down') }),
  z.object({ kind: z.literal('vpc-consistency-failure'), parameter: z.string().min(1).optional() }),
]);

const deviceSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, dot, dash, underscore'),
    platform: z.enum(LAB_PLATFORMS).default('iosxe'),
    site: z.string().min(1).default('site1'),
    redundancy_group: z.string().min(1).optional(),
    priority: z.number().int().min(1).max(255).optional(),
    version: z.string().min(1).optional(),
    tags: z.array(z.string()).optional(),
    faults: z.array(faultSchema).optional(),
    flash_bytes: z.number().int().positive().optional(),
    vpc_domain: z.number().int().min(1).max(1000).optional(),
    uplinks: z.tuple([z.string().min(1), z.string().min(1)]).optional(),
  })
  .strict();

const topologySchema = z
  .object({
    sites: z.array(z.string().min(1)).optional(),
    devices: z.array(deviceSchema).min(1),
  })
  .strict();

/**
 * Reads a topology YAML file:
 * ```yaml
 * sites: [dc1]
 * devices:
 *   - {name: r1-a, platform: nxos, site: dc1, redundancy_group: g1, priority: 110}
 *   - {name: r1-b, platform: nxos, site: dc1, redundancy_group: g1, faults: [{kind: slow-command, delayMs: 800}]}
 *   - {name: n1-a, platform: nxos, site: dc1, redundancy_group: g2, vpc_domain: 7}
 *   - {name: n1-b, platform: nxos, site: dc1, redundancy_group: g2, vpc_domain: 7}
 *   - {name: sw1, platform: iosxe, site: dc1, uplinks: [n1-a, n1-b]}
 * ```
 */
export function loadTopology(path: string): LabTopology {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read topology ${path}: ${(e as Error).message}`);
  }
  return parseTopology(raw, path);
}

export function parseTopology(raw: unknown, source = 'topology'): LabTopology {
  const r = topologySchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const names = new Set<string>();
  for (const d of r.data.devices) {
    if (names.has(d.name)) throw new Error(`${source}: device ${d.name} is listed twice`);
    names.add(d.name);
  }
  const devices: LabDeviceSpec[] = r.data.devices.map((d) => ({
    name: d.name,
    platform: d.platform,
    site: d.site,
    redundancyGroup: d.redundancy_group,
    priority: d.priority,
    version: d.version,
    tags: d.tags,
    faults: d.faults as LabFault[] | undefined,
    flashBytes: d.flash_bytes,
    vpcDomain: d.vpc_domain,
    uplinks: d.uplinks,
  }));
  for (const d of devices) {
    if (d.vpcDomain !== undefined && d.platform !== 'nxos') throw new Error(`${source}: device ${d.name}: vpc_domain is NX-OS only`);
    for (const u of d.uplinks ?? []) if (!names.has(u)) throw new Error(`${source}: device ${d.name}: uplink ${u} is not a device of the topology`);
  }
  const sites = [...new Set([...(r.data.sites ?? []), ...devices.map((d) => d.site)])];
  return { sites, devices };
}

/** The configuration a device boots with: uplink, BGP, and the redundancy interface when it is in a group. */
export function initialConfig(spec: LabDeviceSpec, index: number, groupIndex: number, memberIndex: number, siteIndex: number): DeviceConfig {
  const p = spec.platform;
  const c = emptyConfig(spec.name, p);
  if (p === 'nxos') c.features = ['bgp', 'hsrp', 'interface-vlan'];
  const up = `100.${64 + ((index >> 14) & 63)}.${(index >> 6) & 255}.${(index & 63) * 4}`;
  const [a, b, cc, dd] = up.split('.').map(Number) as [number, number, number, number];
  const local = `${a}.${b}.${cc}.${dd + 1}`;
  const peer = `${a}.${b}.${cc}.${dd + 2}`;
  const uplink = p === 'iosxe' ? 'GigabitEthernet1/0/1' : p === 'nxos' ? 'Ethernet1/1' : 'eth0';
  c.interfaces.push({ name: uplink, description: 'uplink to core', address: `${local}/30`, shutdown: false });
  if (spec.redundancyGroup) {
    const lan = `10.${(groupIndex >> 8) & 255}.${groupIndex & 255}`;
    c.interfaces.push({
      name: p === 'frr' ? 'eth1' : lanInterface(p, groupIndex),
      description: 'user LAN',
      address: `${lan}.${memberIndex + 2}/24`,
      shutdown: false,
      redundancy: { group: 10, priority: spec.priority ?? (memberIndex === 0 ? 110 : 100), preempt: true, preemptDelaySec: 0, virtualIp: `${lan}.1` },
    });
  }
  c.bgp = { asn: 65100 + siteIndex, routerId: local, neighbors: p === 'frr' ? [{ ip: peer, remoteAs: 65000 }] : ciscoNeighbors(index, peer) };
  return c;
}

/**
 * Real fleets have names and numbers that do not fit the CLI's columns, and
 * IOS-XE and NX-OS then wrap their rows; some lab devices get them so every
 * fleet of a few pairs shows the wrapped shapes: every fourth IOS-XE pair
 * uses a routed sub-interface (`Gi1/0/48.4010` stands alone in `show standby
 * brief`), every other device peers with a 4-byte AS, every third also over
 * IPv6 (the neighbour stands alone in `show ip bgp summary`).
 */
function lanInterface(p: LabDeviceSpec['platform'], groupIndex: number): string {
  return p === 'iosxe' && groupIndex % 4 === 3 ? 'GigabitEthernet1/0/48.4010' : 'Vlan10';
}

function ciscoNeighbors(index: number, peer: string): { ip: string; remoteAs: number }[] {
  const v4 = { ip: peer, remoteAs: index % 2 === 1 ? 4210410100 + (index % 1000) : 65000 };
  return index % 3 === 2 ? [v4, { ip: `2001:db8:${(0x1000 + (index >> 8)).toString(16)}:${(index & 255).toString(16)}::2`, remoteAs: 65000 }] : [v4];
}
