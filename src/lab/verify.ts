import { readFileSync } from 'node:fs';
import type { LabEvent } from './events';

export interface VerifyOptions {
  /** Most reloads any device may have (default: unlimited). */
  maxReloadsPerDevice?: number;
  /** How long a group may lack an active member while one is healthy (default: 1.5 x holdMs + 250 ms). */
  graceMs?: number;
}

export type BreachKind = 'no-active' | 'group-down' | 'concurrent-mutating' | 'too-many-reloads' | 'dual-homed-cut';

export interface Breach {
  kind: BreachKind;
  /** Group name for no-active/group-down, the downstream switch for dual-homed-cut, device name otherwise. */
  subject: string;
  /** Monotonic ms (event `t`) when the breach began. */
  at: number;
  wall: string;
  message: string;
  /** Events around the breach that involve its subject. */
  timeline: LabEvent[];
}

export interface VerifyResult {
  ok: boolean;
  breaches: Breach[];
  stats: { events: number; devices: number; groups: number; reloads: number; sessions: number };
}

/** Reads a JSON-lines event log; a torn last line (a crash mid-write) is ignored. */
export function readEventLog(path: string): LabEvent[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const events: LabEvent[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      events.push(JSON.parse(line) as LabEvent);
    } catch {
      if (i < lines.length - 2) throw new Error(`${path}:${i + 1}: not a JSON event`);
    }
  });
  return events;
}

interface GroupState {
  members: string[];
  active?: string;
  noActiveSince?: { t: number; wall: string };
  reportedNoActive: boolean;
  allDownSince?: { t: number; wall: string };
}

/**
 * Checks the lab's invariants over an event log: no redundancy group without
 * an active member (beyond a grace) while a member is healthy, no group with
 * every member down at once, no device in two mutating sessions at once, no
 * device reloaded more often than allowed, no dual-homed downstream switch
 * (itself up and in normal mode) with both of its port channel's members
 * down at once.
 */
export function verifyEventLog(source: string | LabEvent[], opts: VerifyOptions = {}): VerifyResult {
  const events = typeof source === 'string' ? readEventLog(source) : source;
  const breaches: Breach[] = [];
  let groups = new Map<string, GroupState>();
  let groupOf = new Map<string, string>();
  let down = new Set<string>();
  let mutating = new Map<string, Set<string>>();
  let reloads = new Map<string, number>();
  /** Downstream switch -> the switch at the far end of each member -> whether that member carries traffic. */
  let paths = new Map<string, Map<string, { up: boolean; port?: string; reason?: string }>>();
  let maintenance = new Set<string>();
  const cutReported = new Set<string>();
  const reportedReloads = new Set<string>();
  const devices = new Set<string>();
  let grace = opts.graceMs ?? 1000;
  let totalReloads = 0;
  let sessions = 0;

  const healthy = (g: GroupState) => g.members.filter((m) => !down.has(m));

  const check = (t: number) => {
    for (const [name, g] of groups) {
      const s = g.noActiveSince;
      if (s && !g.reportedNoActive && t - s.t > grace && healthy(g).length > 0) {
        g.reportedNoActive = true;
        breaches.push({
          kind: 'no-active',
          subject: name,
          at: s.t,
          wall: s.wall,
          message: `group ${name} had no active member for more than ${Math.round(grace)} ms while ${healthy(g).join(', ')} ${healthy(g).length > 1 ? 'were' : 'was'} healthy`,
          timeline: [],
        });
      }
    }
  };

  const update = (g: GroupState, e: LabEvent) => {
    const anyHealthy = healthy(g).length > 0;
    if (!g.active && anyHealthy) g.noActiveSince ??= { t: e.t, wall: e.wall };
    else if (g.active || !anyHealthy) {
      g.noActiveSince = undefined;
      g.reportedNoActive = false;
    }
    if (g.members.length > 1 && !anyHealthy) {
      if (!g.allDownSince) {
        g.allDownSince = { t: e.t, wall: e.wall };
        const name = [...groups].find(([, x]) => x === g)?.[0] ?? '?';
        breaches.push({ kind: 'group-down', subject: name, at: e.t, wall: e.wall, message: `every member of group ${name} (${g.members.join(', ')}) was down at once`, timeline: [] });
      }
    } else g.allDownSince = undefined;
  };

  for (const e of events) {
    check(e.t);
    if ('device' in e && e.device) devices.add(e.device);
    switch (e.type) {
      case 'lab.start':
        groups = new Map(Object.entries(e.groups).map(([n, members]) => [n, { members, reportedNoActive: false }]));
        groupOf = new Map(Object.entries(e.groups).flatMap(([n, ms]) => ms.map((m) => [m, n] as const)));
        down = new Set();
        mutating = new Map();
        reloads = new Map();
        paths = new Map(Object.entries(e.dualHomed ?? {}).map(([host, ups]) => [host, new Map(ups.map((u) => [u, { up: true }]))]));
        maintenance = new Set();
        cutReported.clear();
        grace = opts.graceMs ?? e.timings.holdMs * 1.5 + 250;
        break;
      case 'system.mode':
        if (e.mode === 'maintenance') maintenance.add(e.device);
        else maintenance.delete(e.device);
        break;
      case 'path': {
        const host = paths.get(e.device);
        if (!host) break;
        host.set(e.via, { up: e.up, port: e.port, reason: e.reason });
        const all = [...host.entries()];
        if (all.some(([, p]) => p.up)) {
          cutReported.delete(e.device);
          break;
        }
        // A switch that is itself down or isolated has not lost its paths: it left them.
        if (down.has(e.device) || maintenance.has(e.device) || cutReported.has(e.device)) break;
        cutReported.add(e.device);
        const why = all.map(([via, p]) => `${p.port ?? '?'} via ${via} (${p.reason ?? 'down'})`).join(', ');
        breaches.push({ kind: 'dual-homed-cut', subject: e.device, at: e.t, wall: e.wall, message: `dual-homed ${e.device} lost both paths at once: ${why}`, timeline: [] });
        break;
      }
      case 'reload.start':
        totalReloads++;
        reloads.set(e.device, (reloads.get(e.device) ?? 0) + 1);
        if (opts.maxReloadsPerDevice !== undefined && reloads.get(e.device)! > opts.maxReloadsPerDevice && !reportedReloads.has(e.device)) {
          reportedReloads.add(e.device);
          breaches.push({ kind: 'too-many-reloads', subject: e.device, at: e.t, wall: e.wall, message: `${e.device} reloaded ${reloads.get(e.device)} times (at most ${opts.maxReloadsPerDevice} allowed)`, timeline: [] });
        }
        down.add(e.device);
        break;
      case 'device.down':
        down.add(e.device);
        break;
      case 'device.up':
        down.delete(e.device);
        break;
      case 'redundancy': {
        const g = groups.get(e.group);
        if (g) {
          if (e.to === 'active') g.active = e.device;
          else if (g.active === e.device) g.active = undefined;
        }
        break;
      }
      case 'session.open':
        sessions++;
        break;
      case 'session.mutating': {
        const open = mutating.get(e.device) ?? new Set<string>();
        if (open.size > 0) {
          breaches.push({ kind: 'concurrent-mutating', subject: e.device, at: e.t, wall: e.wall, message: `${e.device} in two mutating sessions at once: ${[...open].join(', ')} and ${e.session} (${e.reason})`, timeline: [] });
        }
        open.add(e.session);
        mutating.set(e.device, open);
        break;
      }
      case 'session.close':
        mutating.get(e.device)?.delete(e.session);
        break;
      default:
        break;
    }
    const gName = 'device' in e ? groupOf.get(e.device) : undefined;
    // Groups are judged from their members' first events on, so the initial election is not a gap.
    if (gName) update(groups.get(gName)!, e);
  }
  const last = events[events.length - 1];
  if (last) check(last.t + 0);
  for (const b of breaches) b.timeline = timelineFor(events, b, groups, grace, paths);
  return { ok: breaches.length === 0, breaches, stats: { events: events.length, devices: devices.size, groups: groups.size, reloads: totalReloads, sessions } };
}

function timelineFor(events: LabEvent[], b: Breach, groups: Map<string, GroupState>, grace: number, paths: Map<string, Map<string, unknown>>): LabEvent[] {
  const uplinks = b.kind === 'dual-homed-cut' ? [...(paths.get(b.subject)?.keys() ?? [])] : [];
  const who = new Set(groups.get(b.subject)?.members ?? [b.subject, ...uplinks]);
  const from = b.at - Math.max(2000, 3 * grace);
  const to = b.at + Math.max(2000, 3 * grace);
  return events.filter((e) => e.t >= from && e.t <= to && 'device' in e && who.has(e.device) && e.type !== 'command').slice(-40);
}

/** Human-readable report: one line per breach followed by its timeline. */
export function formatVerifyResult(r: VerifyResult): string {
  const out: string[] = [];
  const s = r.stats;
  out.push(`${s.events} events, ${s.devices} devices, ${s.groups} groups, ${s.sessions} sessions, ${s.reloads} reloads`);
  if (r.ok) {
    out.push('OK: no invariant breached');
    return out.join('\n');
  }
  out.push(`BREACHED: ${r.breaches.length} breach${r.breaches.length === 1 ? '' : 'es'}`);
  for (const b of r.breaches) {
    out.push('', `[${b.kind}] ${b.message}`, `  began at +${b.at.toFixed(1)} ms (${b.wall})`, '  timeline:');
    for (const e of b.timeline) out.push(`    +${e.t.toFixed(1).padStart(10)} ms  ${describe(e)}`);
  }
  return out.join('\n');
}

function describe(e: LabEvent): string {
  switch (e.type) {
    case 'redundancy':
      return `${e.device} ${e.group}: ${e.from} -> ${e.to} (priority ${e.priority})`;
    case 'session.open':
      return `${e.device} session ${e.session} opened by ${e.user}`;
    case 'session.mutating':
      return `${e.device} session ${e.session} became mutating (${e.reason})`;
    case 'session.close':
      return `${e.device} session ${e.session} ${e.clean === false ? 'lost (connection cut)' : 'closed'}${e.mutating ? ' (mutating)' : ''}`;
    case 'reload.start':
      return `${e.device} reload${e.bootImage ? ` (boot ${e.bootImage})` : ''}`;
    case 'device.up':
      return `${e.device} up, version ${e.version}`;
    case 'device.down':
      return `${e.device} down: ${e.reason}`;
    case 'config.change':
      return `${e.device} config: ${e.line}`;
    case 'transfer':
      return `${e.device} ${e.protocol} ${e.file} ${e.bytes} bytes ${e.ok ? 'ok' : `failed: ${e.error}`}`;
    case 'system.mode':
      return `${e.device} system mode ${e.mode}`;
    case 'vpc':
      return `${e.device} vPC domain ${e.domain}: ${e.peer}, role ${e.role}, vPCs ${e.members}`;
    case 'path':
      return `${e.device} ${e.port} via ${e.via} ${e.up ? 'up' : `down: ${e.reason}`}`;
    default:
      return `${'device' in e ? e.device : ''} ${e.type}`;
  }
}
