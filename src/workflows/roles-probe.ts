import { proxyActivities } from '@temporalio/workflow';
import type { RolloutActivities } from '../activities/roles';
import type { RoleAnswer, RolesProbeInput } from '../contracts/probes';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';

export { rolesProbeWorkflowId, type RolesProbeInput } from '../contracts/probes';

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
