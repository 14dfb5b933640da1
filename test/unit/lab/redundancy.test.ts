import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventLog } from '../../../src/lab/events';
import { type MemberSettings, RedundancyGroup } from '../../../src/lab/redundancy';
import { verifyEventLog } from '../../../src/lab/verify';
import { FAST_TIMINGS } from '../../../src/lab/timings';

class Member {
  up = true;
  constructor(
    readonly name: string,
    public priority: number,
    public preempt = true,
    public preemptDelayMs = 100,
  ) {}
  settings(): MemberSettings | undefined {
    return this.up ? { priority: this.priority, preempt: this.preempt, preemptDelayMs: this.preemptDelayMs } : undefined;
  }
}

const HOLD = 150;

function pair(o: { bPreempt?: boolean; aDelay?: number } = {}) {
  const log = new EventLog();
  log.emit({ type: 'lab.start', devices: 2, timings: FAST_TIMINGS, groups: { g: ['a', 'b'] } });
  const g = new RedundancyGroup('g', log, HOLD);
  const a = new Member('a', 110, true, o.aDelay ?? 100);
  const b = new Member('b', 100, o.bPreempt ?? true);
  g.add(a);
  g.add(b);
  g.bootstrap();
  return { log, g, a, b };
}

describe('redundancy group', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('elects the highest priority member at start', () => {
    const { g } = pair();
    expect(g.active()).toBe('a');
    expect(g.stateOf('b')).toBe('standby');
  });

  it('fails over to the standby only after the hold time when the active goes away', () => {
    const { g, a } = pair();
    a.up = false;
    g.reconcile();
    expect(g.active()).toBeUndefined();
    expect(g.stateOf('a')).toBe('init');
    vi.advanceTimersByTime(HOLD - 1);
    expect(g.active()).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(g.active()).toBe('b');
  });

  it('preempts back after the returning member\'s preempt delay', () => {
    const { g, a } = pair({ aDelay: 400 });
    a.up = false;
    g.reconcile();
    vi.advanceTimersByTime(HOLD);
    a.up = true;
    g.reconcile();
    expect(g.active()).toBe('b');
    expect(g.stateOf('a')).toBe('standby');
    vi.advanceTimersByTime(399);
    expect(g.active()).toBe('b');
    vi.advanceTimersByTime(1);
    expect(g.active()).toBe('a');
    expect(g.stateOf('b')).toBe('standby');
  });

  it('does not preempt back without preempt configured', () => {
    const { g, a } = pair();
    a.preempt = false;
    a.up = false;
    g.reconcile();
    vi.advanceTimersByTime(HOLD);
    a.up = true;
    g.reconcile();
    vi.advanceTimersByTime(10_000);
    expect(g.active()).toBe('b');
  });

  it('hands over with no gap when the active lowers its priority below a preempting standby', () => {
    const { g, a, log } = pair();
    a.priority = 90;
    g.reconcile();
    expect(g.active()).toBe('a');
    vi.advanceTimersByTime(100);
    expect(g.active()).toBe('b');
    expect(g.stateOf('a')).toBe('standby');
    expect(verifyEventLog(log.events, { graceMs: 0 }).ok).toBe(true);
  });

  it('keeps the active when the standby does not preempt, even with lower priority on the active', () => {
    const { g, a } = pair({ bPreempt: false });
    a.priority = 50;
    g.reconcile();
    vi.advanceTimersByTime(10_000);
    expect(g.active()).toBe('a');
  });

  it('cancels a pending preemption when the priority goes back', () => {
    const { g, a } = pair();
    a.priority = 90;
    g.reconcile();
    vi.advanceTimersByTime(50);
    a.priority = 110;
    g.reconcile();
    vi.advanceTimersByTime(1000);
    expect(g.active()).toBe('a');
  });

  it('logs every state change with its priority', () => {
    const { g, a, log } = pair();
    a.up = false;
    g.reconcile();
    vi.advanceTimersByTime(HOLD);
    const changes = log.events.filter((e) => e.type === 'redundancy').map((e) => e.type === 'redundancy' && `${e.device}:${e.from}->${e.to}`);
    expect(changes).toEqual(['a:init->active', 'b:init->listen', 'b:listen->standby', 'a:active->init', 'b:standby->active']);
  });

  it('stop() cancels pending timers', () => {
    const { g, a } = pair();
    a.up = false;
    g.reconcile();
    g.stop();
    vi.advanceTimersByTime(HOLD * 10);
    expect(g.active()).toBeUndefined();
  });
});
