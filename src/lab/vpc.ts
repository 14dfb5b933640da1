import type { LabDevice } from './device';
import type { EventLog } from './events';
import type { LabTimings } from './types';

export type VpcRole = 'primary' | 'secondary';
export type VpcPortState = 'up' | 'down' | 'suspended';

/** One peer's view of its domain: what its `show vpc` prints. */
export interface VpcView {
  domain: number;
  /** `peer adjacency formed ok`, `peer link is down`, ... (NX-OS phrases). */
  peerStatus: string;
  keepalive: string;
  adjacent: boolean;
  peerLinkUp: boolean;
  /** `primary`, `secondary, operational primary`, ... */
  role: string;
  consistency: { ok: boolean; reason?: string };
  /** State of this peer's vPC member ports (every vPC of the domain alike). */
  members: VpcPortState;
  /** Why the member ports are not up, for `show vpc`'s Reason column. */
  membersReason: string;
  /** Milliseconds left of the delay-restore timer, when it runs. */
  restoreLeftMs?: number;
}

/** The global type-1 parameter a `vpc-consistency-failure` fault breaks, and its two values. */
export const DEFAULT_MISMATCH = 'STP Mode';

interface Member {
  device: LabDevice;
  /** The role elected when the pair formed; vPC roles do not preempt. */
  role: VpcRole;
  operational: VpcRole;
  /** Came back (or started) without its peer's adjacency: its vPCs stay down until delay restore ends. */
  waiting: boolean;
  restoreTimer?: NodeJS.Timeout;
  restoreEndsAt?: number;
  last?: string;
}

/**
 * A vPC domain of two NX-OS switches. What it keeps: the adjacency forms
 * `vpcFormMs` after both peers are up with the peer-link up; roles are
 * elected once (the first member primary) and never preempted, so when the
 * primary reloads the secondary becomes `secondary, operational primary`
 * and the returning switch `primary, operational secondary`; a returning
 * peer's vPC member ports stay down for the delay-restore time (`delay
 * restore 30`, in configured seconds) after the adjacency forms; with the
 * peer-link down while the keepalive still hears the peer, the operational
 * secondary suspends its vPCs (NX-OS's dual-active guard); a global type-1
 * inconsistency suspends the operational secondary's vPCs too, and they
 * stay suspended while the peer is away (the lab configures no
 * auto-recovery). A switch in maintenance mode has shut its domain: to its
 * peer it is gone.
 */
export class VpcDomain {
  private readonly members: [Member, Member];
  private formTimer: NodeJS.Timeout | undefined;
  private adjacent = false;
  private stopped = false;
  /** Delay restore, in configured seconds. */
  readonly delayRestoreSec = 30;

  constructor(
    readonly id: number,
    a: LabDevice,
    b: LabDevice,
    private readonly log: EventLog,
    private readonly timings: LabTimings,
    private readonly onChange: () => void,
  ) {
    this.members = [
      { device: a, role: 'primary', operational: 'primary', waiting: false },
      { device: b, role: 'secondary', operational: 'secondary', waiting: false },
    ];
  }

  get deviceNames(): [string, string] {
    return [this.members[0].device.name, this.members[1].device.name];
  }

  has(d: LabDevice): boolean {
    return this.members.some((m) => m.device === d);
  }

  peerOf(d: LabDevice): LabDevice {
    return this.member(d) === this.members[0] ? this.members[1].device : this.members[0].device;
  }

  /** Lab start: both peers up, adjacency formed, no delay restore. */
  bootstrap(): void {
    this.adjacent = this.bothPresent() && this.peerLinkCabled();
    this.reconcile();
  }

  stop(): void {
    this.stopped = true;
    if (this.formTimer) clearTimeout(this.formTimer);
    this.formTimer = undefined;
    for (const m of this.members) if (m.restoreTimer) clearTimeout(m.restoreTimer);
  }

  /** Re-evaluates the domain after a change of either peer (power, mode, faults). */
  reconcile(): void {
    if (this.stopped) return;
    const [a, b] = this.members;
    for (const m of this.members) {
      if (!present(m.device)) {
        if (m.restoreTimer) clearTimeout(m.restoreTimer);
        m.restoreTimer = undefined;
        m.waiting = true;
      }
    }
    const formable = this.bothPresent() && this.peerLinkCabled();
    if (!formable) {
      if (this.formTimer) clearTimeout(this.formTimer);
      this.formTimer = undefined;
      this.adjacent = false;
      // A peer alone, or one that no longer hears its peer at all, acts as the primary.
      for (const m of this.members) {
        const other = m === a ? b : a;
        if (present(m.device) && !present(other.device)) m.operational = 'primary';
      }
    } else if (!this.adjacent && !this.formTimer) {
      this.formTimer = setTimeout(() => {
        this.formTimer = undefined;
        this.form();
      }, this.timings.vpcFormMs);
    }
    this.announce();
  }

  private form(): void {
    if (this.stopped || !this.bothPresent() || !this.peerLinkCabled()) return this.reconcile();
    const [a, b] = this.members;
    if (a.waiting && b.waiting) {
      // Both came back: a fresh election, the first member primary.
      a.role = a.operational = 'primary';
      b.role = b.operational = 'secondary';
    } else {
      // The one that stayed keeps acting as primary; the returning one takes the other operational role.
      const stayed = a.waiting ? b : a;
      const back = stayed === a ? b : a;
      back.operational = stayed.operational === 'primary' ? 'secondary' : 'primary';
    }
    this.adjacent = true;
    for (const m of this.members) if (m.waiting && !m.restoreTimer) this.startRestore(m);
    this.reconcile();
  }

  private startRestore(m: Member): void {
    const ms = this.delayRestoreSec * this.timings.secondMs;
    m.restoreEndsAt = performance.now() + ms;
    m.restoreTimer = setTimeout(() => {
      m.restoreTimer = undefined;
      m.restoreEndsAt = undefined;
      m.waiting = false;
      this.reconcile();
    }, ms);
  }

  /** What `show vpc` on `d` reports. */
  view(d: LabDevice): VpcView {
    const m = this.member(d);
    const other = this.peerOf(d);
    const me = present(d);
    const hears = me && present(other);
    const peerLinkUp = hears && this.peerLinkCabled();
    const consistency = this.consistency();
    const ports = this.portState(m);
    const role = m.role === m.operational ? m.role : `${m.role}, operational ${m.operational}`;
    return {
      domain: this.id,
      adjacent: this.adjacent && me,
      peerLinkUp,
      peerStatus: this.adjacent && me ? 'peer adjacency formed ok' : 'peer link is down',
      keepalive: hears ? 'peer is alive' : 'Suspended (Destination IP not reachable)',
      role,
      consistency,
      members: ports.state,
      membersReason: ports.reason,
      ...(m.restoreEndsAt !== undefined ? { restoreLeftMs: Math.max(0, m.restoreEndsAt - performance.now()) } : {}),
    };
  }

  /** The state of `d`'s vPC member ports (what its downstream partners see on their link to it). */
  ports(d: LabDevice): VpcPortState {
    return this.portState(this.member(d)).state;
  }

  /** The type-1 parameter in conflict, when a fault on either peer puts one there. */
  mismatch(): string | undefined {
    for (const m of this.members) {
      const f = m.device.fault('vpc-consistency-failure');
      if (f) return f.parameter ?? DEFAULT_MISMATCH;
    }
    return undefined;
  }

  private consistency(): { ok: boolean; reason?: string } {
    if (!this.adjacent) return { ok: false, reason: 'Consistency Check Not Performed' };
    const bad = this.mismatch();
    return bad ? { ok: false, reason: `vPC type-1 configuration incompatible - ${bad} inconsistent` } : { ok: true };
  }

  private portState(m: Member): { state: VpcPortState; reason: string } {
    const d = m.device;
    if (!present(d)) return { state: 'down', reason: d.systemMode === 'maintenance' ? 'vPC domain shutdown' : 'peer down' };
    if (m.waiting) return { state: 'down', reason: 'delay restore' };
    const secondary = m.operational === 'secondary';
    // Suspended for a mismatch while adjacent stays suspended when the peer goes away: nothing re-checks it.
    const mismatch = this.mismatch() !== undefined && (this.adjacent ? secondary : m.role === 'secondary');
    if (mismatch) return { state: 'suspended', reason: 'Global compat check failed' };
    if (secondary && !this.adjacent && present(this.peerOf(d))) return { state: 'suspended', reason: 'peer-link is down' };
    return { state: 'up', reason: 'success' };
  }

  private announce(): void {
    for (const m of this.members) {
      const v = this.view(m.device);
      const key = `${v.peerStatus}|${v.role}|${v.members}`;
      if (key === m.last) continue;
      m.last = key;
      this.log.emit({ type: 'vpc', device: m.device.name, domain: this.id, peer: v.peerStatus, role: v.role, members: v.members });
    }
    this.onChange();
  }

  private bothPresent(): boolean {
    return present(this.members[0].device) && present(this.members[1].device);
  }

  private peerLinkCabled(): boolean {
    return !this.members.some((m) => m.device.fault('vpc-peer-link-down'));
  }

  private member(d: LabDevice): Member {
    const m = this.members.find((x) => x.device === d);
    if (!m) throw new Error(`${d.name} is not a peer of vPC domain ${this.id}`);
    return m;
  }
}

/** A peer takes part in its domain while it is up and not in maintenance mode (GIR shuts the domain). */
export function present(d: LabDevice): boolean {
  return d.power === 'up' && d.systemMode === 'normal';
}
