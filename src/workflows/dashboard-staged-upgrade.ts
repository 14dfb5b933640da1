import { ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { FirmwareCheck, FirmwareVersion, NetworkRef, PlannedStage, RestActivities, StageSchedule } from '../activities/rest';
import { STAGED_PRODUCTS, type DashboardNetworkUpgradeInput, type StagedProduct } from '../contracts/dashboard';
import type { DeviceJobResult } from '../contracts/rollout';
import { stepTimeout } from '../contracts/rollout';
import { DEFAULT_NO_WORKER_TIMEOUT_MS, orgTaskQueue } from './dashboard-org-queue';
import { DASHBOARD_RETRY, toDeviceError } from './device-failure';

/** Marks executions that may take the staged path (new in this version of the workflow). */
export const STAGED_UPGRADE_PATCH = 'dashboard-staged-upgrade-v1';

const DEFAULT_START_DELAY_MS = 60_000;
const DEFAULT_STAGE_INTERVAL_MS = 60 * 60_000;

function name(v: FirmwareVersion): string {
  return v.shortName ?? v.firmware ?? `version id ${v.id}`;
}

function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function proxies(input: DashboardNetworkUpgradeInput) {
  const taskQueue = orgTaskQueue(input.network.orgId);
  const scheduleToStartTimeout = DEFAULT_NO_WORKER_TIMEOUT_MS;
  const t = input.timings;
  const job = input.job;
  const quick = proxyActivities<RestActivities>({ taskQueue, scheduleToStartTimeout, startToCloseTimeout: stepTimeout(t), retry: { ...DASHBOARD_RETRY, maximumAttempts: 10 } });
  // Stage n starts n intervals after the first: its wait may last that much longer than one upgrade.
  const waiting = (stageIndex: number) =>
    proxyActivities<RestActivities>({
      taskQueue,
      scheduleToStartTimeout,
      startToCloseTimeout: Math.max(t.stageTimeoutMs, t.reloadTimeoutMs) + (job.startDelayMs ?? DEFAULT_START_DELAY_MS) + stageIndex * (job.stageIntervalMs ?? DEFAULT_STAGE_INTERVAL_MS) + 60_000,
      heartbeatTimeout: Math.max(t.heartbeatTimeoutMs, (job.pollIntervalMs ?? 10_000) * 3),
      retry: { ...DASHBOARD_RETRY, maximumAttempts: 5 },
    });
  return { quick, waiting };
}

export interface StagedContext {
  input: DashboardNetworkUpgradeInput;
  net: NetworkRef;
  /** The pre-check: the network's version, the target resolved, its devices. */
  before: FirmwareCheck;
  result: DeviceJobResult;
  step: (text: string) => void;
}

/**
 * A switch network's upgrade through its pre-built staged upgrade groups:
 * read the groups and their stage order (a network without groups is
 * refused, saying how to create them), schedule every stage in one staged
 * event (at most once: the schedule activity recognises its own event by
 * version and stage times), then stage by stage wait until the dashboard
 * reports it done and check that its switches report the version before the
 * next stage may start, and finally the network's post-check. A failure after
 * our schedule rolls the event back (started stages go back, pending ones are
 * cancelled); an operator's abort defers the pending stages by a week, or
 * rolls the event back when the job says so. Throws what failed, with
 * `result` filled in; the caller turns that into the network's failure.
 */
export async function stagedNetworkUpgrade(c: StagedContext): Promise<DeviceJobResult> {
  const { input, net, before, result, step } = c;
  const { job, network } = input;
  const { quick, waiting } = proxies(input);
  const target = before.target;
  const pollIntervalMs = job.pollIntervalMs ?? 10_000;
  if (!(STAGED_PRODUCTS as readonly string[]).includes(before.product)) {
    throw ApplicationFailure.create({
      type: 'StagedNotSupported',
      nonRetryable: true,
      message: `staged upgrades exist for switch networks only (switch, switchCatalyst); this network's ${before.product} firmware is upgraded network-wide: roll it out without --staged`,
    });
  }
  const product = before.product as StagedProduct;

  step('staged: read groups and stage order');
  const plan = await quick.readStagedPlan.executeWithOptions({ summary: `staged groups of ${network.name}` }, [net, { product }]);
  const describe = (s: PlannedStage, i: number) => `stage ${i + 1}/${plan.stages.length} (${s.name}${s.isDefault ? ', default group' : `, ${s.devices} switch(es)${s.stacks ? ` + ${s.stacks} stack(s)` : ''}`})`;
  if (input.dryRun) {
    result.outcome = before.total === 0 ? 'would-fail' : 'ready';
    result.notes.push(
      before.total === 0 ? `the network has no ${product} devices` : `ready: ${before.total} ${product} devices ${name(before.current)} -> ${name(target)} in ${plan.stages.map(describe).join(', ')}`,
    );
    return result;
  }

  // Times come from workflow time, so every retry of the schedule sends the very same body.
  const first = Date.now() + (job.startDelayMs ?? DEFAULT_START_DELAY_MS);
  const stages: StageSchedule[] = plan.stages.map((s, i) => ({ groupId: s.groupId, scheduledFor: iso(first + i * (job.stageIntervalMs ?? DEFAULT_STAGE_INTERVAL_MS)) }));
  let ours = false;
  try {
    step('staged: schedule');
    const sched = await quick.scheduleStagedUpgrade.executeWithOptions({ summary: `schedule ${name(target)} on ${network.name} in ${stages.length} stages` }, [net, { product, toVersion: target, stages }]);
    ours = sched.ours;
    if (!sched.ours) result.notes.push(`a staged upgrade to ${name(target)} was already scheduled by someone else (${sched.stages.map((s) => s.scheduledFor).join(', ')}); followed it`);

    for (const [i, stage] of plan.stages.entries()) {
      const label = describe(stage, i);
      step(`staged: ${label}`);
      const waited = await waiting(i).waitForStagedStage.executeWithOptions({ summary: `wait for ${label} of ${network.name}` }, [net, { product, toVersion: target, groupId: stage.groupId, label }, { pollIntervalMs }]);
      const check = await quick.checkStagedGroup.executeWithOptions({ summary: `check ${label} of ${network.name}` }, [net, { product, groupId: stage.groupId, firmware: target.firmware ?? '' }]);
      if (check.checked && check.onTarget !== check.total) {
        throw ApplicationFailure.create({
          type: 'FirmwareNotReported',
          nonRetryable: true,
          message: `${label}: ${check.total - check.onTarget} of ${check.total} switches do not report ${target.firmware ?? name(target)} after the stage completed (e.g. ${check.behind.slice(0, 5).join(', ')}); the later stages were not let run`,
        });
      }
      result.notes.push(`${label} done${waited.completedAt ? ` at ${waited.completedAt}` : ''}${check.checked ? `: ${check.onTarget}/${check.total} on ${name(target)}` : ' (switch stacks: checked by the post-check)'}`);
    }

    step('post-check');
    const after = await quick.readNetworkFirmware.executeWithOptions({ summary: `verify ${network.name}` }, [net, { version: job.firmware, productType: before.product }]);
    result.versionAfter = name(after.current);
    if (after.onTarget !== after.total) {
      throw ApplicationFailure.create({
        type: 'FirmwareNotReported',
        nonRetryable: true,
        message: `${after.total - after.onTarget} of ${after.total} ${after.product} devices do not report ${target.firmware ?? name(target)} after every stage (e.g. ${after.behind.slice(0, 5).join(', ')})`,
      });
    }
    result.outcome = 'upgraded';
    return result;
  } catch (err) {
    if (!ours) throw err;
    const aborted = isCancellation(err);
    if (aborted && (job.stagedAbort ?? 'defer') === 'defer') {
      await CancellationScope.nonCancellable(async () => {
        step('staged: abort, defer the pending stages');
        await quick.deferStagedUpgrade.executeWithOptions({ summary: `defer the pending stages of ${network.name}` }, [net, { toVersion: target, stages }]);
      });
      throw err;
    }
    if (!aborted && job.rollbackOnFailure === false) throw err;
    const why = aborted ? 'aborted by the operator' : toDeviceError(err).message;
    await CancellationScope.nonCancellable(async () => {
      step('staged: roll back');
      try {
        const rb = await quick.rollbackStagedUpgrade.executeWithOptions({ summary: `roll back the staged upgrade of ${network.name}` }, [net, { fromVersion: target, comment: `rollout ${input.rollout}: ${why}`.slice(0, 200) }]);
        for (const groupId of rb.groupIds) {
          const label = `rollback of group ${plan.stages.find((s) => s.groupId === groupId)?.name ?? groupId}`;
          await waiting(0).waitForStagedStage.executeWithOptions({ summary: `wait for the ${label} of ${network.name}` }, [net, { product, toVersion: before.current, groupId, label }, { pollIntervalMs }]);
        }
        result.outcome = 'rolled-back';
        result.versionAfter = name(before.current);
        result.notes.push(rb.rolledBack ? `staged upgrade rolled back: ${rb.status}` : `nothing to roll back (${rb.status})`);
      } catch (rbErr) {
        result.notes.push(`roll back failed: ${toDeviceError(rbErr).message}`);
      }
    });
    throw err;
  }
}
