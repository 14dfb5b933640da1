import type { PlannedStage, StagedProduct, StagePhase } from './staged-state';
import type { FirmwareVersion } from './types';

export interface StagedPlanRequest {
  product: StagedProduct;
}

export interface StagedPlan {
  networkId: string;
  product: StagedProduct;
  stages: PlannedStage[];
}

/** One stage as the workflow schedules it: the group and its start, chosen by the workflow so a retry sends the very same body. */
export interface StageSchedule {
  groupId: string;
  /** ISO date-time (UTC) the stage starts at. */
  scheduledFor: string;
}

export interface StagedScheduleRequest {
  product: StagedProduct;
  toVersion: FirmwareVersion;
  stages: StageSchedule[];
}

export interface StagedScheduleResult {
  networkId: string;
  /** True when nothing was posted: the event was already there (or done). */
  alreadyScheduled: boolean;
  /** True when the event is this request's (same version, every stage at our time); false: someone else's event to that version, followed. */
  ours: boolean;
  /** The stages as the dashboard holds them. */
  stages: StageSchedule[];
}

export interface StageWaitRequest {
  product: StagedProduct;
  /** The version the stage's switches must end on (after a rollback: the one rolled back to). */
  toVersion: FirmwareVersion;
  groupId: string;
  /** For messages: e.g. "stage 1/3 (Canary)". */
  label: string;
}

export interface StageWaitResult {
  networkId: string;
  groupId: string;
  phase: Extract<StagePhase, 'completed'>;
  completedAt?: string;
  polls: number;
}

export interface StageCheckRequest {
  product: StagedProduct;
  groupId: string;
  /** The firmware name devices report on the version (`switch-17-1-4`). */
  firmware: string;
}

export interface StageCheckResult {
  networkId: string;
  groupId: string;
  /** False when the stage's switches cannot be told from the groups answer (switch stacks): the network's post-check covers them. */
  checked: boolean;
  total: number;
  onTarget: number;
  /** Serials not on the firmware, at most 20. */
  behind: string[];
}

export interface StagedDeferRequest {
  /** Our event's version and stages: a pending stage later than our time was deferred already. */
  toVersion: FirmwareVersion;
  stages: StageSchedule[];
}

export interface StagedDeferResult {
  networkId: string;
  deferred: boolean;
  /** Why nothing was sent, or the stages' new times. */
  status: string;
}

export interface StagedRollbackRequest {
  /** The version being undone (our event's); an event to another version is not ours to roll back. */
  fromVersion: FirmwareVersion;
  comment: string;
}

export interface StagedRollbackResult {
  networkId: string;
  rolledBack: boolean;
  /** Groups whose switches go back (stages that had started); pending stages are cancelled. */
  groupIds: string[];
  status: string;
}
