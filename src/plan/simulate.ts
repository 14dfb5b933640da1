import { calendarsFor, evaluateStartable, nextWakeUpMs } from './admission';
import type { Plan, RolloutState, ScheduledDevice, SimulatedSchedule, UnschedulableDevice, Wave } from './types';

const MAX_EVENTS = 1_000_000;

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return Number.isInteger(h) ? `${h} h` : `${h.toFixed(1)} h`;
}

/**
 * Runs the same admission rules the workflow uses against a simulated clock
 * where every device takes exactly its expected duration and never fails,
 * and the canary is approved the moment the last canary finishes.
 */
export function simulateSchedule(plan: Plan, nowMs: number): SimulatedSchedule {
  const calendars = calendarsFor(plan);
  const horizonEnd = nowMs + plan.policy.horizonMs;
  const unschedulable: UnschedulableDevice[] = [];
  const skipped: string[] = [];

  if (plan.policy.respectWindows) {
    for (const name of plan.order) {
      const d = plan.devices[name];
      if (!d) continue;
      if (calendars.get(d.site)?.earliestStart(nowMs, d.durationMs, horizonEnd) === undefined) {
        skipped.push(name);
        unschedulable.push({
          name,
          reason: 'no-window-long-enough',
          message: `no maintenance window at site ${d.site} is long enough for ${hours(d.durationMs)} in the next ${hours(plan.policy.horizonMs)}`,
        });
      }
    }
  }

  const state: RolloutState = { running: [], done: [], failed: [], skipped, approvedCanary: plan.canary.length === 0, paused: false };
  const endOf = new Map<string, number>();
  const scheduled: ScheduledDevice[] = [];
  const waves: Wave[] = [];
  let t = nowMs;

  for (let events = 0; events < MAX_EVENTS; events++) {
    if (!state.approvedCanary && plan.canary.every((n) => state.done.includes(n) || state.skipped.includes(n))) {
      state.approvedCanary = true;
    }
    const decision = evaluateStartable(plan, state, t, calendars);
    if (decision.start.length > 0) {
      const wave = waves.length;
      waves.push({ index: wave, startMs: t, devices: [...decision.start] });
      for (const name of decision.start) {
        const end = t + (plan.devices[name]?.durationMs ?? 0);
        endOf.set(name, end);
        scheduled.push({ name, startMs: t, endMs: end, wave });
        state.running.push(name);
      }
    }
    const pending = Object.keys(decision.blocked);
    if (pending.length === 0 && state.running.length === 0) break;

    const candidates = state.running.map((n) => endOf.get(n) ?? t);
    if (pending.length > 0) {
      const wake = nextWakeUpMs(plan, state, t, calendars, { start: [], blocked: decision.blocked });
      if (wake !== undefined) candidates.push(wake);
    }
    if (candidates.length === 0) {
      for (const name of pending) {
        unschedulable.push({ name, reason: 'blocked', message: `${name} can never start: blocked by ${decision.blocked[name]}` });
      }
      break;
    }
    const next = Math.min(...candidates);
    if (next > horizonEnd && pending.length > 0) {
      for (const name of pending) {
        unschedulable.push({
          name,
          reason: 'beyond-horizon',
          message: `${name} would not start within the ${hours(plan.policy.horizonMs)} planning horizon`,
        });
      }
      break;
    }
    t = next;
    const finished = state.running.filter((n) => (endOf.get(n) ?? t) <= t);
    state.running = state.running.filter((n) => (endOf.get(n) ?? t) > t);
    state.done.push(...finished);
  }

  const lastEnd = scheduled.reduce((max, s) => Math.max(max, s.endMs), nowMs);
  return { startMs: nowMs, devices: scheduled, waves, makespanMs: lastEnd - nowMs, unschedulable };
}
