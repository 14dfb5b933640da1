import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
} from '@temporalio/workflow';
import type { FirmwareVersion, NetworkRef, RestActivities, ScheduleResult } from '../activities/rest';
import type { DashboardNetworkUpgradeInput } from '../contracts/dashboard';
import { DEFAULT_NO_WORKER_TIMEOUT_MS, explainNoWorker, orgTaskQueue } from './dashboard-org-queue';
import { DASHBOARD_RETRY, deviceFailure, toDeviceError } from './device-failure';
import type { DeviceJobResult } from '../contracts/rollout';
import { stepTimeout } from '../contracts/rollout';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';
import { STAGED_UPGRADE_PATCH, stagedNetworkUpgrade } from './dashboard-staged-upgrade';

const DEFAULT_START_DELAY_MS = 60_000;

function proxies(input: DashboardNetworkUpgradeInput) {
  const taskQueue = orgTaskQueue(input.network.orgId);
  const scheduleToStartTimeout = DEFAULT_NO_WORKER_TIMEOUT_MS;
  const retry = DASHBOARD_RETRY;
  const t = input.timings;
  const quick = proxyActivities<RestActivities>({ taskQueue, scheduleToStartTimeout, startToCloseTimeout: stepTimeout(t), retry: { ...retry, maximumAttempts: 10 } });
  // The wait reads the network for as long as an upgrade may take; its heartbeats carry what it read.
  const waiting = proxyActivities<RestActivities>({
    taskQueue,
    scheduleToStartTimeout,
    startToCloseTimeout: Math.max(t.stageTimeoutMs, t.reloadTimeoutMs) + (input.job.startDelayMs ?? DEFAULT_START_DELAY_MS) + 60_000,
    heartbeatTimeout: Math.max(t.heartbeatTimeoutMs, (input.job.pollIntervalMs ?? 10_000) * 3),
    retry: { ...retry, maximumAttempts: 5 },
  });
  return { quick, waiting };
}

function name(v: FirmwareVersion): string {
  return v.shortName ?? v.firmware ?? `version id ${v.id}`;
}

/** The upgrade's start: a whole second (the dashboard may drop milliseconds), from workflow time, so every retry of the schedule sends the same one. */
function startTime(delayMs: number): string {
  return new Date(Math.floor((Date.now() + delayMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * One network's firmware upgrade of one product type through the Meraki
 * Dashboard API: resolve the target to the network's version object, schedule
 * the upgrade (PUT firmwareUpgrades, at most once: the schedule activity
 * recognises its own pending upgrade by version and time), follow it until
 * the network runs the version, check that every device of the product
 * reports it, and roll the network back (POST firmwareUpgrades/rollbacks)
 * when any of that fails. Its workflow id is `device/<network>` like every
 * rollout target, so no two operations run on a network at once.
 *
 * This replaces the logic that scheduled "staged events" of an invented
 * shape; its activities have new names, so a history of the old logic would
 * not replay (none was ever recorded: the old calls could not work against
 * the real API).
 */
export async function dashboardNetworkUpgradeWorkflow(raw: DashboardNetworkUpgradeInput): Promise<DeviceJobResult> {
  const input: DashboardNetworkUpgradeInput = acceptInput('dashboardNetworkUpgradeWorkflow', raw);
  const { network, job } = input;
  const net: NetworkRef = { dashboard: job.dashboard, orgId: network.orgId, networkId: network.networkId };
  const { quick, waiting } = proxies(input);
  const result: DeviceJobResult = { device: network.name, outcome: 'failed', notes: [] };
  const step = (text: string) => setCurrentDetails(`**${network.name}** (org ${network.orgId}) → ${job.firmware}\n\nstep: ${text}\n\nrollout: ${input.rollout}`);
  let scheduled: ScheduleResult | undefined;

  try {
    step('pre-check');
    const before = await quick.readNetworkFirmware.executeWithOptions({ summary: `firmware of ${network.name}` }, [net, { version: job.firmware, ...(job.productType ? { productType: job.productType } : {}) }]);
    result.versionBefore = name(before.current);
    const target = before.target;
    if (before.current.id === target.id) {
      if (before.total > 0 && before.onTarget === before.total) {
        result.outcome = 'already-current';
        result.versionAfter = name(target);
        result.notes.push(`all ${before.total} ${before.product} devices already run ${name(target)}`);
        return result;
      }
      throw ApplicationFailure.create({
        type: 'FirmwareNotReported',
        nonRetryable: true,
        message: `the network runs ${name(target)} but ${before.total - before.onTarget} of ${before.total} ${before.product} devices report other firmware (e.g. ${before.behind.slice(0, 5).join(', ') || 'none listed'}); check them in the dashboard`,
      });
    }
    // Staged upgrades (switch networks, when asked) have their own procedure; new executions only.
    if (job.staged && patched(STAGED_UPGRADE_PATCH)) return await stagedNetworkUpgrade({ input, net, before, result, step });
    if (input.dryRun) {
      result.outcome = before.total === 0 ? 'would-fail' : 'ready';
      result.notes.push(before.total === 0 ? `the network has no ${before.product} devices` : `ready: ${before.total} ${before.product} devices ${name(before.current)} -> ${name(target)}`);
      return result;
    }

    step('schedule');
    const sched = await quick.scheduleFirmwareUpgrade.executeWithOptions({ summary: `schedule ${name(target)} on ${network.name}` }, [
      net,
      { product: before.product, toVersion: target, time: startTime(job.startDelayMs ?? DEFAULT_START_DELAY_MS) },
    ]);
    if (sched.ours || !sched.alreadyScheduled) scheduled = sched;
    else result.notes.push(`an upgrade to ${name(target)} was already scheduled for ${sched.time ?? 'an earlier time'} by someone else; followed it`);

    step('wait for upgrade');
    const waited = await waiting.waitForFirmwareUpgrade.executeWithOptions({ summary: `wait for ${network.name}` }, [
      net,
      { product: before.product, toVersion: target, fromVersion: sched.fromVersion },
      { pollIntervalMs: job.pollIntervalMs ?? 10_000 },
    ]);
    result.notes.push(`network runs ${name(waited.current)}${waited.completedAt ? ` since ${waited.completedAt}` : ''}`);

    step('post-check');
    const after = await quick.readNetworkFirmware.executeWithOptions({ summary: `verify ${network.name}` }, [net, { version: job.firmware, productType: before.product }]);
    result.versionAfter = name(after.current);
    if (after.onTarget !== after.total) {
      throw ApplicationFailure.create({
        type: 'FirmwareNotReported',
        nonRetryable: true,
        message: `${after.total - after.onTarget} of ${after.total} ${after.product} devices do not report ${target.firmware ?? name(target)} (e.g. ${after.behind.slice(0, 5).join(', ')})`,
      });
    }
    result.outcome = 'upgraded';
    return result;
  } catch (err) {
    // The operator aborted: leave the network as it is (its upgrade is visible in the dashboard).
    if (isCancellation(err)) throw err;
    const error = toDeviceError(explainNoWorker(err, network.orgId));
    const undo = scheduled;
    if (undo && job.rollbackOnFailure !== false) {
      await CancellationScope.nonCancellable(async () => {
        step('roll back');
        try {
          const back = { product: undo.product, toVersion: undo.fromVersion };
          const rb = await quick.rollbackFirmwareUpgrade.executeWithOptions({ summary: `roll back ${network.name}` }, [
            net,
            { ...back, fromVersion: undo.toVersion, comment: `rollout ${input.rollout}: ${error.message}`.slice(0, 200) },
          ]);
          if (rb.rolledBack) await waiting.waitForFirmwareUpgrade.executeWithOptions({ summary: `wait for the rollback of ${network.name}` }, [net, back, { pollIntervalMs: job.pollIntervalMs ?? 10_000 }]);
          result.outcome = 'rolled-back';
          result.versionAfter = name(undo.fromVersion);
          result.notes.push(rb.rolledBack ? `rolled back to ${name(undo.fromVersion)}` : `nothing to roll back (${rb.status})`);
        } catch (rbErr) {
          result.notes.push(`roll back failed: ${toDeviceError(rbErr).message}`);
        }
      });
    }
    throw deviceFailure(result, {
      ...error,
      hint: result.outcome === 'rolled-back' ? 'the network was rolled back; investigate before retrying it' : (error.hint ?? 'check the network in the dashboard, then retry or skip it'),
    });
  }
}

failOnUnexpectedErrors(dashboardNetworkUpgradeWorkflow);
