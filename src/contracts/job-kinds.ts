import type { DeviceOutcome, RolloutInput, RolloutJob } from './rollout';

/**
 * The one table of job kinds, the part every layer may read: how a job is
 * named, which targets it works on and which outcomes its per-target child
 * can end with. The workflow side (child workflow and its arguments) is in
 * workflows/jobs.ts and is keyed by the same kinds, so a kind missing there
 * is a compile error.
 */

export type JobKind = RolloutJob['kind'];
export type JobOf<K extends JobKind> = Extract<RolloutJob, { kind: K }>;

/** What a rollout works through: SSH devices from the inventory, or dashboard networks. */
export type TargetKind = 'device' | 'network';

export interface JobKindInfo<K extends JobKind> {
  /** What one such rollout is called in messages: "upgrade", "config push", "firmware rollout". */
  noun: string;
  /** The target kind the child works on; the engine refuses any other. */
  targets: TargetKind;
  /** Search attribute NetopsKind of the per-target child. */
  childKind: string;
  /** The default rollout name is this prefix, the label and the time. */
  namePrefix: string;
  /** What the child can end with; the engine adds ENGINE_OUTCOMES. Successes first: reports list counts in this order. */
  outcomes: readonly DeviceOutcome[];
  /** A short name of what the job installs or applies (the report's `targetVersion`). */
  label(job: JobOf<K>): string;
  /** What a person calls the rollout: "Upgrade of 40 devices to 17.12.04". */
  title(job: JobOf<K>, targets: number, dryRun: boolean): string;
}

type JobKindTable = { [K in JobKind]: JobKindInfo<K> };

export const JOB_KINDS = {
  upgrade: {
    noun: 'upgrade',
    targets: 'device',
    childKind: 'device-upgrade',
    namePrefix: '',
    outcomes: ['upgraded', 'already-current', 'ready', 'would-fail', 'rolled-back', 'failed'],
    label: (job) => job.image.version,
    title: (job, n, dryRun) => `${dryRun ? 'Dry run of an upgrade' : 'Upgrade'} of ${n} devices to ${job.image.version}`,
  },
  config: {
    noun: 'config push',
    targets: 'device',
    childKind: 'device-config',
    namePrefix: 'config-',
    // A config dry run answers `ready` (would change) or `unchanged`; it has no would-fail.
    outcomes: ['changed', 'ready', 'unchanged', 'rolled-back', 'failed'],
    label: (job) => job.label,
    title: (job, n, dryRun) => `${dryRun ? 'Dry run of a config push' : 'Config push'} "${job.label}" to ${n} devices`,
  },
  'dashboard-firmware': {
    noun: 'firmware rollout',
    targets: 'network',
    childKind: 'dashboard-firmware',
    namePrefix: '',
    outcomes: ['upgraded', 'already-current', 'ready', 'would-fail', 'rolled-back', 'failed'],
    label: (job) => job.firmware,
    title: (job, n, dryRun) => `${dryRun ? 'Dry run of a firmware rollout' : 'Firmware rollout'} of ${n} networks to ${job.firmware}`,
  },
} as const satisfies JobKindTable;

/** Every kind, in the table's order. */
export const JOB_KIND_NAMES = Object.keys(JOB_KINDS) as JobKind[];

/**
 * Outcomes the engine gives whatever the kind: a child that failed, a device
 * another operation held (`busy`), one skipped by the planner or the
 * operator, one stopped by an abort.
 */
export const ENGINE_OUTCOMES = ['failed', 'busy', 'skipped', 'aborted'] as const satisfies readonly DeviceOutcome[];

/** Every outcome a report can count: the kinds' outcomes, then the engine's, each once. */
export const ALL_OUTCOMES: readonly DeviceOutcome[] = [...new Set<DeviceOutcome>([...JOB_KIND_NAMES.flatMap((k) => JOB_KINDS[k].outcomes), ...ENGINE_OUTCOMES])];

// Compile-time: an outcome in DeviceOutcome that no kind and not the engine can give is an error here.
type Covered = (typeof JOB_KINDS)[JobKind]['outcomes'][number] | (typeof ENGINE_OUTCOMES)[number];
const everyOutcomeCovered: [Exclude<DeviceOutcome, Covered>] extends [never] ? true : never = true;
void everyOutcomeCovered;

/** The table's entry of a kind, typed for that kind. */
export function jobKind<K extends JobKind>(kind: K): JobKindInfo<K> {
  return (JOB_KINDS as JobKindTable)[kind];
}

/** A short name of what the job installs or applies: the image version, a config label, a firmware. */
export function jobLabel(job: RolloutJob): string {
  return labelOf(job.kind, job);
}

/** What a person calls the job, for titles: "Upgrade of 40 devices to 17.12.04". */
export function jobTitle(input: RolloutInput): string {
  return titleOf(input.job.kind, input.job, input.devices.length, input.settings.dryRun);
}

/** The outcomes a rollout of this kind reports, its own first. */
export function reportOutcomes(kind: JobKind): readonly DeviceOutcome[] {
  return [...new Set<DeviceOutcome>([...JOB_KINDS[kind].outcomes, ...ENGINE_OUTCOMES, ...ALL_OUTCOMES])];
}

function labelOf<K extends JobKind>(kind: K, job: JobOf<K>): string {
  return jobKind(kind).label(job);
}

function titleOf<K extends JobKind>(kind: K, job: JobOf<K>, targets: number, dryRun: boolean): string {
  return jobKind(kind).title(job, targets, dryRun);
}
