import { ApplicationFailure, patched } from '@temporalio/workflow';
import { deviceUpgradeWorkflow } from './device-upgrade';
import { deviceConfigInput, deviceConfigWorkflow } from './device-config';
import { dashboardNetworkUpgradeWorkflow } from './dashboard-network-upgrade';
import { imageRolloutRefusals } from '../contracts/image-platforms';
import { jobKind, type JOB_KINDS, type JobKind, type JobOf } from '../contracts/job-kinds';
import { isDeviceTarget, type DeviceJobResult, type DeviceTarget, type NetworkTarget, type RolloutInput, type RolloutTarget } from '../contracts/rollout';

/**
 * The workflow side of the table of job kinds (contracts/job-kinds.ts holds
 * the pure side): per kind, the per-target child workflow function and the
 * builder of its typed input. The engine starts the child by function
 * reference, so the compiler checks every child's input; the workflow type
 * name sent to the server is the function's name, as before.
 */

/** The target a kind works on, as contracts/job-kinds.ts declares it. */
export type TargetOf<K extends JobKind> = (typeof JOB_KINDS)[K]['targets'] extends 'network' ? NetworkTarget : DeviceTarget;

/** One kind's procedure: which child runs on a target, with which input. */
export interface JobProcedure<K extends JobKind, A> {
  /** Method syntax on purpose: the table is checked against `JobProcedure<K, unknown>` below. */
  workflow(input: A): Promise<DeviceJobResult>;
  /** The child's input for one target of the rollout. */
  args: (input: RolloutInput, job: JobOf<K>, target: TargetOf<K>) => A;
  /** One line for the Web UI, e.g. "upgrade r1-a to 17.12.04". */
  summary: (job: JobOf<K>, target: TargetOf<K>, dryRun: boolean) => string;
}

/** Ties a child workflow to its input builder: `args` must return exactly what `workflow` takes. */
function procedure<K extends JobKind, A>(
  _kind: K,
  workflow: (input: A) => Promise<DeviceJobResult>,
  rest: Omit<JobProcedure<K, NoInfer<A>>, 'workflow'>,
): JobProcedure<K, A> {
  return { workflow, ...rest };
}

const doing = (dryRun: boolean, check: string, change: string) => (dryRun ? check : change);

/** The one table: a kind missing here, or a procedure filed under another kind, is a compile error. */
export const JOB_PROCEDURES = {
  upgrade: procedure('upgrade', deviceUpgradeWorkflow, {
    args: (input, job, device) => ({
      rollout: input.name,
      device,
      peers: peersOf(input, device),
      image: job.image,
      timings: input.settings.timings,
      dryRun: input.settings.dryRun,
      rollbackOnFailedPostCheck: job.rollbackOnFailedPostCheck,
      ...(job.isolation ? { isolation: job.isolation } : {}),
    }),
    summary: (job, device, dryRun) => `${doing(dryRun, 'pre-check', 'upgrade')} ${device.name} to ${job.image.version}`,
  }),
  config: procedure('config', deviceConfigWorkflow, {
    args: (input, job, device) => deviceConfigInput(input, job, device),
    summary: (job, device, dryRun) => `${doing(dryRun, 'diff', 'push')} ${job.label} ${doing(dryRun, 'against', 'to')} ${device.name}`,
  }),
  'dashboard-firmware': procedure('dashboard-firmware', dashboardNetworkUpgradeWorkflow, {
    args: (input, job, network) => ({ rollout: input.name, network, job, timings: input.settings.timings, dryRun: input.settings.dryRun }),
    summary: (job, network, dryRun) => `${doing(dryRun, 'pre-check', 'upgrade')} network ${network.name} (org ${network.orgId}) to ${job.firmware}`,
  }),
} satisfies { [K in JobKind]: JobProcedure<K, unknown> };

/** Each kind's child input, read off its workflow function. */
export type ChildInputOf<K extends JobKind> = Parameters<(typeof JOB_PROCEDURES)[K]['workflow']>[0];

// The same table seen per kind, so a generic kind indexes it with its own types (and `args` is checked against `workflow` again).
const PROCEDURES: { [K in JobKind]: JobProcedure<K, ChildInputOf<K>> } = JOB_PROCEDURES;

/** How the engine starts the child workflow of one target: the function, its input, how it shows. */
export interface ChildSpec<A> {
  workflow: (input: A) => Promise<DeviceJobResult>;
  args: [A];
  /** One line for the Web UI. */
  summary: string;
  /** Search attribute NetopsKind of the child. */
  kind: string;
}

/** The child of `target` in this rollout; refuses a target its kind does not work on. */
export function childSpec(input: RolloutInput, target: RolloutTarget): ChildSpec<ChildInputOf<JobKind>> {
  return specOf(input.job.kind, input, input.job, target);
}

function specOf<K extends JobKind>(kind: K, input: RolloutInput, job: JobOf<K>, target: RolloutTarget): ChildSpec<ChildInputOf<K>> {
  const p = PROCEDURES[kind];
  const accepted = acceptedTarget(kind, target);
  return {
    // The function itself, never a wrapper: its name is the workflow type the server is asked to start.
    workflow: p.workflow,
    args: [p.args(input, job, accepted)],
    summary: p.summary(job, accepted, input.settings.dryRun),
    kind: jobKind(kind).childKind,
  };
}

/** The target as its kind takes it, or a non-retryable InvalidInput naming what the kind works on. */
function acceptedTarget<K extends JobKind>(kind: K, target: RolloutTarget): TargetOf<K> {
  const wants = jobKind(kind).targets;
  if (wants === 'device' && isDeviceTarget(target)) return target as TargetOf<K>;
  if (wants === 'network' && !isDeviceTarget(target)) return target as TargetOf<K>;
  const what = wants === 'device' ? 'SSH devices' : 'dashboard networks';
  const is = isDeviceTarget(target) ? 'an SSH device' : 'a dashboard network';
  throw ApplicationFailure.create({ type: 'InvalidInput', message: `${kind} works on ${what}; ${target.name} is ${is}`, nonRetryable: true });
}

/** The other members of the target's redundancy group. */
function peersOf(input: RolloutInput, target: RolloutTarget): DeviceTarget[] {
  if (!target.redundancyGroup) return [];
  return input.devices.filter((d): d is DeviceTarget => isDeviceTarget(d) && d.redundancyGroup === target.redundancyGroup && d.name !== target.name);
}

/** Executions started before FRR was refused replay as they ran. */
export const NO_IMAGE_PLATFORMS_PATCH = 'netops-refuse-imageless-upgrade-v1';

/**
 * An image rollout refuses, before anything starts, devices whose platform
 * has no image (FRR): the CLI refuses them already; this catches any other
 * client that starts the workflow with the same JSON.
 */
export function refuseImagelessUpgrade(input: RolloutInput): void {
  if (input.job.kind !== 'upgrade' || !patched(NO_IMAGE_PLATFORMS_PATCH)) return;
  const refusals = imageRolloutRefusals(input.devices.filter(isDeviceTarget));
  if (refusals.length > 0) throw ApplicationFailure.create({ type: 'InvalidInput', message: `rollout ${input.name}: ${refusals.join('; ')}. Nothing was started.`, nonRetryable: true });
}
