import { afterAll, beforeAll, expect } from 'vitest';
import { NetopsClient } from '../../src/client/netops-client';
import { verifyEventLog } from '../../src/lab';
import { buildActivities } from '../../src/workers/activities';
import type { RolloutProgress } from '../../src/contracts/rollout';
import { startLabFixture, type LabFixture } from './rollout-fixture';
import { connectTestEnv, type TemporalTestEnv } from './temporal';

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

export interface RolloutTestEnv {
  netops: NetopsClient;
  /** A fresh lab of `devices` devices, stopped after the file's tests. */
  lab(devices?: number): Promise<LabFixture>;
}

/**
 * The set-up most rollout test files share: a worker with every activity on
 * the suite's dev server, a NetopsClient on its task queue, and labs that are
 * always stopped afterwards.
 */
export function useRolloutEnv(): RolloutTestEnv {
  let env: TemporalTestEnv | undefined;
  const fixtures: LabFixture[] = [];
  const shared: { netops?: NetopsClient } = {};
  beforeAll(async () => {
    env = await connectTestEnv();
    await env.startWorker(buildActivities());
    shared.netops = new NetopsClient(env.client, env.taskQueue);
  });
  afterAll(async () => {
    await env?.close();
    await Promise.all(fixtures.map((f) => f.stop()));
  });
  return {
    get netops() {
      if (!shared.netops) throw new Error('useRolloutEnv: used outside a test');
      return shared.netops;
    },
    async lab(devices = 8) {
      const fx = await startLabFixture({ devices });
      fixtures.push(fx);
      return fx;
    },
  };
}
