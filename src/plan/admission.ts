import { SiteCalendar } from './site-calendar';
import type { BlockReason, Plan, PlannedDevice, RolloutState } from './types';

export interface StartDecision {
  /** Devices to start now, in plan order. */
  start: string[];
  /** Why each other pending device may not start now (the first rule that stopped it). */
  blocked: Record<string, BlockReason>;
}

/** One calendar per site, reusable across calls with the same plan (they cache window instances). */
export function calendarsFor(plan: Plan): Map<string, SiteCalendar> {
  const calendars = new Map<string, SiteCalendar>();
  for (const [name, info] of Object.entries(plan.sites)) {
    calendars.set(name, new SiteCalendar(info.site, plan.policy.respectWindows));
  }
  return calendars;
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function groupLimit(plan: Plan, group: string): number | undefined {
  const perGroup = plan.policy.perGroup;
  if (perGroup === undefined) return undefined;
  return typeof perGroup === 'number' ? perGroup : perGroup[group];
}

/**
 * Which pending devices may start now. A device starts only when all of these
 * hold, checked in plan order with the devices picked earlier in the same call
 * counted as running:
 * - the rollout is not paused;
 * - before the canary is approved, only canaries start;
 * - fewer than `window` devices are in flight, and fewer than `perSite` at its
 *   site, and fewer than the limit of each of its inventory groups;
 * - fewer than `maxUnavailable` members of its redundancy group are running,
 *   failed or busy: a failed member may be down, and a busy one is in another
 *   operation's hands, so its peers stay up until it is retried, skipped or
 *   done;
 * - its site is among the first `siteConcurrency` sites (in site order) that
 *   still have non-canary work pending or running (canaries are exempt);
 * - when windows are respected, it can finish inside the window open now.
 */
export function evaluateStartable(
  plan: Plan,
  state: RolloutState,
  nowMs: number,
  calendars: Map<string, SiteCalendar> = calendarsFor(plan),
): StartDecision {
  const known = (names: string[]): PlannedDevice[] =>
    names.map((n) => plan.devices[n]).filter((d): d is PlannedDevice => d !== undefined);
  const running = known(state.running);
  const failed = known(state.failed);
  const busy = known(state.busy ?? []);
  const settled = new Set([...state.running, ...state.done, ...state.failed, ...state.skipped, ...(state.busy ?? [])]);
  const pending = plan.order.filter((n) => !settled.has(n));
  const blocked: Record<string, BlockReason> = {};
  if (state.paused) {
    for (const n of pending) blocked[n] = 'paused';
    return { start: [], blocked };
  }

  let inFlight = 0;
  const perSite = new Map<string, number>();
  const perGroup = new Map<string, number>();
  const down = new Map<string, number>();
  const take = (d: PlannedDevice): void => {
    inFlight++;
    bump(perSite, d.site);
    for (const g of d.groups) bump(perGroup, g);
    if (d.redundancyGroup !== undefined) bump(down, d.redundancyGroup);
  };
  for (const d of running) take(d);
  for (const d of [...failed, ...busy]) if (d.redundancyGroup !== undefined) bump(down, d.redundancyGroup);

  const maxDown = new Map(plan.redundancyGroups.map((g) => [g.name, g.maxUnavailable]));
  const sitesWithWork = new Set<string>();
  for (const d of [...running, ...busy, ...known(pending)]) if (!d.canary) sitesWithWork.add(d.site);
  const openSites = new Set(plan.siteOrder.filter((site) => sitesWithWork.has(site)).slice(0, plan.policy.siteConcurrency));
  const gateClosed = plan.canary.length > 0 && !state.approvedCanary;
  const start: string[] = [];

  for (const name of pending) {
    const d = plan.devices[name];
    if (!d) continue;
    const reason = firstBlock(d);
    if (reason) {
      blocked[name] = reason;
      continue;
    }
    start.push(name);
    take(d);
  }
  return { start, blocked };

  function firstBlock(d: PlannedDevice): BlockReason | undefined {
    if (gateClosed && !d.canary) return 'canary-gate';
    if (inFlight >= plan.policy.window) return 'window-full';
    if (!d.canary && !openSites.has(d.site)) return 'site-order';
    if (plan.policy.perSite !== undefined && (perSite.get(d.site) ?? 0) >= plan.policy.perSite) return 'site-limit';
    for (const g of d.groups) {
      const limit = groupLimit(plan, g);
      if (limit !== undefined && (perGroup.get(g) ?? 0) >= limit) return 'group-limit';
    }
    if (d.redundancyGroup !== undefined && (down.get(d.redundancyGroup) ?? 0) >= (maxDown.get(d.redundancyGroup) ?? 1)) {
      return 'redundancy';
    }
    const calendar = calendars.get(d.site);
    if (plan.policy.respectWindows && calendar && !calendar.fits(nowMs, d.durationMs)) return 'maintenance-window';
    return undefined;
  }
}

/** The devices to start now, in plan order; see `evaluateStartable` for the rules. */
export function nextStartable(plan: Plan, state: RolloutState, nowMs: number): string[] {
  return evaluateStartable(plan, state, nowMs).start;
}

/**
 * When a device now held back only by its maintenance window could start
 * (the next window long enough for it); undefined when none is waiting for a
 * window or none opens within the plan's horizon. The workflow sleeps until
 * then unless another event (a device finishing) wakes it first.
 */
export function nextWakeUpMs(
  plan: Plan,
  state: RolloutState,
  nowMs: number,
  calendars: Map<string, SiteCalendar> = calendarsFor(plan),
  decision: StartDecision = evaluateStartable(plan, state, nowMs, calendars),
): number | undefined {
  let earliest: number | undefined;
  const seen = new Set<string>();
  for (const [name, reason] of Object.entries(decision.blocked)) {
    const d = plan.devices[name];
    if (reason !== 'maintenance-window' || !d) continue;
    const key = `${d.site}\u0000${d.durationMs}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const t = calendars.get(d.site)?.earliestStart(nowMs, d.durationMs, nowMs + plan.policy.horizonMs);
    if (t !== undefined && t > nowMs && (earliest === undefined || t < earliest)) earliest = t;
  }
  return earliest;
}
