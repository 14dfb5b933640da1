import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { InvalidInputDetails } from '../../../src/contracts/failure-types';

/**
 * Workflows of this test's task queue still Running: the Done-when check of
 * every contract test. Visibility lags a close by a moment, so each one it
 * lists is confirmed by describing it (which reads the execution itself).
 */
export async function runningOn(client: Client, taskQueue: string): Promise<string[]> {
  const listed: Array<{ workflowId: string; runId: string }> = [];
  for await (const wf of client.workflow.list({ query: `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"` })) listed.push(wf);
  const running: string[] = [];
  for (const wf of listed) {
    const described = await client.workflow.getHandle(wf.workflowId, wf.runId).describe();
    if (described.status.name === 'RUNNING') running.push(wf.workflowId);
  }
  return running;
}

export interface EndedWith {
  type: string | undefined;
  message: string;
  nonRetryable: boolean;
  details: unknown[];
  ms: number;
}

/** Starts a workflow by name with raw JSON, as another service would, and waits for its failure. */
export async function startAndFail(client: Client, taskQueue: string, workflowType: string, workflowId: string, input: unknown): Promise<EndedWith> {
  const started = Date.now();
  const handle = await client.workflow.start(workflowType, { taskQueue, workflowId, args: [input] });
  try {
    await handle.result();
  } catch (err) {
    if (!(err instanceof WorkflowFailedError) || !(err.cause instanceof ApplicationFailure)) throw err;
    return { type: err.cause.type ?? undefined, message: err.cause.message, nonRetryable: err.cause.nonRetryable === true, details: err.cause.details ?? [], ms: Date.now() - started };
  }
  throw new Error(`${workflowType} ${workflowId} completed, expected it to fail`);
}

export function problemPaths(ended: EndedWith): string[] {
  return ((ended.details[0] as InvalidInputDetails | undefined)?.problems ?? []).map((p) => p.path);
}
