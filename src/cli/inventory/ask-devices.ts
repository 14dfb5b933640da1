import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { toDeviceTarget } from '../../client/device-targets';
import { TASK_QUEUE, WORKFLOW_TYPES } from '../../contracts/names';
import type { Device } from '../../inventory';
import { crossCheck, devicesToAsk, unanswered, type DeviceFacts, type Disagreement } from '../../inventory/discover';
import { redundancyDiscoveryWorkflowId } from '../../contracts/probes';
import { CliError, ExitCode } from '../shared/cli-error';
import { connectClient, type TemporalFlags } from '../shared/temporal-connection';

export interface AskOptions extends TemporalFlags {
  taskQueue: string;
  timeoutMs: number;
}

/**
 * What the devices report about their partners, read through a worker (it
 * holds the credentials) by `redundancyDiscoveryWorkflow`. Without a worker,
 * or without an answer, nothing is known: that is an error naming what to
 * start, never an empty answer.
 */
export async function askDevices(devices: Device[], opts: AskOptions): Promise<DeviceFacts[]> {
  if (devices.length === 0) return [];
  const conn = await connectClient(opts);
  try {
    const pollers = await conn.client.workflowService
      .describeTaskQueue({ namespace: conn.target.namespace, taskQueue: { name: opts.taskQueue }, taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW })
      .then((r) => r.pollers?.length ?? 0);
    if (pollers === 0) {
      throw new CliError(`cannot ask the devices: no worker polls task queue "${opts.taskQueue}" at ${conn.target.address} (start one: netops worker${opts.taskQueue === TASK_QUEUE ? '' : ` --task-queue ${opts.taskQueue}`})`, ExitCode.unavailable);
    }
    try {
      return (await conn.client.workflow.execute(WORKFLOW_TYPES.redundancyDiscovery, {
        taskQueue: opts.taskQueue,
        workflowId: redundancyDiscoveryWorkflowId(randomUUID()),
        args: [{ devices: devices.map(toDeviceTarget) }],
        workflowExecutionTimeout: opts.timeoutMs,
      })) as DeviceFacts[];
    } catch (err) {
      throw new CliError(`cannot ask the devices: the discovery on task queue "${opts.taskQueue}" did not answer (${(err as Error).message.split('\n')[0]})`, ExitCode.unavailable);
    }
  } finally {
    await conn.close();
  }
}

/** The cross-check a rollout or push runs first: the selection and the rest of its declared groups, asked and compared. */
export async function crossCheckInventory(all: Device[], selected: Device[], opts: AskOptions): Promise<{ asked: number; disagreements: Disagreement[]; unanswered: { device: string; error: string }[] }> {
  const ask = devicesToAsk(all, selected);
  const facts = await askDevices(ask, opts);
  return { asked: ask.length, disagreements: crossCheck(ask, facts), unanswered: unanswered(facts) };
}

/** Disagreements as the terminal shows them: one block per finding, evidence per device, what to fix. */
export function renderDisagreements(found: Disagreement[]): string {
  return found
    .map((d) => [`- ${d.message}`, ...d.evidence.map((e) => `    ${e.device}: ${e.says}`), `    fix: ${d.fix}`].join('\n'))
    .join('\n');
}
