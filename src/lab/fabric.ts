import type { LabDevice } from './device';
import type { EventLog } from './events';
import type { LabTimings } from './types';
import { VpcDomain, type VpcPortState } from './vpc';

/** One end of a cable. */
export interface CableEnd {
  device: LabDevice;
  port: string;
}

export type CableKind = 'peer-link' | 'vpc-member' | 'pair-link';

export interface Cable {
  kind: CableKind;
  a: CableEnd;
  b: CableEnd;
}

/** One vPC a peer carries: its port channel and member port toward one downstream switch. */
export interface VpcLeg {
  vpcId: number;
  channel: string;
  port: string;
  downstream: LabDevice;
  downstreamPort: string;
}

/** A downstream switch's port channel: one member to each vPC peer. */
export interface DownstreamBundle {
  device: LabDevice;
  channel: string;
  domain: VpcDomain;
  members: Array<{ port: string; via: LabDevice; viaPort: string }>;
}

/** What one member link of a downstream bundle carries right now. */
export interface PathState {
  up: boolean;
  reason: string;
}

export const PEER_LINK_PORTS = ['Ethernet1/53', 'Ethernet1/54'];
const DOWNSTREAM_PORTS = ['GigabitEthernet1/0/49', 'GigabitEthernet1/0/50'];

/**
 * The lab's cabling beyond each device's uplink: vPC peer-links, the member
 * links of downstream switches' port channels, and a link between the two
 * members of every other Cisco redundancy pair. It owns the vPC domains,
 * answers what LLDP/CDP and the port-channel tables see, and records every
 * change of a downstream member link as a `path` event (what the invariant
 * "no dual-homed host loses both paths" is checked on).
 */
export class Fabric {
  readonly cables: Cable[] = [];
  readonly domains: VpcDomain[] = [];
  private readonly domainOf = new Map<LabDevice, VpcDomain>();
  private readonly legs = new Map<LabDevice, VpcLeg[]>();
  private readonly bundles = new Map<LabDevice, DownstreamBundle>();
  private readonly bundlesOf = new Map<VpcDomain, DownstreamBundle[]>();
  private booting = false;
  private readonly paths = new Map<string, PathState>();
  private settling = false;

  constructor(
    private readonly log: EventLog,
    private readonly timings: LabTimings,
  ) {}

  /**
   * Wires the lab: NX-OS switches sharing a `vpcDomain` become a vPC pair
   * (a peer-link of two cables), every downstream switch gets one member to
   * each of its `uplinks`, other Cisco pairs get one link between them.
   */
  build(devices: LabDevice[], byName: (n: string) => LabDevice, groups: Map<string, string[]>): void {
    // Domain ids repeat across a large fleet (1-1000); the pair is the two switches of one id in one redundancy group (or site).
    const peers = new Map<string, LabDevice[]>();
    for (const d of devices) {
      if (d.platform !== 'nxos' || d.vpcDomain === undefined) continue;
      const key = `${d.redundancyGroup ?? d.site}|${d.vpcDomain}`;
      peers.set(key, [...(peers.get(key) ?? []), d]);
    }
    for (const ds of peers.values()) {
      const id = ds[0]!.vpcDomain!;
      if (ds.length !== 2) throw new Error(`vPC domain ${id} of ${ds[0]!.redundancyGroup ?? ds[0]!.site} needs exactly two NX-OS switches, has ${ds.map((d) => d.name).join(', ')}`);
      const [a, b] = ds as [LabDevice, LabDevice];
      const domain = new VpcDomain(id, a, b, this.log, this.timings, () => this.settle(this.bundlesOf.get(domain) ?? []));
      this.domains.push(domain);
      this.domainOf.set(a, domain);
      this.domainOf.set(b, domain);
      for (const port of PEER_LINK_PORTS) this.cables.push({ kind: 'peer-link', a: { device: a, port }, b: { device: b, port } });
    }
    for (const d of devices) {
      if (!d.uplinks) continue;
      const ups = d.uplinks.map(byName) as [LabDevice, LabDevice];
      const domain = this.domainOf.get(ups[0]);
      if (!domain || !domain.has(ups[1]) || ups[0] === ups[1]) throw new Error(`downstream ${d.name}: uplinks ${d.uplinks.join(' and ')} are not the two peers of one vPC domain`);
      const bundle: DownstreamBundle = { device: d, channel: 'Port-channel1', domain, members: [] };
      ups.forEach((up, i) => {
        const legs = this.legs.get(up) ?? [];
        const n = legs.length;
        const leg: VpcLeg = { vpcId: 10 + n, channel: `port-channel${10 + n}`, port: `Ethernet1/${11 + n}`, downstream: d, downstreamPort: DOWNSTREAM_PORTS[i]! };
        legs.push(leg);
        this.legs.set(up, legs);
        bundle.members.push({ port: leg.downstreamPort, via: up, viaPort: leg.port });
        this.cables.push({ kind: 'vpc-member', a: { device: up, port: leg.port }, b: { device: d, port: leg.downstreamPort } });
        this.paths.set(pathKey(d, leg.downstreamPort), { up: true, reason: 'bundled' });
      });
      this.bundles.set(d, bundle);
      this.bundlesOf.set(domain, [...(this.bundlesOf.get(domain) ?? []), bundle]);
    }
    for (const members of groups.values()) {
      const ds = members.map(byName);
      if (ds.length !== 2 || ds.some((d) => d.platform === 'frr' || this.domainOf.has(d))) continue;
      const port = (d: LabDevice) => (d.platform === 'nxos' ? 'Ethernet1/2' : 'GigabitEthernet1/0/2');
      this.cables.push({ kind: 'pair-link', a: { device: ds[0]!, port: port(ds[0]!) }, b: { device: ds[1]!, port: port(ds[1]!) } });
    }
  }

  /** Lab start: pairs formed, member links as the faults given at start leave them. */
  bootstrap(): void {
    // One pass over the links at the end, not one per domain.
    this.booting = true;
    for (const dm of this.domains) dm.bootstrap();
    this.booting = false;
    this.settle([...this.bundles.values()]);
  }

  stop(): void {
    for (const dm of this.domains) dm.stop();
  }

  /** A device changed (power, mode, faults, config): its domain re-evaluates, then every member link. */
  changed(d: LabDevice): void {
    const dm = this.domainOf.get(d);
    if (dm) dm.reconcile();
    else {
      const b = this.bundles.get(d);
      if (b) this.settle([b]);
    }
  }

  domain(d: LabDevice): VpcDomain | undefined {
    return this.domainOf.get(d);
  }

  /** The vPCs a peer carries, one per downstream switch. */
  vpcLegs(d: LabDevice): VpcLeg[] {
    return this.legs.get(d) ?? [];
  }

  bundle(d: LabDevice): DownstreamBundle | undefined {
    return this.bundles.get(d);
  }

  /** Downstream switch -> the two switches its members land on (for the event log). */
  dualHomed(): Record<string, string[]> {
    return Object.fromEntries([...this.bundles.values()].map((b) => [b.device.name, b.members.map((m) => m.via.name)]));
  }

  /** The state of one member link of a downstream bundle, as both ends see it. */
  path(downstream: LabDevice, member: { via: LabDevice }): PathState {
    if (downstream.power !== 'up') return { up: false, reason: `${downstream.name} is ${downstream.power}` };
    if (downstream.systemMode === 'maintenance') return { up: false, reason: `${downstream.name} in maintenance (L2 ports shut)` };
    const via = member.via;
    if (via.power !== 'up') return { up: false, reason: `${via.name} is ${via.power}` };
    const dm = this.domainOf.get(via);
    const st: VpcPortState = dm ? dm.ports(via) : 'up';
    if (st === 'up') return { up: true, reason: 'bundled' };
    const why = dm?.view(via).membersReason ?? st;
    return { up: false, reason: `vPC on ${via.name} ${st} (${why})` };
  }

  /** Cables whose other end answers LLDP/CDP on `d`: both ends powered, neither end's L2 ports shut by IOS-XE maintenance. */
  neighbors(d: LabDevice): Array<{ local: string; far: CableEnd; kind: CableKind }> {
    const out: Array<{ local: string; far: CableEnd; kind: CableKind }> = [];
    const live = (x: LabDevice) => x.power === 'up' && !(x.platform === 'iosxe' && x.systemMode === 'maintenance');
    for (const c of this.cables) {
      const [mine, far] = c.a.device === d ? [c.a, c.b] : c.b.device === d ? [c.b, c.a] : [undefined, undefined];
      if (!mine || !far || !live(d) || !live(far.device)) continue;
      out.push({ local: mine.port, far, kind: c.kind });
    }
    return out.sort((x, y) => portOrder(x.local) - portOrder(y.local) || x.local.localeCompare(y.local));
  }

  /** Re-evaluates the member links of these bundles; emits a `path` event for each one that changed. */
  private settle(bundles: DownstreamBundle[]): void {
    if (this.settling || this.booting) return;
    this.settling = true;
    try {
      for (const b of bundles) {
        for (const m of b.members) {
          const key = pathKey(b.device, m.port);
          const now = this.path(b.device, m);
          const before = this.paths.get(key);
          if (before && before.up === now.up) continue;
          this.paths.set(key, now);
          this.log.emit({ type: 'path', device: b.device.name, port: m.port, via: m.via.name, up: now.up, reason: now.reason });
        }
      }
    } finally {
      this.settling = false;
    }
  }
}

const pathKey = (d: LabDevice, port: string) => `${d.name} ${port}`;

/** Ports in slot/port order, like the CLIs list them. */
function portOrder(port: string): number {
  const nums = (port.match(/\d+/g) ?? []).map(Number);
  return nums.reduce((acc, n) => acc * 100 + n, 0);
}
