import { ActivityCancellationType, ApplicationFailure, CancellationScope, isCancellation, proxyActivities, setCurrentDetails, sleep } from '@temporalio/workflow';
import type { DeviceActivities } from '../activities';
import type { Snapshot } from '../activities/types';
import type { ConfigDiff } from '../config/diff';
import { formatConfigDiff } from '../config/diff';
import { linesFor } from '../config/line-sets';
import { toDeviceError, deviceFailure, DEVICE_RETRY } from './device-failure';
import { degradedGroups } from './redundancy-health';
import type { ConfigJob, ConfigVerify, ReportedError, DeviceJobResult, DeviceTarget, DeviceTimings, RolloutInput } from '../contracts/rollout';
import { stepTimeout } from '../contracts/rollout';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';

import type { DeviceConfigInput } from '../contracts/device-jobs';

export type { DeviceConfigInput } from '../contracts/device-jobs';

export const DEFAULT_CONFIG_VERIFY: ConfigVerify = { redundancy: true, interfaces: true, bgp: true, settleMs: 0 };

/** Name of the restore point one rollout leaves on a device: stable, so a retried device overwrites its own. */
export function backupNameFor(rollout: string): string {
  return `netops-${rollout.replace(/[^\w.-]/g, '_').slice(0, 60)}.cfg`;
}

/**
 * Where an operator finds the restore point: on the device (IOS-XE flash
 * file, NX-OS checkpoint), or, for FRR, whose vtysh can hold none, the copy
 * of the running configuration the worker kept (its path is in the rollback's error).
 */
function restorePointOf(device: DeviceTarget, backupName: string): string {
  return device.platform === 'frr' ? `the worker's copy of its running configuration taken before the push (${backupName} under NETOPS_CONFIG_BACKUP_DIR)` : backupName;
}

/** The child's input for one device of a config push (called by the engine's childSpec). */
export function deviceConfigInput(input: RolloutInput, job: ConfigJob, device: DeviceTarget): DeviceConfigInput {
  let lines: string[];
  try {
    lines = linesFor(job, device.name);
  } catch (err) {
    throw ApplicationFailure.create({ type: 'InvalidInput', message: (err as Error).message, nonRetryable: true });
  }
  return {
    rollout: input.name,
    device,
    label: job.label,
    lines,
    verify: job.verify ?? DEFAULT_CONFIG_VERIFY,
    saveAfter: job.saveAfter,
    dryRun: input.settings.dryRun,
    timings: input.settings.timings,
    backupName: backupNameFor(input.name),
  };
}

/** What got worse after the change: the checks `verify` asks for, comparing before and after. */
export function configPostCheckProblems(pre: Snapshot, post: Snapshot, verify: ConfigVerify): string[] {
  const problems: string[] = [];
  if (verify.redundancy) {
    const before = new Set(degradedGroups(pre));
    const now = degradedGroups(post).filter((g) => !before.has(g));
    // A group that vanished from the device (e.g. `no standby 10`) is degraded too.
    const groups = new Set(post.redundancy.map((e) => `${e.interface}/${e.group}`));
    const gone = pre.redundancy.filter((e) => !groups.has(`${e.interface}/${e.group}`)).map((e) => `${e.interface} group ${e.group} (gone)`);
    if (now.length + gone.length > 0) problems.push(`redundancy degraded: ${[...now, ...gone].join(', ')}`);
  }
  if (verify.interfaces) {
    const up = new Set(post.interfaces.filter((i) => i.up).map((i) => i.name));
    const lost = pre.interfaces.filter((i) => i.up && !up.has(i.name)).map((i) => i.name);
    if (lost.length > 0) problems.push(`interfaces down that were up: ${lost.join(', ')}`);
  }
  if (verify.bgp) {
    const established = new Set(post.bgp.filter((n) => n.established).map((n) => n.neighbor));
    const lost = pre.bgp.filter((n) => n.established && !established.has(n.neighbor)).map((n) => n.neighbor);
    if (lost.length > 0) problems.push(`BGP neighbours down that were established: ${lost.join(', ')}`);
  }
  return problems;
}

function wantsSnapshots(v: ConfigVerify): boolean {
  return v.redundancy || v.interfaces || v.bgp;
}


function proxies(t: DeviceTimings) {
  const retry = DEVICE_RETRY;
  const quick = proxyActivities<DeviceActivities>({ startToCloseTimeout: stepTimeout(t), retry: { ...retry, maximumAttempts: 4 } });
  // `configure replace` and checkpoints of a large configuration take minutes on real boxes.
  const slow = proxyActivities<DeviceActivities>({ startToCloseTimeout: Math.max(stepTimeout(t), 15 * 60_000), retry: { ...retry, maximumAttempts: 3 } });
  // An abort must not roll back while lines are still being sent on another
  // session: wait for the apply to really end (it runs to completion) first.
  const applying = proxyActivities<DeviceActivities>({
    startToCloseTimeout: stepTimeout(t),
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { ...retry, maximumAttempts: 4 },
  });
  return { quick, slow, applying };
}

/**
 * One device's config push. Its workflow id is `device/<name>`, like an
 * upgrade's, so nothing else runs on the device meanwhile. Read first: a
 * device already in the desired state is left alone (no backup, no config
 * session), so pushing the same change twice is harmless. Once a line has been
 * sent, any failure (a refused line, a failed check, an abort) puts the
 * backup back before the child ends.
 */
export async function deviceConfigWorkflow(raw: DeviceConfigInput): Promise<DeviceJobResult> {
  const input: DeviceConfigInput = acceptInput('deviceConfigWorkflow', raw);
  const { device, verify } = input;
  const name = device.name;
  const { quick, slow, applying } = proxies(input.timings);
  const result: DeviceJobResult = { device: name, outcome: 'failed', notes: [] };
  const step = (text: string) => setCurrentDetails(`**${name}** ← ${input.label}\n\nstep: ${text}\n\nrollout: ${input.rollout}`);
  let changesBegan = false;

  try {
    step('compare with running config');
    const before: ConfigDiff = await quick.configState.executeWithOptions({ summary: `read config ${name}` }, [{ device, lines: input.lines }]);
    if (before.missing === 0) {
      result.outcome = 'unchanged';
      result.notes.push(`already in the desired state (${before.total} line(s) present)`);
      step('unchanged');
      return result;
    }
    if (input.dryRun) {
      result.outcome = 'ready';
      result.notes.push(formatConfigDiff(before));
      step('dry run: would change');
      return result;
    }

    const pre = wantsSnapshots(verify) ? await quick.snapshot.executeWithOptions({ summary: `pre-check ${name}` }, [{ device }]) : undefined;
    step('back up');
    await slow.backupConfig.executeWithOptions({ summary: `back up config ${name}` }, [{ device, name: input.backupName }]);

    step('apply');
    changesBegan = true;
    const applied = await applying.applyConfig.executeWithOptions({ summary: `apply ${input.label} on ${name}` }, [{ device, lines: input.lines }]);

    step('verify');
    if (verify.settleMs > 0) await sleep(verify.settleMs);
    const after = await quick.configState.executeWithOptions({ summary: `verify config ${name}` }, [{ device, lines: input.lines }]);
    const problems: string[] = [];
    if (after.missing > 0) problems.push(`${after.missing} line(s) not in the running configuration after applying them (the device normalises them differently?): ${after.lines.filter((l) => l.startsWith('+')).slice(0, 3).join(' | ')}`);
    if (pre) {
      const post = await quick.snapshot.executeWithOptions({ summary: `post-check ${name}` }, [{ device }]);
      problems.push(...configPostCheckProblems(pre, post, verify));
    }
    if (problems.length > 0) {
      throw ApplicationFailure.create({ type: 'PostCheckFailed', message: problems.join('; '), nonRetryable: true, details: [{ hint: 'rolled back; check the change against the device before retrying' }] });
    }

    if (input.saveAfter) {
      step('save');
      await quick.saveConfig.executeWithOptions({ summary: `save config ${name}` }, [{ device }]);
    }
    result.outcome = 'changed';
    result.notes.push(`applied ${applied.linesApplied} line(s) (${before.missing} were missing)${input.saveAfter ? ', saved' : ', not saved'}`);
    step('changed');
    return result;
  } catch (err) {
    const cancelled = isCancellation(err);
    if (!changesBegan) {
      if (cancelled) throw err;
      throw deviceFailure(result, toDeviceError(err));
    }
    const error: ReportedError = cancelled ? { type: 'Cancelled', message: 'cancelled by the operator while the change was being made' } : toDeviceError(err);
    // Never leave a device half-configured: not even an abort may skip this.
    const rollback = await CancellationScope.nonCancellable(async () => {
      step('roll back');
      try {
        await slow.rollbackConfig.executeWithOptions({ summary: `roll back config ${name}` }, [{ device, name: input.backupName }]);
        return undefined;
      } catch (rollbackErr) {
        return toDeviceError(rollbackErr);
      }
    });
    if (rollback === undefined) {
      result.outcome = 'rolled-back';
      result.notes.push(`rolled back to the configuration saved before the push (${restorePointOf(device, input.backupName)})`);
    } else {
      result.notes.push(`ROLLBACK FAILED: ${rollback.message}`);
    }
    throw deviceFailure(result, {
      type: error.type,
      message: rollback === undefined ? error.message : `${error.message}; rollback failed: ${rollback.message}`,
      hint:
        rollback === undefined
          ? cancelled
            ? 'the push was aborted; the device was rolled back to its configuration before the push'
            : error.type === 'CommandRejected'
            ? 'the device refused a line (its words are above) and was rolled back; fix the line and push again'
            : (error.hint ?? 'rolled back; investigate before retrying')
          : `restore the device by hand from ${restorePointOf(device, input.backupName)}; it may be half-configured`,
    });
  }
}

failOnUnexpectedErrors(deviceConfigWorkflow);
