import { proxyActivities } from '@temporalio/workflow';
import type { ProbeActivities, ProbeTarget, ProbeResult } from '../activities/probe';
import { acceptInput, failOnUnexpectedErrors } from './input-boundary';

export interface ProbeInput {
  targets: ProbeTarget[];
  timeoutMs?: number;
}

export interface ProbeReport {
  reachable: string[];
  unreachable: Array<{ name: string; error: string }>;
}

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
