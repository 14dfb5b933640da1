import type { Plan, RolloutState } from './plan';
import type {
  DeviceOutcome,
  DeviceProgress,
  DeviceReport,
  RolloutTarget,
  FailureBudget,
  RolloutProgress,
  RolloutReport,
  RolloutStatus,
} from './rollout-api';

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
   * The planner's view. A busy device counts as failed: it may be down, so its
   * peers must stay up. In a dry run nothing is taken down, so a failed
   * pre-check holds no peer back.
   */
  plannerState(approved: boolean, paused: boolean, dryRun = false): RolloutState {
    return {
      running: this.names('running'),
      done: dryRun ? [...this.names('done'), ...this.names('failed')] : this.names('done'),
      failed: dryRun ? [] : this.names('failed'),
      skipped: this.names('skipped'),
      approvedCanary: approved,
      paused,
    };
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
    return this.plan.canary.every((n) => this.devices[n]?.state === 'done' || this.devices[n]?.state === 'skipped');
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
  }

  setWaiting(blocked: Record<string, string>): void {
    for (const d of Object.values(this.devices)) {
      if (d.state !== 'pending') continue;
      const reason = blocked[d.name];
      if (reason) d.waitingFor = reason;
      else delete d.waitingFor;
    }
  }

  mustGet(name: string): DeviceProgress {
    const d = this.devices[name];
    if (!d) throw new Error(`unknown device ${name}`);
    return d;
  }

  progress(base: Omit<RolloutProgress, 'total' | 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'devices' | 'canary'>): RolloutProgress {
    return {
      ...base,
      total: this.plan.order.length,
      pending: this.names('pending').length,
      running: this.names('running').length,
      done: this.names('done').length,
      failed: this.names('failed').length,
      skipped: this.names('skipped').length,
      canary: this.plan.canary,
      devices: this.plan.order.map((n) => this.devices[n]!),
    };
  }

  report(base: { name: string; status: RolloutStatus; targetVersion: string; dryRun: boolean; startedAtMs: number; endedAtMs: number; stopReason?: string }): RolloutReport {
    const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<DeviceOutcome, number>;
    const devices = this.plan.order.map((n) => this.reports[n]!);
    for (const r of devices) counts[r.outcome] += 1;
    return { ...base, counts, devices };
  }
}

export const OUTCOMES: DeviceOutcome[] = ['upgraded', 'changed', 'unchanged', 'already-current', 'rolled-back', 'failed', 'skipped', 'busy', 'aborted', 'ready', 'would-fail'];

/** Failures tolerated: the smaller of the count and the percentage, when both are given. */
export function budgetFor(budget: FailureBudget, total: number): number {
  const limits: number[] = [];
  if (budget.count !== undefined) limits.push(budget.count);
  if (budget.percent !== undefined) limits.push(Math.floor((budget.percent * total) / 100));
  return limits.length ? Math.min(...limits) : 0;
}
