import type { EventLog } from './events';
import type { RedundancyState } from './types';

/** What a member contributes to its group right now; undefined while it is down or not configured. */
export interface MemberSettings {
  priority: number;
  preempt: boolean;
  /** Delay of a preemption by this member. */
  preemptDelayMs: number;
}

export interface RedundancyMember {
  readonly name: string;
  settings(): MemberSettings | undefined;
}

interface MemberState {
  member: RedundancyMember;
  state: RedundancyState;
  preemptTimer?: NodeJS.Timeout;
}

/**
 * One HSRP/VRRP group shared by its members. A simplified protocol that keeps
 * the timings automation depends on: when the active disappears the best
 * remaining member takes over after the hold time; a member with `preempt`
 * and a higher priority than the active takes over after its preempt delay;
 * without `preempt` a better member waits as standby. Ties go to the member
 * listed later (the higher address, as in HSRP).
 */
export class RedundancyGroup {
  private readonly members: MemberState[] = [];
  private takeoverTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly log: EventLog,
    private readonly holdMs: number,
  ) {}

  add(member: RedundancyMember): void {
    this.members.push({ member, state: 'init' });
  }

  get memberNames(): string[] {
    return this.members.map((m) => m.member.name);
  }

  stateOf(name: string): RedundancyState {
    return this.members.find((m) => m.member.name === name)?.state ?? 'init';
  }

  active(): string | undefined {
    return this.members.find((m) => m.state === 'active')?.member.name;
  }

  /** Initial election at lab start: no hold time, the best member is active at once. */
  bootstrap(): void {
    const best = this.best(true);
    if (best) this.set(best, 'active');
    this.reconcile();
  }

  /** Re-evaluates the group after any change of a member (up/down, priority, preempt). */
  reconcile(): void {
    if (this.stopped) return;
    for (const m of this.members) {
      if (!m.member.settings() && m.state !== 'init') this.set(m, 'init');
      else if (m.member.settings() && m.state === 'init') this.set(m, 'listen');
    }
    const active = this.members.find((m) => m.state === 'active');
    if (!active) {
      this.clearPreemptTimers();
      if (!this.takeoverTimer && this.members.some((m) => m.state !== 'init')) {
        this.takeoverTimer = setTimeout(() => {
          this.takeoverTimer = undefined;
          const best = this.best();
          if (best && !this.members.some((m) => m.state === 'active')) this.set(best, 'active');
          this.reconcile();
        }, this.holdMs);
      }
      return;
    }
    if (this.takeoverTimer) {
      clearTimeout(this.takeoverTimer);
      this.takeoverTimer = undefined;
    }
    const activePrio = active.member.settings()!.priority;
    for (const m of this.members) {
      if (m === active || m.state === 'init') continue;
      const s = m.member.settings()!;
      const wins = s.preempt && s.priority > activePrio;
      if (wins && !m.preemptTimer) {
        m.preemptTimer = setTimeout(() => {
          m.preemptTimer = undefined;
          this.tryPreempt(m);
        }, s.preemptDelayMs);
      } else if (!wins && m.preemptTimer) {
        clearTimeout(m.preemptTimer);
        m.preemptTimer = undefined;
      }
    }
    this.assignStandby(active);
  }

  stop(): void {
    this.stopped = true;
    if (this.takeoverTimer) clearTimeout(this.takeoverTimer);
    this.takeoverTimer = undefined;
    this.clearPreemptTimers();
  }

  private tryPreempt(m: MemberState): void {
    if (this.stopped) return;
    const active = this.members.find((x) => x.state === 'active');
    const s = m.member.settings();
    if (active && s && m.state !== 'init' && s.preempt && s.priority > (active.member.settings()?.priority ?? -1)) {
      // A coup: the old active steps down in the same instant, the group never lacks an active.
      this.set(m, 'active');
      this.set(active, 'standby');
    }
    this.reconcile();
  }

  /** The highest-priority live member (ties: later member). */
  private best(includeInit = false): MemberState | undefined {
    let best: MemberState | undefined;
    let bestPrio = -1;
    for (const m of this.members) {
      const s = m.member.settings();
      if (!s || (m.state === 'init' && !includeInit)) continue;
      if (s.priority >= bestPrio) {
        best = m;
        bestPrio = s.priority;
      }
    }
    return best;
  }

  /** The best non-active live member is standby, the others listen. */
  private assignStandby(active: MemberState): void {
    let standby: MemberState | undefined;
    let prio = -1;
    for (const m of this.members) {
      if (m === active || m.state === 'init') continue;
      const p = m.member.settings()!.priority;
      if (p >= prio) {
        standby = m;
        prio = p;
      }
    }
    for (const m of this.members) {
      if (m === active || m.state === 'init') continue;
      this.set(m, m === standby ? 'standby' : 'listen');
    }
  }

  private clearPreemptTimers(): void {
    for (const m of this.members) {
      if (m.preemptTimer) clearTimeout(m.preemptTimer);
      m.preemptTimer = undefined;
    }
  }

  private set(m: MemberState, to: RedundancyState): void {
    if (m.state === to) return;
    const from = m.state;
    m.state = to;
    this.log.emit({
      type: 'redundancy',
      device: m.member.name,
      group: this.name,
      from,
      to,
      priority: m.member.settings()?.priority ?? 0,
    });
  }
}
