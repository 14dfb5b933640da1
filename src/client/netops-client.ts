import { jobLabel, jobTitle } from '../contracts/job-kinds';
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TASK_QUEUE, WORKFLOW_TYPES } from '../contracts/names';
import {
  abortUpdate,
  approveUpdate,
  pauseUpdate,
  progressQuery,
  resumeUpdate,
  retryDeviceUpdate,
  rolloutWorkflowId,
  skipDeviceUpdate,
  type ControlAnswer,
  type RolloutInput,
  type RolloutProgress,
  type RolloutReport,
  type RolloutStatus,
} from '../contracts/rollout';
import { isRolloutStatus, ROLLOUT_STATUS_MEMO } from '../contracts/rollout-memo';
import { renderRolloutSummary } from './rollout-summary';
import { withServerReason } from './start-failure';
import { SA_DEVICES, SA_KIND, SA_ROLLOUT_ID, SA_TARGET_VERSION } from '../contracts/search-attributes';

/**
 * A control the workflow refused (its validator said no), with the workflow's
 * reason; `type` is the refusal's stable name (`NotPaused`, `AlreadyApproved`,
 * ..., and `RolloutEnded` when the rollout had already closed), see
 * UPDATE_REFUSALS in src/contracts/failure-types.ts.
 */
export class ControlRejected extends Error {
  constructor(
    message: string,
    readonly type: string = 'Refused',
  ) {
    super(message);
    this.name = 'ControlRejected';
  }
}

export class RolloutNotFound extends Error {
  constructor(readonly rollout: string) {
    super(`no rollout named "${rollout}" (workflow id ${rolloutWorkflowId(rollout)})`);
    this.name = 'RolloutNotFound';
  }
}

export class RolloutExists extends Error {
  constructor(readonly rollout: string) {
    super(`a rollout named "${rollout}" is already running; pick another --name or steer that one`);
    this.name = 'RolloutExists';
  }
}

export interface RolloutListItem {
  name: string;
  /** The rollout's own word (as `rollout status` says it), see listStatus. */
  status: ListedStatus;
  targetVersion?: string;
  startTime: Date;
  closeTime?: Date;
}

/**
 * The typed way for a service to start, steer and read netops workflows. The
 * CLI is built on it; any other TypeScript service can use it the same way.
 */
export class NetopsClient {
  constructor(
    readonly client: Client,
    readonly taskQueue: string = TASK_QUEUE,
  ) {}

  /** `detailsNote`: a line the rollout's details (Web UI) carry below the summary, e.g. how its redundancy groups were checked. */
  async startRollout(input: RolloutInput, opts: { detailsNote?: string } = {}): Promise<WorkflowHandle> {
    try {
      return await this.client.workflow.start(WORKFLOW_TYPES.rollout, {
        taskQueue: this.taskQueue,
        workflowId: rolloutWorkflowId(input.name),
        args: [input],
        staticSummary: jobTitle(input),
        staticDetails: opts.detailsNote ? `${renderRolloutSummary(input)}\n\n${opts.detailsNote}` : renderRolloutSummary(input),
        typedSearchAttributes: [
          { key: SA_KIND, value: 'rollout' },
          { key: SA_ROLLOUT_ID, value: input.name },
          { key: SA_TARGET_VERSION, value: jobLabel(input.job) },
          ...devicesAttribute(input.devices.map((d) => d.name)),
        ],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new RolloutExists(input.name);
      throw withServerReason(err, rolloutWorkflowId(input.name));
    }
  }

  handle(name: string): WorkflowHandle {
    return this.client.workflow.getHandle(rolloutWorkflowId(name));
  }

  async progress(name: string): Promise<RolloutProgress> {
    return this.withNotFound(name, () => this.handle(name).query(progressQuery));
  }

  /** Waits for the rollout to end and returns its report, also when it failed or was aborted. */
  async result(name: string): Promise<RolloutReport> {
    return this.withNotFound(name, async () => {
      try {
        return (await this.handle(name).result()) as RolloutReport;
      } catch (err) {
        const report = reportFromFailure(err);
        if (report) return report;
        throw err;
      }
    });
  }

  pause(name: string, reason?: string) {
    return this.control(name, () => this.handle(name).executeUpdate(pauseUpdate, { args: [{ reason }] }));
  }
  resume(name: string) {
    return this.control(name, () => this.handle(name).executeUpdate(resumeUpdate, { args: [{}] }));
  }
  /** Opens the canary gate; refused while a canary has not succeeded unless `despiteFailedCanary` (recorded in the rollout). */
  approve(name: string, opts: { despiteFailedCanary?: boolean; reason?: string } = {}) {
    const args = { ...(opts.despiteFailedCanary ? { despiteFailedCanary: true } : {}), ...(opts.reason ? { reason: opts.reason } : {}) };
    return this.control(name, () => this.handle(name).executeUpdate(approveUpdate, { args: [args] }));
  }
  abort(name: string, reason?: string) {
    return this.control(name, () => this.handle(name).executeUpdate(abortUpdate, { args: [{ reason }] }));
  }
  retryDevice(name: string, device: string) {
    return this.control(name, () => this.handle(name).executeUpdate(retryDeviceUpdate, { args: [{ device }] }));
  }
  skipDevice(name: string, device: string, reason?: string) {
    return this.control(name, () => this.handle(name).executeUpdate(skipDeviceUpdate, { args: [{ device, reason }] }));
  }

  /**
   * Rollouts, newest first. `device` finds every rollout that worked on it:
   * through its per-device workflows (each carries its rollout's id), since
   * a large rollout's own device list does not fit in a search attribute.
   */
  async listRollouts(opts: { device?: string; limit?: number } = {}): Promise<RolloutListItem[]> {
    const limit = opts.limit ?? 50;
    if (!opts.device) return this.rolloutsMatching(`${SA_KIND.name} = 'rollout'`, limit);
    const device = opts.device.replace(/'/g, "\\'");
    const names = new Set<string>();
    for await (const wf of this.client.workflow.list({ query: `${SA_DEVICES.name} = '${device}'` })) {
      const rollout = wf.workflowId.startsWith('rollout/') ? wf.workflowId.slice('rollout/'.length) : wf.typedSearchAttributes.get(SA_ROLLOUT_ID);
      if (rollout) names.add(rollout);
      if (names.size >= limit) break;
    }
    if (names.size === 0) return [];
    const ids = [...names].map((n) => `'${rolloutWorkflowId(n).replace(/'/g, "\\'")}'`);
    return this.rolloutsMatching(`${SA_KIND.name} = 'rollout' AND WorkflowId IN (${ids.join(', ')})`, limit);
  }

  private async rolloutsMatching(query: string, limit: number): Promise<RolloutListItem[]> {
    const items: RolloutListItem[] = [];
    for await (const wf of this.client.workflow.list({ query })) {
      items.push({
        name: wf.workflowId.replace(/^rollout\//, ''),
        status: await this.listStatus(wf),
        targetVersion: wf.typedSearchAttributes.get(SA_TARGET_VERSION),
        startTime: wf.startTime,
        ...(wf.closeTime ? { closeTime: wf.closeTime } : {}),
      });
      if (items.length >= limit) break;
    }
    return items;
  }

  /**
   * The rollout's status from its memo; a rollout from before the memo that
   * the server calls FAILED may have been aborted, which only its report
   * tells. Temporal's own word for what no rollout says (terminated, ...).
   */
  private async listStatus(wf: Pick<WorkflowExecutionInfo, 'status' | 'memo' | 'workflowId' | 'runId'>): Promise<ListedStatus> {
    const fromServer = TEMPORAL_STATUS_WORDS[wf.status.name];
    // Terminated, timed out, continued as new: the memo holds what the run said before that.
    if (fromServer !== 'running' && fromServer !== 'completed' && fromServer !== 'failed') return fromServer;
    const memo = wf.memo?.[ROLLOUT_STATUS_MEMO];
    if (memo !== undefined) {
      if (!isRolloutStatus(memo)) throw new Error(`rollout ${wf.workflowId} has an unknown status "${String(memo)}" in its memo; upgrade this client to read it`);
      return memo;
    }
    if (fromServer !== 'failed') return fromServer;
    const report = await this.client.workflow
      .getHandle(wf.workflowId, wf.runId)
      .result()
      .then(() => undefined, reportFromFailure);
    return report?.status ?? 'failed';
  }

  private async control(name: string, fn: () => Promise<ControlAnswer>): Promise<ControlAnswer> {
    return this.withNotFound(name, async () => {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          const cause = err.cause instanceof ApplicationFailure ? err.cause.message : (err.cause?.message ?? err.message);
          throw new ControlRejected(cause, err.cause instanceof ApplicationFailure && err.cause.type ? err.cause.type : 'Refused');
        }
        throw err;
      }
    });
  }

  private async withNotFound<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // The server says "not found" both for a rollout that never existed and
      // for updates to one that has ended: tell the operator which.
      const described = await this.handle(name)
        .describe()
        .catch(() => undefined);
      if (described && described.status.name !== 'RUNNING') {
        throw new ControlRejected(`the rollout "${name}" has ended (${await this.listStatus(described)}); nothing to steer`, 'RolloutEnded');
      }
      throw new RolloutNotFound(name);
    }
  }
}

/** What `rollout list` says: the rollout's own status, or Temporal's for what a rollout never says of itself. */
export type ListedStatus = RolloutStatus | 'terminated' | 'timed-out' | 'cancelled' | 'continued-as-new' | 'paused-by-temporal' | 'unknown';

const TEMPORAL_STATUS_WORDS: Record<WorkflowExecutionInfo['status']['name'], ListedStatus> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  CONTINUED_AS_NEW: 'continued-as-new',
  TIMED_OUT: 'timed-out',
  PAUSED: 'paused-by-temporal',
  UNKNOWN: 'unknown',
  UNSPECIFIED: 'unknown',
};

/** Temporal caps one search attribute value at 2 KB: list the devices when they fit, else rely on the device workflows. */
const SEARCH_ATTRIBUTE_VALUE_LIMIT = 2048;

export function devicesAttribute(names: string[]): Array<{ key: typeof SA_DEVICES; value: string[] }> {
  const size = JSON.stringify(names).length;
  return size < SEARCH_ATTRIBUTE_VALUE_LIMIT - 48 ? [{ key: SA_DEVICES, value: names }] : [];
}

/** A failed or aborted rollout carries its report in the failure's details. */
export function reportFromFailure(err: unknown): RolloutReport | undefined {
  let current: unknown = err instanceof WorkflowFailedError ? err.cause : err;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof ApplicationFailure) {
      const report = current.details?.[0] as RolloutReport | undefined;
      if (report && Array.isArray(report.devices)) return report;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
