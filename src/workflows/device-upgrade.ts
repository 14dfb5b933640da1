import {
  type ActivityInterfaceFor,
  ApplicationFailure,
  CancellationScope,
  isCancellation as isSdkCancellation,
  proxyActivities,
  setCurrentDetails,
  sleep,
} from '@temporalio/workflow';
import type { DeviceSnapshot, DrainResult, UpgradeActivities } from '../activities/upgrade-contract';
import { isCancellation, NON_RETRYABLE_TYPES, toDeviceError } from './device-failure';
import type { DeviceError, DeviceOutcome, DeviceTarget, DeviceTimings, ImageSpec } from './rollout-api';

export interface DeviceUpgradeInput {
  rollout: string;
  device: DeviceTarget;
  image: ImageSpec;
  timings: DeviceTimings;
  dryRun: boolean;
  rollbackOnFailedPostCheck: boolean;
}

export interface DeviceUpgradeResult {
  device: string;
  outcome: DeviceOutcome;
  versionBefore?: string;
  versionAfter?: string;
  notes: string[];
  error?: DeviceError;
}

/** Thrown (as the child's failure) with the partial result, so the parent can report it. */
function deviceFailure(result: DeviceUpgradeResult, error: DeviceError): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.type,
    message: `${result.device}: ${error.message}`,
    nonRetryable: true,
    details: [{ error, result: { ...result, error } }],
  });
}

function proxies(t: DeviceTimings) {
  const retry = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: NON_RETRYABLE_TYPES };
  const quick = proxyActivities<UpgradeActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { ...retry, maximumAttempts: 4 },
  });
  const staging = proxyActivities<UpgradeActivities>({
    startToCloseTimeout: t.stageTimeoutMs,
    heartbeatTimeout: t.heartbeatTimeoutMs,
    retry: { ...retry, maximumAttempts: 5 },
  });
  const draining = proxyActivities<UpgradeActivities>({
    startToCloseTimeout: t.drainTimeoutMs + 60_000,
    heartbeatTimeout: t.heartbeatTimeoutMs,
    retry: { ...retry, maximumAttempts: 3 },
  });
  const waiting = proxyActivities<UpgradeActivities>({
    startToCloseTimeout: t.reloadTimeoutMs + 60_000,
    heartbeatTimeout: t.heartbeatTimeoutMs,
    // The activity itself waits the whole reload timeout; a second attempt only
    // covers a worker crash, and resumes polling where the timeout allows.
    retry: { ...retry, maximumAttempts: 3 },
  });
  return { quick, staging, draining, waiting };
}

/** Why a device is not fit to be taken out of service, or undefined when it is. */
export function preCheckProblems(pre: DeviceSnapshot, image: ImageSpec): string[] {
  const problems: string[] = [];
  if (!pre.reachable) problems.push('unreachable');
  if (pre.freeBytes !== undefined && pre.freeBytes < image.sizeBytes) {
    problems.push(`not enough space: ${pre.freeBytes} bytes free, the image needs ${image.sizeBytes}`);
  }
  if (!pre.redundancyHealthy) problems.push('redundancy group degraded: a group has no active member, taking this device out could cut traffic');
  return problems;
}

/** What got worse between the snapshot before and after: BGP neighbours and interfaces that were up and are not. */
export function postCheckProblems(pre: DeviceSnapshot, post: DeviceSnapshot, targetVersion: string): string[] {
  const problems: string[] = [];
  if (post.version !== targetVersion) problems.push(`runs ${post.version ?? 'an unknown version'}, expected ${targetVersion}`);
  const lostBgp = pre.bgpEstablished.filter((n) => !post.bgpEstablished.includes(n));
  if (lostBgp.length > 0) problems.push(`BGP neighbours not re-established: ${lostBgp.join(', ')}`);
  const lostIf = pre.interfacesUp.filter((i) => !post.interfacesUp.includes(i));
  if (lostIf.length > 0) problems.push(`interfaces down that were up: ${lostIf.join(', ')}`);
  return problems;
}

/**
 * One device's upgrade. Its workflow id is `device/<name>`, so no other
 * operation can run on the device meanwhile. Priority taken away by the drain
 * is always given back, in a cleanup that cancellation cannot skip.
 */
export async function deviceUpgradeWorkflow(input: DeviceUpgradeInput): Promise<DeviceUpgradeResult> {
  const { device, image, timings } = input;
  const name = device.name;
  const { quick, staging, draining, waiting } = proxies(timings);
  const result: DeviceUpgradeResult = { device: name, outcome: 'failed', notes: [] };
  const step = (text: string) => setCurrentDetails(`**${name}** → ${image.version}\n\nstep: ${text}\n\nrollout: ${input.rollout}`);
  let saved: DrainResult | undefined;

  try {
    step('pre-check');
    const pre = await quick.snapshot.executeWithOptions({ summary: `pre-check ${name}` }, [device]);
    result.versionBefore = pre.version;
    if (pre.version === image.version) {
      result.outcome = 'already-current';
      result.versionAfter = pre.version;
      result.notes.push(`already runs ${image.version}: nothing to do`);
      step('already current');
      return result;
    }
    const problems = preCheckProblems(pre, image);
    if (input.dryRun) {
      result.outcome = problems.length === 0 ? 'ready' : 'would-fail';
      result.notes.push(...(problems.length ? problems : [`ready: ${pre.version} -> ${image.version}${pre.isActive ? ' (active: will be drained first)' : ''}`]));
      step(`dry run: ${result.outcome}`);
      return result;
    }
    if (problems.length > 0) {
      throw deviceFailure(result, { type: 'PreCheckFailed', message: problems.join('; '), hint: 'fix the device or its peer, then retry the device' });
    }

    await stageAndVerify(name, device, image, staging, quick, step);

    if (pre.isActive) {
      step('drain');
      saved = await draining.drain.executeWithOptions({ summary: `drain ${name}` }, [device, { timeoutMs: timings.drainTimeoutMs }]);
      if (saved.drained) result.notes.push('was active: drained to its peer');
    }

    step('set boot');
    await quick.setBootAndSave.executeWithOptions({ summary: `set boot ${name}` }, [device, image.fileName]);
    step('reload');
    const reload = await quick.reload.executeWithOptions({ summary: `reload ${name}` }, [device, { targetVersion: image.version }]);
    if (!reload.reloaded && reload.reason) result.notes.push(reload.reason);
    step('wait for return');
    await waiting.waitForReturn.executeWithOptions({ summary: `wait for ${name}` }, [
      device,
      { timeoutMs: timings.reloadTimeoutMs, pollInitialMs: timings.pollInitialMs, pollMaxMs: timings.pollMaxMs },
    ]);
    if (timings.settleMs > 0) await sleep(timings.settleMs);
    step('post-check');
    const post = await quick.snapshot.executeWithOptions({ summary: `post-check ${name}` }, [device]);
    result.versionAfter = post.version;
    const regressions = postCheckProblems(pre, post, image.version);
    if (regressions.length === 0) {
      result.outcome = 'upgraded';
      return result;
    }
    if (input.rollbackOnFailedPostCheck && pre.image && post.version !== pre.version) {
      step('roll back');
      await quick.setBootAndSave.executeWithOptions({ summary: `boot previous image ${name}` }, [device, pre.image]);
      await quick.reload.executeWithOptions({ summary: `reload ${name} (rollback)` }, [device, { targetVersion: pre.version ?? '' }]);
      const back = await waiting.waitForReturn.executeWithOptions({ summary: `wait for ${name} (rollback)` }, [
        device,
        { timeoutMs: timings.reloadTimeoutMs, pollInitialMs: timings.pollInitialMs, pollMaxMs: timings.pollMaxMs },
      ]);
      result.versionAfter = back.version;
      result.outcome = 'rolled-back';
    }
    throw deviceFailure(result, {
      type: 'PostCheckFailed',
      message: regressions.join('; '),
      hint: result.outcome === 'rolled-back' ? 'rolled back to the previous image; investigate before retrying' : 'check the device; it may need a manual rollback',
    });
  } catch (err) {
    if (err instanceof ApplicationFailure && (err.details?.[0] as { result?: unknown } | undefined)?.result) throw err;
    const error = toDeviceError(err);
    if (isCancellation(err) || isSdkCancellation(err)) {
      result.outcome = 'aborted';
      result.error = { type: 'Cancelled', message: 'aborted by the operator' };
      throw err;
    }
    throw deviceFailure(result, error);
  } finally {
    if (saved?.drained) {
      // Never leave a device drained: not even an abort may skip this.
      await CancellationScope.nonCancellable(async () => {
        step('restore priority');
        try {
          await quick.restorePriority.executeWithOptions({ summary: `restore priority ${name}` }, [device, saved!.saved]);
        } catch (err) {
          result.notes.push(`could not restore HSRP/VRRP priority: ${toDeviceError(err).message}`);
        }
      });
    }
  }
}

async function stageAndVerify(
  name: string,
  device: DeviceTarget,
  image: ImageSpec,
  staging: ActivityInterfaceFor<UpgradeActivities>,
  quick: ActivityInterfaceFor<UpgradeActivities>,
  step: (text: string) => void,
): Promise<void> {
  // A corrupt transfer shows up as a hash mismatch: stage again (the activity
  // replaces a file with the wrong hash), a bounded number of times.
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    step(attempt === 1 ? 'stage image' : `stage image (attempt ${attempt})`);
    await staging.stageImage.executeWithOptions(
      { summary: `stage ${image.fileName} on ${name}` },
      [device, image],
    );
    step('verify image');
    try {
      await quick.verifyImage.executeWithOptions(
        { summary: `verify ${image.fileName} on ${name}` },
        [device, image],
      );
      return;
    } catch (err) {
      if (toDeviceError(err).type !== 'HashMismatch' || attempt >= attempts) throw err;
    }
  }
}
