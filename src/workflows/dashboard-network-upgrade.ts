import {
  ApplicationFailure,
  CancellationScope,
  isCancellation as isSdkCancellation,
  proxyActivities,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import type { NetworkRef, RestActivities } from '../activities/rest';
import type { DashboardNetworkUpgradeInput } from './dashboard-api';
import { DEFAULT_NO_WORKER_TIMEOUT_MS, explainNoWorker, orgTaskQueue } from './dashboard-org-queue';
import { isCancellation, toDeviceError } from './device-failure';
import type { DeviceError, DeviceJobResult } from './rollout-api';
import { stepTimeout } from './rollout-api';

/** Failure types of the REST activities that retrying cannot fix. */
const REST_NON_RETRYABLE = ['Unauthorized', 'NotFound', 'BadRequest', 'ForeignLink', 'SecretResolutionError', 'UpgradeConflict', 'UpgradeFailed', 'UpgradeRolledBack', 'UpgradeNotScheduled'];

function proxies(input: DashboardNetworkUpgradeInput) {
  const taskQueue = orgTaskQueue(input.network.orgId);
  const scheduleToStartTimeout = DEFAULT_NO_WORKER_TIMEOUT_MS;
  const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: REST_NON_RETRYABLE };
  const t = input.timings;
  const quick = proxyActivities<RestActivities>({ taskQueue, scheduleToStartTimeout, startToCloseTimeout: stepTimeout(t), retry: { ...retry, maximumAttempts: 10 } });
  // The wait polls for as long as a staged upgrade may take; its heartbeats carry the progress.
  const waiting = proxyActivities<RestActivities>({
    taskQueue,
    scheduleToStartTimeout,
    startToCloseTimeout: Math.max(t.stageTimeoutMs, t.reloadTimeoutMs) + 60_000,
    heartbeatTimeout: Math.max(t.heartbeatTimeoutMs, (input.job.pollIntervalMs ?? 10_000) * 3),
    retry: { ...retry, maximumAttempts: 5 },
  });
  return { quick, waiting };
}

function networkFailure(result: DeviceJobResult, error: DeviceError): ApplicationFailure {
  return ApplicationFailure.create({ type: error.type, message: `${result.device}: ${error.message}`, nonRetryable: true, details: [{ error, result: { ...result, error } }] });
}

/** The version most devices of the network run: the network's "version before". */
function mainVersion(versions: Record<string, number>): string | undefined {
  return Object.entries(versions).sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * One network's firmware upgrade through the dashboard: schedule the staged
 * upgrade (at most once, keyed by this workflow run), wait for it with
 * heartbeats, check that every device reports the new firmware, and roll the
 * network back when any of that fails. Its workflow id is `device/<network>`
 * like every rollout target, so no two operations run on a network at once.
 */
export async function dashboardNetworkUpgradeWorkflow(input: DashboardNetworkUpgradeInput): Promise<DeviceJobResult> {
  const { network, job } = input;
  const net: NetworkRef = { dashboard: job.dashboard, orgId: network.orgId, networkId: network.networkId };
  const { quick, waiting } = proxies(input);
  const result: DeviceJobResult = { device: network.name, outcome: 'failed', notes: [] };
  const step = (text: string) => setCurrentDetails(`**${network.name}** (org ${network.orgId}) → ${job.firmware}\n\nstep: ${text}\n\nrollout: ${input.rollout}`);
  let scheduled = false;

  try {
    step('pre-check');
    const before = await quick.verifyNetworkFirmware.executeWithOptions({ summary: `firmware of ${network.name}` }, [net, job.firmware]);
    result.versionBefore = mainVersion(before.versions);
    if (before.total > 0 && before.onTarget === before.total) {
      result.outcome = 'already-current';
      result.versionAfter = job.firmware;
      result.notes.push(`all ${before.total} devices already run ${job.firmware}`);
      return result;
    }
    if (input.dryRun) {
      result.outcome = before.total === 0 ? 'would-fail' : 'ready';
      result.notes.push(before.total === 0 ? 'the network has no devices' : `ready: ${before.total - before.onTarget} of ${before.total} devices to upgrade to ${job.firmware}`);
      return result;
    }

    step('schedule');
    // One key per run of this child: activity retries reuse it (no second POST),
    // an operator's retry of the network starts a new run and may schedule again.
    const key = `${input.rollout}/${network.networkId}/${job.firmware}/${workflowInfo().firstExecutionRunId}`;
    const sched = await quick.scheduleNetworkUpgrade.executeWithOptions({ summary: `schedule ${job.firmware} on ${network.name}` }, [
      net,
      job.firmware,
      key,
      { stages: job.stages ?? 3, ...(job.stageDurationSec !== undefined ? { stageDurationSec: job.stageDurationSec } : {}), ...(job.productType ? { productType: job.productType } : {}) },
    ]);
    scheduled = sched.ours || !sched.alreadyScheduled;
    if (sched.alreadyScheduled && !sched.ours) result.notes.push(`an upgrade to ${job.firmware} was already ${sched.status}; followed it`);

    step('wait for staged upgrade');
    const waited = await waiting.waitForNetworkUpgrade.executeWithOptions({ summary: `wait for ${network.name}` }, [net, job.firmware, { pollIntervalMs: job.pollIntervalMs ?? 10_000 }]);
    result.notes.push(`staged upgrade completed: ${waited.upgradedDevices} devices`);

    step('post-check');
    const after = await quick.verifyNetworkFirmware.executeWithOptions({ summary: `verify ${network.name}` }, [net, job.firmware]);
    result.versionAfter = mainVersion(after.versions);
    if (after.onTarget !== after.total) {
      throw ApplicationFailure.create({
        type: 'FirmwareNotReported',
        nonRetryable: true,
        message: `${after.total - after.onTarget} of ${after.total} devices do not report ${job.firmware} (e.g. ${after.behind.slice(0, 5).join(', ')})`,
      });
    }
    result.outcome = 'upgraded';
    return result;
  } catch (err) {
    // The operator aborted: leave the network as it is (its upgrade is visible in the dashboard).
    if (isCancellation(err) || isSdkCancellation(err)) throw err;
    const error = toDeviceError(explainNoWorker(err, network.orgId));
    if (scheduled && job.rollbackOnFailure !== false) {
      await CancellationScope.nonCancellable(async () => {
        step('roll back');
        try {
          const rb = await quick.rollbackNetworkUpgrade.executeWithOptions({ summary: `roll back ${network.name}` }, [net, `rollout ${input.rollout}: ${error.message}`.slice(0, 200)]);
          result.outcome = 'rolled-back';
          result.versionAfter = result.versionBefore;
          result.notes.push(rb.rolledBack ? 'rolled back to the previous firmware' : `nothing to roll back (${rb.status})`);
        } catch (rbErr) {
          result.notes.push(`roll back failed: ${toDeviceError(rbErr).message}`);
        }
      });
    }
    throw networkFailure(result, {
      ...error,
      hint: result.outcome === 'rolled-back' ? 'the network was rolled back; investigate before retrying it' : (error.hint ?? 'check the network in the dashboard, then retry or skip it'),
    });
  }
}
