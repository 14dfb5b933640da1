import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openResultStore } from '../../../src/results';
import { collectWorkflowId, type CollectInput, type CollectResult } from '../../../src/workflows/collect-api';
import { startCli, type LongRunning } from '../../support/cli-process';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { showVersionCounts, startCollectLab, type CollectLab } from './support';

// A `netops worker` process is SIGKILLed while a batch of 100 devices is
// half done. The batch's retry on a second worker must resume from its
// checkpoint (heartbeat details, merged with what the store already holds):
// no device stored before the kill is contacted again. Devices whose session
// was open at the moment of the kill are collected again - at most the
// batch's concurrency of them.

const CONCURRENCY = 8;

describe('a worker killed mid-batch', () => {
  let env: TemporalTestEnv;
  let fx: CollectLab;
  const workers: LongRunning[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
    fx = await startCollectLab({ devices: 200, sites: 2, timings: { commandLatencyMs: 15 } });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await env?.close();
    await fx?.stop();
  });

  const startWorker = async (taskQueue: string): Promise<LongRunning> => {
    const w = startCli(['worker', '--address', env.address, '--task-queue', taskQueue, '--max-sessions', '50']);
    workers.push(w);
    await w.waitFor(/worker polling task queue/, 60_000);
    return w;
  };

  it('resumes the batch from its checkpoint and collects no stored device twice', { timeout: 120_000 }, async () => {
    const { lab } = fx;
    const taskQueue = `collect-kill-${randomUUID().slice(0, 8)}`;
    const first = await startWorker(taskQueue);
    const name = `kill-${randomUUID().slice(0, 8)}`;
    const input: CollectInput = {
      name,
      devices: fx.targets,
      batchSize: 100,
      concurrencyPerBatch: CONCURRENCY,
      parallelBatches: 1,
      store: { kind: 'local', root: fx.resultsDir },
      timings: { heartbeatTimeoutMs: 3_000, retryDelayMs: 200 },
    };

    // Kill when 40 sessions have closed: batch 0 (devices 0-99) is well under way.
    let closed = 0;
    const killed = new Promise<void>((resolveKill) => {
      const off = lab.log.subscribe((e) => {
        if (e.type === 'session.close' && ++closed === 40) {
          first.child.kill('SIGKILL');
          off();
          resolveKill();
        }
      });
    });
    const handle = await env.client.workflow.start('collectWorkflow', { taskQueue, workflowId: collectWorkflowId(name), args: [input] });
    await killed;
    await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode ? r() : first.child.once('exit', () => r())));
    expect(first.child.signalCode).toBe('SIGKILL');
    const killSeq = lab.events.at(-1)?.seq ?? 0;
    const store = openResultStore(input.store);
    const storedAtKill = new Set((await store.list(name)).map((r) => r.device));
    expect(storedAtKill.size, 'the kill came mid-batch').toBeGreaterThan(20);
    expect(storedAtKill.size).toBeLessThan(100);

    await startWorker(taskQueue);
    const result = (await handle.result()) as CollectResult;

    expect(result.summary).toMatchObject({ devices: 200, ok: 200, failed: 0, batchesDone: 2 });
    expect(result.summary.resumedBatches).toBe(1);
    expect(result.summary.resumedDevices).toBeGreaterThanOrEqual(storedAtKill.size);
    expect(await store.list(name)).toHaveLength(200);

    const counts = showVersionCounts(lab);
    const after = showVersionCounts(lab, killSeq);
    // The proof from the lab's own event log: devices checkpointed before the kill were not asked again.
    const again = [...storedAtKill].filter((d) => (after.get(d) ?? 0) > 0);
    expect(again, 'checkpointed devices contacted again').toEqual([]);
    expect([...storedAtKill].every((d) => counts.get(d) === 1)).toBe(true);
    // Only the sessions in flight at the kill can have run `show version` twice.
    const twice = lab.devices.map((d) => d.name).filter((d) => (counts.get(d) ?? 0) > 1);
    expect(twice.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(lab.devices.every((d) => (counts.get(d.name) ?? 0) >= 1 && (counts.get(d.name) ?? 0) <= 2)).toBe(true);
    console.info(`[collect worker-kill] ${storedAtKill.size} devices stored at the kill, none asked again; ${twice.length} in-flight devices collected twice; resumed devices ${result.summary.resumedDevices}`);
  });
});
