import { describe, expect, it } from 'vitest';
import { TEST_TIMINGS } from '../../support/rollout-fixture';
import { stepTimeout } from '../../../src/contracts/rollout';
import { expectRetriedWithin, logOutcome, useWorkerCrashRunner } from './worker-crash-run';

// The `reload` activity itself dies with the worker, just after the device
// was told to reload. It has no heartbeat, so the server notices the loss at
// its start-to-close timeout (DeviceTimings.stepTimeoutMs, 10 s in tests); the
// retry must see the device already on the target version and not reload it
// again.

describe('a worker killed while sending the reload', () => {
  const runner = useWorkerCrashRunner();

  it('reloads the device once, not twice', async () => {
    const outcome = await runner.run({ phase: 'reload-sent', trigger: (e) => e.type === 'reload.start' });
    logOutcome('reload-sent', outcome);
    expect(outcome.inFlight).toContain(`${outcome.device}: reload`);
    expect(outcome.lab.events.filter((e) => e.type === 'reload.start' && e.device === outcome.device)).toHaveLength(1);
    // Retried after the step timeout, not after minutes.
    expectRetriedWithin(outcome, stepTimeout(TEST_TIMINGS));
  });
});
