import { describe, expect, it } from 'vitest';
import { TEST_TIMINGS } from '../../support/rollout-fixture';
import { waitForPendingActivity } from './crash-support';
import { expectRetriedWithin, logOutcome, useWorkerCrashRunner, type WorkerCrashCase } from './worker-crash-run';

// The worker is a separate `netops worker` process, SIGKILLed while a device
// is mid-step; a fresh worker must finish the rollout with every device
// upgraded, rebooted exactly once, its HSRP priority back, and the lab's
// invariants intact. Each interrupted step here heartbeats, so its loss is
// noticed after the heartbeat timeout (3 s in TEST_TIMINGS).

// Other devices in the window lose their steps with the worker too; short
// steps (snapshot, verifyImage, setBootAndSave, reload) have no heartbeat and
// come back after TEST_TIMINGS.stepTimeoutMs instead, so a case takes longer
// when one of those is in flight, but never minutes.
const CASE_TIMEOUT_MS = 90_000;

const CASES: WorkerCrashCase[] = [
  // Killed inside the event: the SCP transfer of the image is cut.
  { phase: 'staging', trigger: (e) => e.type === 'session.mutating' && e.reason === 'transfer' },
  // Killed as the priority is lowered, before the peer is confirmed active.
  { phase: 'drain', trigger: (e) => e.type === 'config.change' && /^\s*standby\s+\d+\s+priority\s+\d+/.test(e.line) },
  // Killed as the device enters maintenance mode (--isolation isolate), before the partner is confirmed active.
  { phase: 'isolation', isolation: 'isolate', trigger: (e) => e.type === 'system.mode' && e.mode === 'maintenance' },
  {
    // Killed while the device reboots and the worker polls for its return.
    phase: 'reload',
    trigger: (e) => e.type === 'reload.start',
    settle: (env, e) => waitForPendingActivity(env.client, 'device' in e ? e.device : '', 'waitForReturn'),
    lab: { timings: { bootMs: 3_000 } },
  },
];

describe('a worker killed mid-rollout', () => {
  const runner = useWorkerCrashRunner();

  it.each(CASES)('resumes exactly after a SIGKILL during $phase', { timeout: CASE_TIMEOUT_MS }, async (c) => {
    const outcome = await runner.run(c);
    logOutcome(c.phase, outcome);
    // The lost step came back after its heartbeat timeout, not a start-to-close timeout.
    expectRetriedWithin(outcome, TEST_TIMINGS.heartbeatTimeoutMs);
    if (c.phase === 'staging') {
      // The cut transfer left a partial file; the new worker sent the image again.
      const transfers = outcome.lab.events.filter((e) => e.type === 'session.mutating' && e.reason === 'transfer' && e.device === outcome.device);
      expect(transfers.length).toBeGreaterThanOrEqual(2);
    }
  });
});
