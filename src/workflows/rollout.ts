import {
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeviceLockActivities } from '../activities/device-lock';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { RolloutActivities } from '../activities/roles';
import type { RedundancyRole } from '../contracts/rollout-policy';
import { toDeviceError } from './device-failure';
import { buildPlan, evaluateStartable, nextWakeUpMs, PlanError, type Plan, type PlanDevice } from '../plan';
import { calendarsFor } from '../plan/admission';
import {
  abortUpdate,
  approveUpdate,
  deviceWorkflowId,
  pauseUpdate,
  progressQuery,
  resumeUpdate,
  retryDeviceUpdate,
  skipDeviceUpdate,
  DEFAULT_BUSY_WAIT_MS,
  type ApprovalRecord,
  type ApproveArgs,
  type DeviceArgs,
  type ReportedError,
  type DeviceJobResult,
  type ReasonArgs,
  isDeviceTarget,
  type DeviceTarget,
  type RolloutTarget,
  type RolloutInput,
  type RolloutProgress,
  type RolloutReport,
  type RolloutStatus,
} from '../contracts/rollout';
import { renderRolloutDetails } from '../contracts/rollout-details';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';
import { refusal, refuseIf } from './update-refusal';
import { childSpec, refuseImagelessUpgrade } from './jobs';
import { jobLabel, reportOutcomes } from '../contracts/job-kinds';
import { budgetFor, RolloutBook } from './rollout-state';
import { SA_DEVICES, SA_KIND, SA_ROLLOUT_ID, SA_TARGET_VERSION } from '../contracts/search-attributes';
import { ROLLOUT_STATUS_MEMO } from '../contracts/rollout-memo';
import { failedCanaryRefusal } from '../contracts/rollout-hints';

const DEFAULT_HISTORY_EVENT_LIMIT = 5_000;

/** Patch ids of shipped changes (rollouts started before them replay the old way). */
const BUSY_WAIT_PATCH = 'rollout-busy-wait';
const STATUS_MEMO_PATCH = 'rollout-status-memo';

const { redundancyRoles } = proxyActivities<RolloutActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

const { deviceLockHolder } = proxyActivities<DeviceLockActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/**
 * A staggered, pair-aware rollout: one child workflow per device (`device/<name>`)
 * admitted by the pure planner, steered by updates, resumable after any crash
 * because every decision is replayed from history.
 */
export async function rolloutWorkflow(raw: RolloutInput): Promise<RolloutReport> {
  const input: RolloutInput = acceptInput('rolloutWorkflow', raw);
  refuseImagelessUpgrade(input);
  const { settings } = input;
  const carried = input.carried;
  const startedAtMs = carried?.startedAtMs ?? Date.now();
  const generation = carried?.generation ?? 1;
  let plan: Plan;
  let book: RolloutBook;
  let status: RolloutStatus = 'planning';
  let approved = carried?.approved ?? false;
  let approval: ApprovalRecord | undefined = carried?.approval;
  let publishedStatus: RolloutStatus | undefined;
  let paused = carried?.paused ?? false;
  let aborting = false;
  let stopReason = carried?.stopReason;
  let changed = true;
  const targets = new Map(input.devices.map((d) => [d.name, d]));
  const budget = budgetFor(settings.failureBudget, input.devices.length);
  const childScope = new CancellationScope();
  const label = jobLabel(input.job);

  const progress = (): RolloutProgress =>
    book
      ? book.progress({
          name: input.name,
          status,
          targetVersion: label,
          dryRun: settings.dryRun,
          failureBudget: budget,
          approved,
          ...(approval ? { approval } : {}),
          paused,
          generation,
          ...(stopReason ? { stopReason } : {}),
        })
      : emptyProgress(input, status, budget, generation);

  setHandler(progressQuery, progress);
  registerControls();

  let roles: Record<string, RedundancyRole>;
  let plannedAtMs: number;
  if (carried) {
    roles = carried.roles;
    plannedAtMs = carried.plannedAtMs;
    plan = planFor(roles, plannedAtMs);
    book = new RolloutBook(plan, carried.devices, carried.reports);
  } else {
    // Standby members go first: ask the SSH devices in redundancy groups which role they hold now.
    const inGroups = input.devices.filter((d): d is DeviceTarget => isDeviceTarget(d) && d.redundancyGroup !== undefined);
    roles = inGroups.length > 0 ? await redundancyRoles(inGroups) : {};
    plannedAtMs = Date.now();
    plan = planFor(roles, plannedAtMs);
    book = RolloutBook.fresh(plan, input.devices);
    // A device no window can hold would otherwise block every later site forever.
    for (const u of plan.schedule.unschedulable) book.skip(u.name, u.message);
  }
  const calendars = calendarsFor(plan);
  status = 'running';

  for (;;) {
    if (!approved && plan.canary.length > 0 && !settings.requireApproval && book.canariesSettled() && book.canariesSucceeded()) {
      approved = true;
      approval = { by: 'automatic', atMs: Date.now(), despiteFailedCanary: false, failedCanaries: [] };
    }
    const overBudget = book.failuresCounted() > budget;
    if (overBudget && !stopReason) stopReason = `failure budget spent: ${book.failuresCounted()} failed, ${budget} tolerated`;
    const draining = needsContinueAsNew();
    const now = Date.now();
    let wakeAt: number | undefined;
    let stuck = false;
    if (!aborting && !overBudget && !draining) {
      const state = book.plannerState(approved, paused, settings.dryRun, now);
      const decision = evaluateStartable(plan, state, now, calendars);
      book.setWaiting(decision.blocked, now);
      for (const name of decision.start) await startDevice(name);
      if (decision.start.length > 0) continue;
      wakeAt = earliest(nextWakeUpMs(plan, state, now, calendars, decision), book.nextBusyRetryMs());
      stuck = wakeAt === undefined && book.names('running').length === 0 && book.names('pending').length > 0;
    }
    status = currentStatus(overBudget, stuck);
    publishStatus();
    setCurrentDetails(renderRolloutDetails(progress()));
    const running = book.names('running').length;
    if (running === 0) {
      if (aborting || overBudget || book.allSettled()) break;
      if (draining) {
        await condition(allHandlersFinished);
        return continueAsNew<typeof rolloutWorkflow>({
          ...input,
          carried: {
            generation: generation + 1,
            startedAtMs,
            plannedAtMs,
            roles,
            devices: book.devices,
            reports: book.reports,
            approved,
            ...(approval ? { approval } : {}),
            paused,
            ...(stopReason ? { stopReason } : {}),
          },
        });
      }
    }
    changed = false;
    if (wakeAt !== undefined) await condition(() => changed, Math.max(1, wakeAt - now));
    else await condition(() => changed);
  }

  status = aborting ? 'aborted' : book.failuresCounted() > budget || book.names('failed').length > 0 ? 'failed' : 'completed';
  if (status === 'failed' && !stopReason) stopReason = failedReason(book);
  publishStatus();
  setCurrentDetails(renderRolloutDetails(progress()));
  await condition(allHandlersFinished);
  const report = book.report({
    name: input.name,
    status,
    targetVersion: label,
    dryRun: settings.dryRun,
    startedAtMs,
    endedAtMs: Date.now(),
    ...(stopReason ? { stopReason } : {}),
    ...(approval ? { approval } : {}),
  }, reportOutcomes(input.job.kind));
  if (status === 'completed') return report;
  throw ApplicationFailure.create({
    type: status === 'aborted' ? 'RolloutAborted' : 'RolloutFailed',
    message: `rollout ${input.name} ${status}: ${stopReason ?? 'aborted by the operator'}`,
    nonRetryable: true,
    details: [report],
  });

  function planFor(knownRoles: Record<string, RedundancyRole>, atMs: number): Plan {
    try {
      return buildPlan(input.devices.map((d) => toPlanDevice(d, knownRoles[d.name])), input.sites, settings, atMs);
    } catch (err) {
      if (err instanceof PlanError) throw ApplicationFailure.create({ type: 'InvalidInput', message: err.message, nonRetryable: true });
      throw err;
    }
  }

  function currentStatus(overBudget: boolean, stuck: boolean): RolloutStatus {
    if (aborting || overBudget) return 'stopping';
    if (paused) return 'paused';
    if (plan.canary.length > 0 && !approved && book.canariesSettled()) return 'awaiting-approval';
    return stuck ? 'blocked' : 'running';
  }

  /** The status in the workflow's memo, so `rollout list` says what `status` says (an aborted rollout is not "FAILED"). */
  function publishStatus(): void {
    if (status === publishedStatus || !patched(STATUS_MEMO_PATCH)) return;
    publishedStatus = status;
    upsertMemo({ [ROLLOUT_STATUS_MEMO]: status });
  }

  function needsContinueAsNew(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > (settings.historyEventLimit ?? DEFAULT_HISTORY_EVENT_LIMIT);
  }

  async function startDevice(name: string): Promise<void> {
    const target = targets.get(name)!;
    book.markRunning(name, Date.now());
    const spec = childSpec(input, target);
    let handle;
    try {
      handle = await childScope.run(() =>
        startChild(spec.workflow, {
          workflowId: deviceWorkflowId(name),
          args: spec.args,
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          staticSummary: spec.summary,
          typedSearchAttributes: [
            { key: SA_KIND, value: spec.kind },
            { key: SA_ROLLOUT_ID, value: input.name },
            { key: SA_TARGET_VERSION, value: label },
            { key: SA_DEVICES, value: [name] },
          ],
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        if (patched(BUSY_WAIT_PATCH)) {
          // Busy is not failed: wait for the other operation, never spending the budget.
          const holder = book.devices[name]?.busy?.holder ?? (await lockHolder(name));
          book.busyRefused(name, holder, Date.now(), settings.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS);
          changed = true;
          return;
        }
        book.finish(name, 'busy', Date.now(), {
          error: {
            type: 'DeviceBusy',
            message: `another operation is running on ${name} (workflow ${deviceWorkflowId(name)})`,
            hint: 'wait for it to finish, then retry the device',
          },
        });
        changed = true;
        return;
      }
      throw err;
    }
    book.started(name);
    handle.result().then(
      (result) => {
        book.finish(name, result.outcome, Date.now(), reportFields(result));
        if (settings.dryRun) book.dryRunVerdict(name);
        changed = true;
      },
      (err) => {
        const fromChild = childResult(err);
        const error: ReportedError = fromChild?.error ?? toDeviceError(err);
        const outcome = aborting && error.type === 'Cancelled' ? 'aborted' : (fromChild?.outcome === 'rolled-back' ? 'rolled-back' : 'failed');
        book.finish(name, outcome, Date.now(), { ...(fromChild ? reportFields(fromChild) : {}), error });
        changed = true;
      },
    );
  }

  /** `rollout/<name>` when the holder belongs to a rollout; the device's workflow id when that cannot be told. */
  async function lockHolder(name: string): Promise<string> {
    try {
      const holder = await deviceLockHolder(deviceWorkflowId(name));
      return holder.rollout ? `rollout/${holder.rollout}` : holder.workflowId;
    } catch {
      return deviceWorkflowId(name);
    }
  }

  function registerControls(): void {
    const finished = () => status === 'completed' || status === 'failed' || status === 'aborted';
    setHandler(
      pauseUpdate,
      ({ reason }: ReasonArgs) => {
        paused = true;
        changed = true;
        return { ok: true as const, message: `paused${reason ? ` (${reason})` : ''}: no new device starts; ${book.names('running').length} running will finish` };
      },
      { validator: (_args: ReasonArgs) => refuseIf(finished() || aborting, 'pause', 'RolloutEnded', 'the rollout is finishing') ?? refuseIf(paused, 'pause', 'AlreadyPaused', 'already paused') },
    );
    setHandler(
      resumeUpdate,
      (_args: ReasonArgs) => {
        paused = false;
        changed = true;
        return { ok: true as const, message: 'resumed' };
      },
      { validator: (_args: ReasonArgs) => refuseIf(finished(), 'resume', 'RolloutEnded', 'the rollout has ended') ?? refuseIf(!paused, 'resume', 'NotPaused', 'not paused') },
    );
    setHandler(
      approveUpdate,
      (args: ApproveArgs) => {
        const failedCanaries = book.failedCanaries();
        approved = true;
        approval = {
          by: 'operator',
          atMs: Date.now(),
          despiteFailedCanary: failedCanaries.length > 0,
          failedCanaries,
          ...(args?.reason ? { reason: args.reason } : {}),
        };
        changed = true;
        const despite = failedCanaries.length > 0 ? ` despite the failed canary ${failedCanaries.join(', ')}` : '';
        return { ok: true as const, message: `approved${despite}: the remaining ${book.names('pending').length} devices may start` };
      },
      {
        validator: (args: ApproveArgs) => {
          if (finished() || aborting) throw refusal('approve', 'RolloutEnded', 'the rollout has ended');
          if (!book) throw refusal('approve', 'StillPlanning', 'the rollout is still planning; approve when its canaries have run');
          if (plan.canary.length === 0) throw refusal('approve', 'NoCanary', 'this rollout has no canary to approve');
          if (approved) throw refusal('approve', 'AlreadyApproved', 'already approved');
          const open = plan.canary.filter((n) => book.devices[n]?.state === 'running' || book.devices[n]?.state === 'pending');
          if (open.length > 0) throw refusal('approve', 'CanaryRunning', `the canary is not finished yet (${open.join(', ')}); approve when it is`);
          const failed = book.failedCanaries();
          if (failed.length > 0 && !args?.despiteFailedCanary) {
            throw refusal('approve', 'CanaryFailed', failedCanaryRefusal(progress(), failed));
          }
        },
      },
    );
    setHandler(
      abortUpdate,
      ({ reason }: ReasonArgs) => {
        aborting = true;
        stopReason = `aborted by the operator${reason ? `: ${reason}` : ''}`;
        childScope.cancel();
        changed = true;
        return { ok: true as const, message: `aborting: ${book ? book.names('running').length : 0} running device(s) are being stopped and their priority restored` };
      },
      { validator: (_args: ReasonArgs) => refuseIf(finished(), 'abort', 'RolloutEnded', 'the rollout has already ended') ?? refuseIf(aborting, 'abort', 'AlreadyAborting', 'already aborting') },
    );
    setHandler(
      retryDeviceUpdate,
      ({ device }: DeviceArgs) => {
        book.requeue(device);
        changed = true;
        return { ok: true as const, message: `${device} will be retried` };
      },
      {
        validator: ({ device }: DeviceArgs) => {
          if (finished() || aborting) throw refusal('retryDevice', 'RolloutEnded', 'the rollout has ended', device);
          const d = book?.devices[device];
          if (!d) throw refusal('retryDevice', 'UnknownDevice', `${device} is not in this rollout`, device);
          if (d.state !== 'failed') throw refusal('retryDevice', 'NotFailed', `${device} is ${d.state}, only a failed device can be retried`, device);
        },
      },
    );
    setHandler(
      skipDeviceUpdate,
      ({ device, reason }: DeviceArgs) => {
        book.skip(device, `skipped by the operator${reason ? `: ${reason}` : ''}`);
        changed = true;
        return { ok: true as const, message: `${device} skipped` };
      },
      {
        validator: ({ device }: DeviceArgs) => {
          if (finished() || aborting) throw refusal('skipDevice', 'RolloutEnded', 'the rollout has ended', device);
          const d = book?.devices[device];
          if (!d) throw refusal('skipDevice', 'UnknownDevice', `${device} is not in this rollout`, device);
          if (d.state === 'running') throw refusal('skipDevice', 'DeviceRunning', `${device} is running; abort the rollout or wait for it`, device);
          if (d.state === 'done' || d.state === 'skipped') throw refusal('skipDevice', 'DeviceSettled', `${device} is already ${d.state}`, device);
        },
      },
    );
  }
}

/** `2 device(s) failed`, `1 device(s) busy (held by another operation)`, or both. */
function failedReason(book: RolloutBook): string {
  const failed = book.failuresCounted();
  const busy = book.names('failed').length - failed;
  const parts = [failed > 0 ? `${failed} device(s) failed` : '', busy > 0 ? `${busy} device(s) busy (held by another operation)` : ''];
  return parts.filter(Boolean).join(', ');
}

function earliest(...times: Array<number | undefined>): number | undefined {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

function toPlanDevice(d: RolloutTarget, role: PlanDevice['role'] | undefined): PlanDevice {
  return {
    name: d.name,
    site: d.site,
    groups: d.groups,
    ...(d.redundancyGroup ? { redundancyGroup: d.redundancyGroup } : {}),
    role: role ?? 'unknown',
  };
}

function childResult(err: unknown): DeviceJobResult | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof ApplicationFailure) {
      const details = current.details?.[0] as { result?: DeviceJobResult } | undefined;
      if (details?.result) return details.result;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function reportFields(r: DeviceJobResult) {
  return {
    ...(r.versionBefore ? { versionBefore: r.versionBefore } : {}),
    ...(r.versionAfter ? { versionAfter: r.versionAfter } : {}),
    ...(r.notes.length ? { notes: r.notes } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

function emptyProgress(input: RolloutInput, status: RolloutStatus, budget: number, generation: number): RolloutProgress {
  return {
    name: input.name,
    status,
    targetVersion: jobLabel(input.job),
    dryRun: input.settings.dryRun,
    total: input.devices.length,
    pending: input.devices.length,
    running: 0,
    done: 0,
    failed: 0,
    skipped: 0,
    failureBudget: budget,
    canary: [],
    approved: false,
    paused: false,
    generation,
    devices: [],
  };
}

failOnUnexpectedErrors(rolloutWorkflow);
