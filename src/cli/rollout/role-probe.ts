import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { RoleAnswer } from '../../contracts/probes';
import type { Device } from '../../inventory';
import { TASK_QUEUE, WORKFLOW_TYPES } from '../../contracts/names';
import { rolesProbeWorkflowId } from '../../contracts/probes';
import { CliError } from '../shared/cli-error';
import { toDeviceTarget } from '../../client/device-targets';
import { connectionFlags } from './render';
import { connectClient, type TemporalFlags } from '../shared/temporal-connection';

export interface RoleProbeOptions extends TemporalFlags {
  taskQueue: string;
  /** How long the plan waits for the devices' answers. */
  timeoutMs: number;
}

/**
 * The live HSRP/VRRP role of every selected device in a redundancy group,
 * read on the devices through a worker (the worker holds the credentials; the
 * rollout itself asks the same way). Never throws for an unanswered probe:
 * each device then carries why its role is unknown.
 */
export async function probeRoles(devices: Device[], opts: RoleProbeOptions): Promise<Record<string, RoleAnswer>> {
  const grouped = devices.filter((d) => d.redundancyGroup !== undefined);
  if (grouped.length === 0) return {};
  const everyone = (why: string) => Object.fromEntries(grouped.map((d) => [d.name, { role: 'unknown' as const, why }]));
  let conn;
  try {
    conn = await connectClient(opts);
  } catch (err) {
    return everyone(`not asked: ${err instanceof CliError ? err.message : (err as Error).message}`);
  }
  try {
    const pollers = await conn.client.workflowService
      .describeTaskQueue({ namespace: conn.target.namespace, taskQueue: { name: opts.taskQueue }, taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW })
      .then((r) => r.pollers?.length ?? 0);
    if (pollers === 0) {
      return everyone(`not asked: no worker polls task queue "${opts.taskQueue}" at ${conn.target.address} (start one: netops worker${opts.taskQueue === TASK_QUEUE ? '' : ` --task-queue ${opts.taskQueue}`}${connectionFlags({ ...conn.target, profile: opts.profile })})`);
    }
    const answers = await conn.client.workflow.execute(WORKFLOW_TYPES.redundancyRoles, {
      taskQueue: opts.taskQueue,
      workflowId: rolesProbeWorkflowId(randomUUID()),
      args: [{ devices: grouped.map(toDeviceTarget) }],
      workflowExecutionTimeout: opts.timeoutMs,
    });
    return answers as Record<string, RoleAnswer>;
  } catch (err) {
    return everyone(`not asked: the role probe on task queue "${opts.taskQueue}" did not answer (${(err as Error).message.split('\n')[0]})`);
  } finally {
    await conn.close();
  }
}
