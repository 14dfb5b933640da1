import { jobKind, jobLabel } from '../../contracts/job-kinds';
import { NAME_PATTERN } from '../../contracts/names';
import type { Site } from '../../contracts/inventory';
import type { DeviceTimings, FailureBudget, RolloutInput, RolloutJob, RolloutTarget } from '../../contracts/rollout';
import { buildPlan, PlanError, type RolloutPolicy } from '../../plan';
import { CliError, ExitCode } from '../shared/cli-error';
import { parsePositiveInt, splitList } from '../shared/parse-options';
import { parseFailureBudget } from './settings';

/**
 * What every kind of rollout builds the same way from its flags (`rollout
 * start`, `config push`, `dashboard rollout start`): the name, the canary, the
 * failure budget and approval, the settings around the job, and a plan built
 * here so bad flags fail before Temporal is contacted. Each command adds only
 * its own kind's job and targets.
 */

/** The flags every kind of rollout has. */
export interface JobFlags {
  name?: string;
  failureBudget: string;
  approval: boolean;
  dryRun?: boolean;
}

/** JobFlags checked: what the input is built from. */
export interface CheckedJobFlags {
  name?: string;
  failureBudget: FailureBudget;
  approval: boolean;
  dryRun: boolean;
}

/** Checks the shared flags; call it first, before an inventory or a file is read. */
export function checkJobFlags(flags: JobFlags): CheckedJobFlags {
  if (flags.name !== undefined && !NAME_PATTERN.test(flags.name)) {
    throw new CliError(`--name: "${flags.name}" is not a rollout name (letters, digits, '.', '_', '-'; at most 80)`, ExitCode.usage);
  }
  return {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    failureBudget: parseFailureBudget(flags.failureBudget),
    approval: flags.approval,
    dryRun: Boolean(flags.dryRun),
  };
}

/** `--canary`: a count (picked by the planner) or a comma list of target names. */
export function parseCanary(value: string): NonNullable<RolloutPolicy['canary']> {
  const v = value.trim();
  if (/^\d+$/.test(v)) return { count: parsePositiveInt(v, '--canary', { min: 0 }) };
  const devices = splitList(v);
  if (devices.length === 0) throw new CliError(`--canary: "${value}" is neither a count nor a comma list of names`, ExitCode.usage);
  return { devices };
}

/** The kind's own part of a rollout, which its command builds. */
export interface JobParts {
  job: RolloutJob;
  targets: RolloutTarget[];
  /** Sites the targets may belong to; only theirs are carried in the input. */
  sites: Record<string, Site>;
  policy: RolloutPolicy;
  timings: DeviceTimings;
  busyWaitMs?: number;
}

/** The rollout input of any kind, planned once here to refuse bad flags (exit code 2). */
export function jobRolloutInput(flags: CheckedJobFlags, parts: JobParts, nowMs = Date.now()): RolloutInput {
  const { job, targets, policy } = parts;
  const hasCanary = Boolean(policy.canary?.count || policy.canary?.devices?.length);
  const input: RolloutInput = {
    name: flags.name ?? defaultRolloutName(job, nowMs),
    job,
    devices: targets,
    sites: Object.fromEntries(Object.entries(parts.sites).filter(([name]) => targets.some((t) => t.site === name))),
    settings: {
      ...policy,
      failureBudget: flags.failureBudget,
      requireApproval: hasCanary && flags.approval,
      dryRun: flags.dryRun,
      timings: parts.timings,
      ...(parts.busyWaitMs !== undefined ? { busyWaitMs: parts.busyWaitMs } : {}),
    },
  };
  // The workflow plans again with the devices' live roles; planning here catches bad flags before anything starts.
  try {
    buildPlan(targets.map((t) => ({ name: t.name, site: t.site, groups: t.groups, ...(t.redundancyGroup ? { redundancyGroup: t.redundancyGroup } : {}) })), input.sites, input.settings, nowMs);
  } catch (err) {
    if (err instanceof PlanError) throw new CliError(err.problems.join('; '), ExitCode.usage);
    throw err;
  }
  return input;
}

/** `<prefix><label>-<yyyymmdd-hhmmss>`, within the name rule whatever the label holds. */
export function defaultRolloutName(job: RolloutJob, nowMs = Date.now()): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = `${jobKind(job.kind).namePrefix}${jobLabel(job)}`.replace(/[^\w.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return `${base.slice(0, 80 - stamp.length - 1) || 'rollout'}-${stamp}`;
}
