import { proxyActivities } from '@temporalio/workflow';
import type { ProbeActivities } from '../activities/probe';
import type { ProbeInput, ProbeReport, ProbeResult } from '../contracts/probes';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';

export type { ProbeInput, ProbeReport } from '../contracts/probes';

const { tcpProbe } = proxyActivities<ProbeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 2 },
});

/**
 * Reachability of a set of devices: the smallest workflow that exercises the
 * whole path (client -> server -> worker -> activity -> device) end to end.
 */
export async function probeWorkflow(raw: ProbeInput): Promise<ProbeReport> {
  const input: ProbeInput = acceptInput('probeWorkflow', raw);
  const results: ProbeResult[] = await Promise.all(input.targets.map((t) => tcpProbe(t, input.timeoutMs ?? 3000)));
  return {
    reachable: results.filter((r) => r.ok).map((r) => r.name),
    unreachable: results.filter((r) => !r.ok).map((r) => ({ name: r.name, error: r.error ?? 'unknown error' })),
  };
}

failOnUnexpectedErrors(probeWorkflow);
