import { proxyActivities } from '@temporalio/workflow';
import type { DiscoveryActivities } from '../activities/discovery';
import type { RedundancyDiscoveryInput } from '../contracts/probes';
import type { DeviceFacts } from '../inventory/discover';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';

export { redundancyDiscoveryWorkflowId, type RedundancyDiscoveryInput } from '../contracts/probes';

const { redundancyFacts } = proxyActivities<DiscoveryActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  // The caller waits for the answer: a second try at most, then it says why.
  retry: { maximumAttempts: 2 },
});

/**
 * What the devices report about their partners, read by a worker (which
 * holds the credentials): for `netops inventory discover` and the
 * cross-check `rollout start` and `config push` run before anything changes.
 */
export async function redundancyDiscoveryWorkflow(raw: RedundancyDiscoveryInput): Promise<DeviceFacts[]> {
  const input: RedundancyDiscoveryInput = acceptInput('redundancyDiscoveryWorkflow', raw);
  return redundancyFacts(input.devices);
}

failOnUnexpectedErrors(redundancyDiscoveryWorkflow);
