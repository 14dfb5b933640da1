/**
 * Redundancy groups as the devices report them, and how they compare with
 * the inventory's `redundancy_group`. Pure: the facts are read on the devices
 * by a worker (src/activities/discovery.ts); this module only reasons.
 */

export type GroupKind = 'hsrp' | 'vrrp' | 'vpc';

/** One HSRP/VRRP group as one device reports it. */
export interface GroupFact {
  protocol: 'hsrp' | 'vrrp';
  interface: string;
  group: number;
  virtualIp?: string;
  state: string;
  /** Addresses the device names as the group's active and standby (`local` for itself). */
  active?: string;
  standby?: string;
}

/** What one device said about its partners. */
export interface DeviceFacts {
  name: string;
  site: string;
  /** The device's own interface addresses (no prefix length): how peers name it in HSRP tables. */
  addresses: string[];
  groups: GroupFact[];
  vpc?: { domainId: number; role: string; operationalRole: string; peerAdjacent: boolean };
  /** Set when the device could not be asked; nothing else is then known about it. */
  error?: string;
}

export interface Evidence {
  device: string;
  says: string;
}

export interface ProposedGroup {
  /** A name for `redundancy_group`, unique in the proposal. */
  name: string;
  kind: GroupKind;
  members: string[];
  evidence: Evidence[];
}

/** Addresses a device uses to name another router; `local`/`unknown` name nobody. */
const peerAddress = (a: string | undefined): string | undefined => (a && a !== 'local' && a.toLowerCase() !== 'unknown' ? a : undefined);
const groupKey = (g: GroupFact): string => `${g.protocol} ${g.group} ${g.virtualIp ?? '-'}`;
const describeGroup = (g: GroupFact): string =>
  `${g.interface} ${g.protocol.toUpperCase()} group ${g.group}${g.virtualIp ? ` VIP ${g.virtualIp}` : ''} ${g.state}` +
  `${peerAddress(g.active) ? `, active ${g.active}` : ''}${peerAddress(g.standby) ? `, standby ${g.standby}` : ''}`;

class Links {
  private readonly parent = new Map<string, string>();
  readonly evidence = new Map<string, Evidence[]>();
  readonly kinds = new Map<string, Set<string>>();
  find(a: string): string {
    let p = this.parent.get(a) ?? a;
    while (p !== (this.parent.get(p) ?? p)) p = this.parent.get(p) ?? p;
    this.parent.set(a, p);
    return p;
  }
  link(a: string, b: string, kind: string, ev: Evidence[]): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
    const pair = [a, b].sort().join('\u0000') + `\u0000${kind}`;
    if (!this.evidence.has(pair)) this.evidence.set(pair, ev);
    this.kinds.set(a, (this.kinds.get(a) ?? new Set()).add(kind));
    this.kinds.set(b, (this.kinds.get(b) ?? new Set()).add(kind));
  }
}

/** A pair two devices form, with what each said: the edges of the proposal. */
export interface Partnership {
  a: string;
  b: string;
  kind: GroupKind;
  /** The HSRP/VRRP group number or the vPC domain id they share. */
  id: number;
  evidence: Evidence[];
}

/**
 * Which devices are partners, from what they report:
 * - HSRP: same group number and virtual IP, and one names the other's
 *   interface address as the group's active or standby;
 * - VRRP (FRR does not list its backups): same group number and virtual IP
 *   in the same site;
 * - vPC: the same domain id in the same site, both reporting the peer adjacent
 *   (a domain id is reused from site to site; the adjacency is what pairs).
 */
export function partnerships(facts: DeviceFacts[]): Partnership[] {
  const out: Partnership[] = [];
  const asked = facts.filter((f) => f.error === undefined);
  const owner = new Map<string, string>();
  for (const f of asked) for (const a of f.addresses) owner.set(a, f.name);
  const seen = new Set<string>();
  const add = (p: Partnership) => {
    const id = `${[p.a, p.b].sort().join(' ')} ${p.kind}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(p);
  };
  for (const f of asked) {
    for (const g of f.groups) {
      for (const other of asked) {
        if (other.name === f.name) continue;
        const theirs = other.groups.find((o) => groupKey(o) === groupKey(g));
        if (!theirs) continue;
        const named = [g.active, g.standby].map(peerAddress).some((a) => a !== undefined && owner.get(a) === other.name);
        const namedBack = [theirs.active, theirs.standby].map(peerAddress).some((a) => a !== undefined && owner.get(a) === f.name);
        const vrrpSameSite = g.protocol === 'vrrp' && other.site === f.site;
        if (!named && !namedBack && !vrrpSameSite) continue;
        add({ a: f.name, b: other.name, kind: g.protocol, id: g.group, evidence: [{ device: f.name, says: describeGroup(g) }, { device: other.name, says: describeGroup(theirs) }] });
      }
    }
    if (f.vpc?.peerAdjacent) {
      for (const other of asked) {
        if (other.name === f.name || other.site !== f.site || other.vpc?.domainId !== f.vpc.domainId || !other.vpc.peerAdjacent) continue;
        const say = (d: DeviceFacts): Evidence => ({ device: d.name, says: `vPC domain ${d.vpc!.domainId} ${d.vpc!.role}${d.vpc!.operationalRole !== d.vpc!.role ? `, operational ${d.vpc!.operationalRole}` : ''}, peer adjacency formed ok` });
        add({ a: f.name, b: other.name, kind: 'vpc', id: f.vpc.domainId, evidence: [say(f), say(other)] });
      }
    }
  }
  return out;
}

const KIND_ORDER: GroupKind[] = ['vpc', 'hsrp', 'vrrp'];

/**
 * Redundancy groups to propose: the devices joined by any partnership, each
 * group with every partnership's evidence. A name is `<site>-<kind>-<id>`
 * (the HSRP/VRRP group number or vPC domain), with the first member appended
 * where two groups of a site would share one.
 */
export function proposeGroups(facts: DeviceFacts[]): ProposedGroup[] {
  const links = new Links();
  const pairs = partnerships(facts);
  for (const p of pairs) links.link(p.a, p.b, p.kind, p.evidence);
  const members = new Map<string, string[]>();
  for (const f of facts) {
    if (!links.kinds.has(f.name)) continue;
    const root = links.find(f.name);
    members.set(root, [...(members.get(root) ?? []), f.name]);
  }
  const bySite = new Map(facts.map((f) => [f.name, f]));
  const drafts = [...members.values()].map((names) => {
    const inGroup = new Set(names);
    const mine = pairs.filter((p) => inGroup.has(p.a));
    const kind = KIND_ORDER.find((k) => mine.some((p) => p.kind === k)) ?? 'hsrp';
    const first = mine.find((p) => p.kind === kind)!;
    const site = bySite.get(first.a)!.site;
    return { base: `${site}-${kind}-${first.id}`, kind, members: names, evidence: mine.flatMap((p) => p.evidence) };
  });
  const counts = new Map<string, number>();
  for (const d of drafts) counts.set(d.base, (counts.get(d.base) ?? 0) + 1);
  return drafts
    .map((d) => ({ name: counts.get(d.base)! > 1 ? `${d.base}-${d.members[0]}` : d.base, kind: d.kind, members: d.members, evidence: dedupe(d.evidence) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function dedupe(ev: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return ev.filter((e) => {
    const k = `${e.device}\u0000${e.says}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** One way the inventory and the network disagree, with what each device said and what to change. */
export interface Disagreement {
  kind: 'partner-outside-group' | 'group-shares-nothing' | 'member-missing';
  devices: string[];
  message: string;
  evidence: Evidence[];
  fix: string;
}

export interface DeclaredDevice {
  name: string;
  redundancyGroup?: string;
}

/**
 * Compares the inventory's redundancy groups with what the devices report:
 * a device whose partner is outside its declared group, a declared group
 * whose members are partners of nothing in common, a partner the devices
 * name that is not among the devices asked. A device that could not be asked
 * is not judged here (`unanswered` lists them): nothing is known about it,
 * and callers say so; it cannot be reloaded either while it cannot be asked.
 */
export function crossCheck(declared: DeclaredDevice[], facts: DeviceFacts[]): Disagreement[] {
  const out: Disagreement[] = [];
  const groupOf = new Map(declared.map((d) => [d.name, d.redundancyGroup]));
  const pairs = partnerships(facts);
  for (const p of pairs) {
    const ga = groupOf.get(p.a);
    const gb = groupOf.get(p.b);
    if (ga !== undefined && ga === gb) continue;
    const where = (n: string, g: string | undefined) => (g === undefined ? `${n} is in no redundancy group` : `${n} is in ${g}`);
    out.push({
      kind: 'partner-outside-group',
      devices: [p.a, p.b],
      message: `${p.a} and ${p.b} are ${p.kind.toUpperCase()} partners, but the inventory says ${where(p.a, ga)} and ${where(p.b, gb)}`,
      evidence: p.evidence,
      fix: `give ${p.a} and ${p.b} one redundancy_group (netops inventory discover --write proposes it)`,
    });
  }
  const partnered = new Set(pairs.flatMap((p) => [`${p.a}\u0000${p.b}`, `${p.b}\u0000${p.a}`]));
  const asked = new Map(facts.filter((f) => f.error === undefined).map((f) => [f.name, f]));
  const declaredGroups = new Map<string, string[]>();
  for (const d of declared) if (d.redundancyGroup) declaredGroups.set(d.redundancyGroup, [...(declaredGroups.get(d.redundancyGroup) ?? []), d.name]);
  for (const [group, names] of declaredGroups) {
    const here = names.filter((n) => asked.has(n));
    if (here.length < 2) continue;
    const lonely = here.filter((n) => !here.some((m) => m !== n && partnered.has(`${n}\u0000${m}`)));
    if (lonely.length === 0) continue;
    out.push({
      kind: 'group-shares-nothing',
      devices: lonely,
      message: `redundancy group ${group}: ${lonely.join(', ')} ${lonely.length === 1 ? 'shares' : 'share'} no HSRP/VRRP group or vPC domain with another member`,
      evidence: lonely.map((n) => ({ device: n, says: reportOf(asked.get(n)!) })),
      fix: `check the pairing of ${group} (netops inventory discover shows what the devices report)`,
    });
  }
  const owner = new Map<string, string>();
  for (const f of asked.values()) for (const a of f.addresses) owner.set(a, f.name);
  for (const f of asked.values()) {
    for (const g of f.groups.filter((x) => x.protocol === 'hsrp')) {
      for (const a of [g.active, g.standby].map(peerAddress)) {
        if (a === undefined || owner.has(a)) continue;
        out.push({
          kind: 'member-missing',
          devices: [f.name],
          message: `${f.name}'s HSRP group ${g.group} names ${a} as its ${a === g.active ? 'active' : 'standby'}, and none of the devices asked has that address`,
          evidence: [{ device: f.name, says: describeGroup(g) }],
          fix: `add the router at ${a} to the inventory and to ${f.name}'s redundancy_group (or to the selection)`,
        });
      }
    }
    if (f.vpc?.peerAdjacent && !pairs.some((p) => p.kind === 'vpc' && (p.a === f.name || p.b === f.name))) {
      out.push({
        kind: 'member-missing',
        devices: [f.name],
        message: `${f.name} has an adjacent vPC peer in domain ${f.vpc.domainId}, and none of the devices asked in site ${f.site} is in that domain`,
        evidence: [{ device: f.name, says: reportOf(f) }],
        fix: `add ${f.name}'s vPC peer to the inventory and to its redundancy_group (or to the selection)`,
      });
    }
  }
  return out;
}

function reportOf(f: DeviceFacts): string {
  const parts = f.groups.map(describeGroup);
  if (f.vpc) parts.push(`vPC domain ${f.vpc.domainId} ${f.vpc.role}${f.vpc.peerAdjacent ? '' : ', peer not adjacent'}`);
  return parts.length > 0 ? parts.join('; ') : 'no HSRP/VRRP group and no vPC domain';
}

/** The devices that did not answer, with why: what a cross-check could not confirm. */
export function unanswered(facts: DeviceFacts[]): { device: string; error: string }[] {
  return facts.filter((f) => f.error !== undefined).map((f) => ({ device: f.name, error: f.error! }));
}

/** The devices to ask for a cross-check: the selection and every other member of its declared groups. */
export function devicesToAsk<D extends DeclaredDevice>(all: D[], selected: D[]): D[] {
  const groups = new Set(selected.map((d) => d.redundancyGroup).filter((g): g is string => g !== undefined));
  const names = new Set(selected.map((d) => d.name));
  return [...selected, ...all.filter((d) => !names.has(d.name) && d.redundancyGroup !== undefined && groups.has(d.redundancyGroup))];
}
