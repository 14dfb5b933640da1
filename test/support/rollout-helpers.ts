import { expect } from 'vitest';
import { verifyEventLog } from '../../src/lab';
import type { NetopsClient } from '../../src/client/netops-client';
import type { RolloutProgress } from '../../src/workflows/rollout-api';
import type { LabFixture } from './rollout-fixture';

/** Polls the rollout's progress query until `pred` holds (or fails the test with the last progress). */
export async function waitForProgress(
  netops: NetopsClient,
  name: string,
  pred: (p: RolloutProgress) => boolean,
  timeoutMs = 60_000,
): Promise<RolloutProgress> {
  const deadline = Date.now() + timeoutMs;
  let last: RolloutProgress | undefined;
  while (Date.now() < deadline) {
    try {
      last = await netops.progress(name);
      if (pred(last)) return last;
    } catch {
      // not started yet, or between runs
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rollout ${name} never reached the expected state; last progress: ${JSON.stringify(last && { ...last, devices: last.devices.map((d) => `${d.name}:${d.state}:${d.waitingFor ?? ''}`) })}`);
}

/** The lab's own record says no pair lost its active member, no device had two mutating sessions, and reloads stayed within `maxReloads`. */
export function expectLabInvariants(fx: LabFixture, maxReloadsPerDevice = 1): void {
  const result = verifyEventLog(fx.lab.events, { maxReloadsPerDevice });
  expect(result.breaches, JSON.stringify(result.breaches.slice(0, 5))).toEqual([]);
}
