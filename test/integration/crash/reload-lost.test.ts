import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { logOutcome, WorkerCrashRunner } from './worker-crash-run';

// The `reload` activity itself dies with the worker, just after the device
// was told to reload. The retry must see the device already on the target
// version and not reload it again. `reload` has no heartbeat timeout, so the
// server only notices the loss at its start-to-close timeout (2 minutes in
// src/workflows/device-upgrade.ts): this file is slow until that changes.

describe('a worker killed while sending the reload', () => {
  let env: TemporalTestEnv;
  let runner: WorkerCrashRunner;

  beforeAll(async () => {
    env = await connectTestEnv();
    runner = new WorkerCrashRunner(env);
  });

  afterEach(async () => {
    await runner?.close();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('reloads the device once, not twice', { timeout: 200_000 }, async () => {
    const outcome = await runner.run({ phase: 'reload-sent', trigger: (e) => e.type === 'reload.start' });
    logOutcome('reload-sent', outcome);
    expect(outcome.lab.events.filter((e) => e.type === 'reload.start' && e.device === outcome.device)).toHaveLength(1);
  });
});
