import { proxyActivities } from '@temporalio/workflow';
import type { RoleAnswer, RolloutActivities } from '../activities/roles';
import type { DeviceTarget } from '../contracts/rollout';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';

export interface RolesProbeInput {
  devices: DeviceTarget[];
}

/** The workflow id of one `rollout plan` probe. */
export function rolesProbeWorkflowId(suffix: string): string {
  return `roles-probe/${suffix}`;
}

const { redundancyRoleReport } = proxyActivities<RolloutActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  // The plan waits for the answer: a second try at most, then it says why.
  retry: { maximumAttempts: 2 },
});

/**
 * The HSRP/VRRP role of each device, read on the devices by a worker (which
 * holds the credentials), for `rollout plan`; every unknown role says why.
 */
export async function redundancyRolesWorkflow(raw: RolesProbeInput): Promise<Record<string, RoleAnswer>> {
  const input: RolesProbeInput = acceptInput('redundancyRolesWorkflow', raw);
  return redundancyRoleReport(input.devices);
}

failOnUnexpectedErrors(redundancyRolesWorkflow);
