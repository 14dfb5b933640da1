import type { Plan, RolloutState } from '../plan';
import { ALL_OUTCOMES } from '../contracts/job-kinds';
import type {
  ReportedError,
  DeviceOutcome,
  DeviceProgress,
  DeviceReport,
  RolloutTarget,
  FailureBudget,
  RolloutProgress,
  RolloutReport,
} from '../contracts/rollout';

/**
 * The rollout's bookkeeping, kept apart from the workflow's control flow so it
 * can be unit-tested and carried across continue-as-new as plain JSON.
 */
export class RolloutBook {
  constructor(
    readonly plan: Plan,
    readonly devices: Record<string, DeviceProgress>,
    readonly reports: Record<string, DeviceReport>,
  ) {}

  static fresh(plan: Plan, targets: RolloutTarget[]): RolloutBook {
    const devices: Record<string, DeviceProgress> = {};
    const reports: Record<string, DeviceReport> = {};
    const canary = new Set(plan.canary);
    for (const t of targets) {
      devices[t.name] = {
        name: t.name,
        state: 'pending',
        site: t.site,
        canary: canary.has(t.name),
        attempts: 0,
        ...(t.redundancyGroup ? { redundancyGroup: t.redundancyGroup } : {}),
      };
      reports[t.name] = { name: t.name, outcome: 'skipped', attempts: 0, canary: canary.has(t.name) };
    }
    return new RolloutBook(plan, devices, reports);
  }

  names(state: DeviceProgress['state']): string[] {
    return this.plan.order.filter((n) => this.devices[n]?.state === state);
  }

  /**
   * The planner's view. A device that another operation holds counts as down
   * (waiting, or `busy` after the wait): its peers must stay up. In a dry run
   * nothing is taken down, so a failed pre-check holds no peer back. At
   * `nowMs` a waiting device whose next attempt is due is offered again.
   */
  plannerState(approved: boolean, paused: boolean, dryRun = false, nowMs?: number): RolloutState {
    const busy = nowMs === undefined ? [] : this.busyWaiting().filter((n) => this.devices[n]!.busy!.retryAtMs > nowMs);
    return {
      running: this.names('running'),
      done: dryRun ? [...this.names('done'), ...this.names('failed')] : this.names('done'),
      failed: dryRun ? [] : this.names('failed'),
      skipped: this.names('skipped'),
      ...(busy.length > 0 ? { busy } : {}),
      approvedCanary: approved,
      paused,
    };
  }

  /** Pending devices waiting for another operation to release them. */
  busyWaiting(): string[] {
    return this.names('pending').filter((n) => this.devices[n]?.busy !== undefined);
  }

  /** When the next waiting device may be tried again; undefined when none waits. */
  nextBusyRetryMs(): number | undefined {
    const times = this.busyWaiting().map((n) => this.devices[n]!.busy!.retryAtMs);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /**
   * A start refused because another operation holds the device: it waits
   * (pending, tried again with a growing pause up to BUSY_RETRY_MAX_MS) until
   * `waitMs` after the first refusal, then it is reported `busy`. The refused
   * start is not an attempt.
   */
  busyRefused(name: string, holder: string, nowMs: number, waitMs: number): void {
    const d = this.mustGet(name);
    const r = this.reports[name]!;
    d.attempts = Math.max(0, d.attempts - 1);
    r.attempts = d.attempts;
    delete r.startedAtMs;
    const sinceMs = d.busy?.sinceMs ?? nowMs;
    const untilMs = sinceMs + waitMs;
    const tries = (d.busy?.tries ?? 0) + 1;
    if (nowMs >= untilMs) {
      delete d.busy;
      this.finish(name, 'busy', nowMs, { error: busyError(name, holder, waitMs) });
      return;
    }
    const pause = Math.min(BUSY_RETRY_MAX_MS, BUSY_RETRY_FIRST_MS * 2 ** (tries - 1));
    d.state = 'pending';
    d.busy = { holder, sinceMs, untilMs, retryAtMs: Math.min(untilMs, nowMs + pause), tries };
    d.waitingFor = `busy in ${holder}`;
  }

  /** The device's own operation has started: it is no longer waiting for anyone. */
  started(name: string): void {
    delete this.mustGet(name).busy;
  }

  /** Failures that count against the budget (a busy device is not the device's fault). */
  failuresCounted(): number {
    return this.names('failed').filter((n) => this.devices[n]?.outcome !== 'busy').length;
  }

  canariesSettled(): boolean {
    return this.plan.canary.every((n) => {
      const s = this.devices[n]?.state;
      return s === 'done' || s === 'failed' || s === 'skipped';
    });
  }

  canariesSucceeded(): boolean {
    return this.failedCanaries().length === 0;
  }

  /** Settled canaries that did not succeed (failed, rolled back, busy, ...). */
  failedCanaries(): string[] {
    return this.plan.canary.filter((n) => this.devices[n]?.state === 'failed');
  }

  allSettled(): boolean {
    return Object.values(this.devices).every((d) => d.state === 'done' || d.state === 'skipped' || d.state === 'failed');
  }

  markRunning(name: string, nowMs: number): void {
    const d = this.mustGet(name);
    d.state = 'running';
    d.attempts += 1;
    delete d.waitingFor;
    delete d.error;
    delete d.outcome;
    const r = this.reports[name]!;
    r.attempts = d.attempts;
    r.startedAtMs = nowMs;
    delete r.error;
  }

  finish(name: string, outcome: DeviceOutcome, nowMs: number, extra: Partial<DeviceReport>): void {
    const d = this.mustGet(name);
    const failed = outcome === 'failed' || outcome === 'busy' || outcome === 'rolled-back' || outcome === 'would-fail' || outcome === 'aborted';
    d.state = outcome === 'skipped' ? 'skipped' : failed ? 'failed' : 'done';
    d.outcome = outcome;
    if (extra.error) d.error = extra.error;
    if (extra.versionBefore) d.versionBefore = extra.versionBefore;
    if (extra.versionAfter) d.versionAfter = extra.versionAfter;
    const r = this.reports[name]!;
    Object.assign(r, extra, { outcome });
    if (r.startedAtMs !== undefined) r.durationMs = nowMs - r.startedAtMs;
  }

  /** A dry run's `would-fail` is an answer, not a failure of the run: it must not spend the budget. */
  dryRunVerdict(name: string): void {
    const d = this.mustGet(name);
    if (d.outcome === 'would-fail') d.state = 'done';
  }

  skip(name: string, reason: string): void {
    const d = this.mustGet(name);
    d.state = 'skipped';
    d.outcome = 'skipped';
    const r = this.reports[name]!;
    r.outcome = 'skipped';
    r.notes = [...(r.notes ?? []), reason];
  }

  requeue(name: string): void {
    const d = this.mustGet(name);
    d.state = 'pending';
    delete d.outcome;
    delete d.error;
    delete d.busy;
  }

  /**
   * Why each pending device waits, as the planner said; a device waiting for
   * another operation says so, and one held by its redundancy peers names them.
   */
  setWaiting(blocked: Record<string, string>, nowMs?: number): void {
    for (const d of Object.values(this.devices)) {
      if (d.state !== 'pending') continue;
      delete d.heldBy;
      const reason = blocked[d.name];
      if (d.busy && (nowMs === undefined || d.busy.retryAtMs > nowMs || !reason)) d.waitingFor = `busy in ${d.busy.holder}`;
      else if (reason) d.waitingFor = reason;
      else delete d.waitingFor;
      if (d.waitingFor === 'redundancy') {
        const heldBy = this.peersHolding(d.name);
        if (heldBy.length > 0) d.heldBy = heldBy;
      }
    }
  }

  /** The other members of the device's redundancy group that are out of service or may be. */
  private peersHolding(name: string): string[] {
    const group = this.devices[name]?.redundancyGroup;
    if (group === undefined) return [];
    return this.plan.order.filter((n) => {
      const p = this.devices[n];
      return n !== name && p?.redundancyGroup === group && (p.state === 'running' || p.state === 'failed' || p.busy !== undefined);
    });
  }

  mustGet(name: string): DeviceProgress {
    const d = this.devices[name];
    if (!d) throw new Error(`unknown device ${name}`);
    return d;
  }

  progress(base: Omit<RolloutProgress, 'total' | 'pending' | 'running' | 'done' | 'failed' | 'failuresCounted' | 'skipped' | 'devices' | 'canary'>): RolloutProgress {
    return {
      ...base,
      total: this.plan.order.length,
      pending: this.names('pending').length,
      running: this.names('running').length,
      done: this.names('done').length,
      failed: this.names('failed').length,
      failuresCounted: this.failuresCounted(),
      skipped: this.names('skipped').length,
      canary: this.plan.canary,
      devices: this.plan.order.map((n) => this.devices[n]!),
    };
  }

  /** The report; `outcomes` orders its counts (the rollout's kind first, see reportOutcomes). */
  report(base: Omit<RolloutReport, 'counts' | 'devices'>, outcomes: readonly DeviceOutcome[] = OUTCOMES): RolloutReport {
    const counts = Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<DeviceOutcome, number>;
    const devices = this.plan.order.map((n) => this.reports[n]!);
    for (const r of devices) counts[r.outcome] += 1;
    return { ...base, counts, devices };
  }
}

/** First pause before a busy device is tried again; it doubles up to the maximum. */
export const BUSY_RETRY_FIRST_MS = 1_000;
export const BUSY_RETRY_MAX_MS = 30_000;

function busyError(name: string, holder: string, waitMs: number): ReportedError {
  return {
    type: 'DeviceBusy',
    message: `${name} was still held by ${holder} after waiting ${waitMs < 60_000 ? `${waitMs / 1000} s` : `${Math.round(waitMs / 60_000)} min`} (its workflow device/${name} is running)`,
    hint: `let ${holder} finish (or stop it), then retry the device; or skip it`,
  };
}

/** Every outcome a report counts, from the table of job kinds (each kind's, then the engine's). */
export const OUTCOMES: readonly DeviceOutcome[] = ALL_OUTCOMES;

/** Failures tolerated: the smaller of the count and the percentage, when both are given. */
export function budgetFor(budget: FailureBudget, total: number): number {
  const limits: number[] = [];
  if (budget.count !== undefined) limits.push(budget.count);
  if (budget.percent !== undefined) limits.push(Math.floor((budget.percent * total) / 100));
  return limits.length ? Math.min(...limits) : 0;
}
