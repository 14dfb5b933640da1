import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  sleep,
  type ActivityInterfaceFor,
} from '@temporalio/workflow';
import type { DeviceActivities } from '../activities';
import type { DrainResult, Snapshot } from '../activities/types';
import { toDeviceError, deviceFailure, DEVICE_RETRY } from './device-failure';
import { degradedGroups, isActiveMember } from './redundancy-health';
import type { DeviceTarget, DeviceTimings, ImageSpec } from '../contracts/rollout';
import { stepTimeout } from '../contracts/rollout';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';
import { vpcPairPreCheck, waitVpcPair } from './vpc-pair';
import { effectiveIsolation, isolateDevice, leaveIsolation, restoreFromIsolation } from './isolation';

import type { DeviceUpgradeInput, DeviceUpgradeResult } from '../contracts/device-jobs';

export type { DeviceUpgradeInput, DeviceUpgradeResult } from '../contracts/device-jobs';

type Activities = ActivityInterfaceFor<DeviceActivities>;


function proxies(t: DeviceTimings) {
  const retry = DEVICE_RETRY;
  const quick = proxyActivities<DeviceActivities>({
    startToCloseTimeout: stepTimeout(t),
    retry: { ...retry, maximumAttempts: 4 },
  });
  const long = proxyActivities<DeviceActivities>({
    startToCloseTimeout: Math.max(t.stageTimeoutMs, t.reloadTimeoutMs, t.drainTimeoutMs) + 60_000,
    heartbeatTimeout: t.heartbeatTimeoutMs,
    retry: { ...retry, maximumAttempts: 5 },
  });
  // Waiting out a reload already spans the whole reload timeout: when it says
  // the device did not come back, asking again would only double the wait.
  const waiting = proxyActivities<DeviceActivities>({
    startToCloseTimeout: t.reloadTimeoutMs + 60_000,
    heartbeatTimeout: t.heartbeatTimeoutMs,
    retry: { ...retry, maximumAttempts: 3, nonRetryableErrorTypes: [...retry.nonRetryableErrorTypes, 'Unreachable'] },
  });
  return { quick, long, waiting };
}

/** Why a device is not fit to be taken out of service; empty when it is. */
export function preCheckProblems(pre: Snapshot, image: ImageSpec, imageAlreadyThere: boolean): string[] {
  const problems: string[] = [];
  const free = pre.fileSystem.freeBytes;
  if (!imageAlreadyThere && free !== undefined && free < image.sizeBytes) {
    problems.push(`not enough space on ${pre.fileSystem.name}: ${free} bytes free, the image needs ${image.sizeBytes}`);
  }
  const degraded = degradedGroups(pre);
  if (degraded.length > 0) problems.push(`redundancy degraded, taking it out could cut traffic: ${degraded.join(', ')}`);
  return problems;
}

/** What got worse between before and after: the version, BGP neighbours and interfaces that were up. */
export function postCheckProblems(pre: Snapshot, post: Snapshot, targetVersion: string): string[] {
  const problems: string[] = [];
  if (post.version !== targetVersion) problems.push(`runs ${post.version || 'an unknown version'}, expected ${targetVersion}`);
  const established = new Set(post.bgp.filter((n) => n.established).map((n) => n.neighbor));
  const lostBgp = pre.bgp.filter((n) => n.established && !established.has(n.neighbor)).map((n) => n.neighbor);
  if (lostBgp.length > 0) problems.push(`BGP neighbours not re-established: ${lostBgp.join(', ')}`);
  const up = new Set(post.interfaces.filter((i) => i.up).map((i) => i.name));
  const lostIf = pre.interfaces.filter((i) => i.up && !up.has(i.name)).map((i) => i.name);
  if (lostIf.length > 0) problems.push(`interfaces down that were up: ${lostIf.join(', ')}`);
  return problems;
}

/**
 * One device's upgrade. Its workflow id is `device/<name>`, so no other
 * operation can run on the device meanwhile. Priority taken away by the drain
 * is always given back, in a cleanup that cancellation cannot skip.
 */
export async function deviceUpgradeWorkflow(raw: DeviceUpgradeInput): Promise<DeviceUpgradeResult> {
  const input: DeviceUpgradeInput = acceptInput('deviceUpgradeWorkflow', raw);
  const { device, image, timings } = input;
  const name = device.name;
  const { quick, long, waiting } = proxies(timings);
  const result: DeviceUpgradeResult = { device: name, outcome: 'failed', notes: [] };
  const step = (text: string) => setCurrentDetails(`**${name}** → ${image.version}\n\nstep: ${text}\n\nrollout: ${input.rollout}`);
  let drained: DrainResult | undefined;
  // Set before the isolate activity starts: a crash or abort mid-way must still bring the device back.
  let isolating = false;
  // Priorities as the pre-check saw them, recorded in this workflow's history
  // before anything changed: what the cleanup puts back. The drain activity's
  // own record is not enough: if its worker dies before its first heartbeat
  // reaches the server, the retry sees the lowered priority as the original.
  let restoreTo: DrainResult['original'] = [];

  try {
    step('pre-check');
    const pre = await quick.snapshot.executeWithOptions({ summary: `pre-check ${name}` }, [{ device }]);
    result.versionBefore = pre.version;
    if (pre.version === image.version) {
      result.outcome = 'already-current';
      result.versionAfter = pre.version;
      result.notes.push(`already runs ${image.version}: nothing to do`);
      step('already current');
      return result;
    }
    const problems = preCheckProblems(pre, image, false);
    const vpc = await vpcPairPreCheck(device, input.peers, quick);
    if (vpc) problems.push(...vpc.problems);
    if (vpc?.summary) result.notes.push(vpc.summary);
    if (input.dryRun) {
      result.outcome = problems.length === 0 ? 'ready' : 'would-fail';
      result.notes.push(...(problems.length ? problems : [`ready: ${pre.version} -> ${image.version}${isActiveMember(pre) ? ' (active: drained first)' : ''}`]));
      step(`dry run: ${result.outcome}`);
      return result;
    }
    if (problems.length > 0) {
      throw deviceFailure(result, { type: 'PreCheckFailed', message: problems.join('; '), hint: 'fix the device or its peer, then retry the device' });
    }

    const isolation = effectiveIsolation(input.isolation, device);
    if (isolation.note) result.notes.push(isolation.note);
    await stageAndVerify(name, device, image, long, quick, step);

    if (isolation.policy === 'isolate') {
      step('isolate');
      isolating = true;
      result.notes.push(...(await isolateDevice(device, input.peers, vpc, timings)));
    } else if (isolation.policy === 'drain' && isActiveMember(pre)) {
      step('drain');
      restoreTo = pre.redundancy.map((e) => ({ interface: e.interface, group: e.group, priority: e.priority }));
      drained = await long.drain.executeWithOptions({ summary: `drain ${name}` }, [
        { device, peers: input.peers, confirmTimeoutMs: timings.drainTimeoutMs, pollMs: Math.min(timings.pollInitialMs, 1000) },
      ]);
      result.notes.push(drained.activePeer ? `was active: ${drained.activePeer} took over` : 'was active: drained');
    }

    step('set boot');
    await quick.setBootAndSave.executeWithOptions({ summary: `set boot ${name}` }, [{ device, file: image.fileName }]);
    step('reload');
    const reload = await quick.reload.executeWithOptions({ summary: `reload ${name}` }, [
      { device, targetVersion: image.version, ...(pre.bootedAt !== undefined ? { bootedAtBefore: pre.bootedAt } : {}) },
    ]);
    if (reload.status !== 'reloaded') result.notes.push(`reload: ${reload.status}`);
    step('wait for return');
    await waiting.waitForReturn.executeWithOptions({ summary: `wait for ${name}` }, [
      { device, timeoutMs: timings.reloadTimeoutMs, initialDelayMs: timings.pollInitialMs, maxDelayMs: timings.pollMaxMs },
    ]);
    if (isolating) {
      // Before the vPC wait: a domain shut by maintenance mode cannot re-form.
      step('normal mode');
      await leaveIsolation(device, timings);
    }
    if (vpc?.partner) {
      step('wait for the vPC pair');
      await waitVpcPair(device, input.peers, vpc, timings, waiting);
    }
    if (timings.settleMs > 0) await sleep(timings.settleMs);
    step('post-check');
    const post = await quick.snapshot.executeWithOptions({ summary: `post-check ${name}` }, [{ device }]);
    result.versionAfter = post.version;
    const regressions = postCheckProblems(pre, post, image.version);
    if (regressions.length === 0) {
      result.outcome = 'upgraded';
      return result;
    }
    if (input.rollbackOnFailedPostCheck && pre.image && post.version !== pre.version) {
      step('roll back');
      const previous = pre.image.replace(/^.*[:/]/, '');
      await quick.setBootAndSave.executeWithOptions({ summary: `boot previous image ${name}` }, [{ device, file: previous }]);
      await quick.reload.executeWithOptions({ summary: `reload ${name} (rollback)` }, [{ device, targetVersion: pre.version, ...(post.bootedAt !== undefined ? { bootedAtBefore: post.bootedAt } : {}) }]);
      const back = await waiting.waitForReturn.executeWithOptions({ summary: `wait for ${name} (rollback)` }, [
        { device, timeoutMs: timings.reloadTimeoutMs, initialDelayMs: timings.pollInitialMs, maxDelayMs: timings.pollMaxMs },
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
    if (isCancellation(err)) throw err;
    throw deviceFailure(result, toDeviceError(err));
  } finally {
    // Never leave a device isolated: not even an abort may skip this.
    if (isolating) await restoreFromIsolation(device, timings, result.notes);
    const saved = restoreTo.length > 0 ? restoreTo : (drained?.original ?? []);
    if (saved.length > 0) {
      // Never leave a device drained: not even an abort may skip this.
      await CancellationScope.nonCancellable(async () => {
        step('restore priority');
        try {
          await quick.restorePriority.executeWithOptions({ summary: `restore priority ${name}` }, [{ device, priorities: saved }]);
        } catch (err) {
          result.notes.push(`could not restore HSRP/VRRP priority: ${toDeviceError(err).message}`);
        }
      });
    }
  }
}

async function stageAndVerify(name: string, device: DeviceTarget, image: ImageSpec, long: Activities, quick: Activities, step: (text: string) => void): Promise<void> {
  // A corrupt transfer shows up as a hash mismatch: stage again (the activity
  // replaces a file with the wrong hash), a bounded number of times.
  const attempts = 3;
  const ref = { file: image.fileName, source: image.path, size: image.sizeBytes, md5: image.md5 };
  for (let attempt = 1; ; attempt++) {
    step(attempt === 1 ? 'stage image' : `stage image (attempt ${attempt})`);
    await long.stageImage.executeWithOptions({ summary: `stage ${image.fileName} on ${name}` }, [{ device, image: ref }]);
    step('verify image');
    try {
      await quick.verifyImage.executeWithOptions({ summary: `verify ${image.fileName} on ${name}` }, [{ device, file: image.fileName, md5: image.md5 }]);
      return;
    } catch (err) {
      if (toDeviceError(err).type !== 'HashMismatch' || attempt >= attempts) throw err;
    }
  }
}

failOnUnexpectedErrors(deviceUpgradeWorkflow);
