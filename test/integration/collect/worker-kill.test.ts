import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsFor } from '../../../src/activities/collect';
import { openResultStore } from '../../../src/results';
import { collectWorkflowId, type CollectInput, type CollectResult } from '../../../src/contracts/collect';
import type { BatchCheckpoint } from '../../../src/contracts/collect-batches';
import { startCli, type LongRunning } from '../../support/cli-process';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { labSessions, startCollectLab, type CollectLab } from './support';

// A `netops worker` process is SIGKILLed while a batch of 100 devices is
// half done; a second worker takes the batch's retry. The proof, from the
// lab's event log (what the devices saw) and the result store:
//  (a) every device ran `show version` in exactly one session that ended
//      cleanly: it was collected once;
//  (b) the sessions the kill cut (connection lost) are at most the batch's
//      concurrency, all opened before the kill, none of a stored device
//      (unless the kill fell between its store write and its goodbye);
//  (c) no device stored before the kill hears from us again;
//  (d) the run counts the cut devices it collected again.

const CONCURRENCY = 8;

describe('a worker killed mid-batch', () => {
  let env: TemporalTestEnv;
  let fx: CollectLab;
  const workers: LongRunning[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
    // Sessions of a few hundred ms: long enough that the sessions in the
    // checkpoint the kill follows are still open when it lands.
    fx = await startCollectLab({ devices: 200, sites: 2, timings: { commandLatencyMs: 60 } });
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

  it('resumes the batch from its checkpoint: every device collected exactly once, cut sessions collected again and counted', { timeout: 120_000 }, async () => {
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

    const handle = await env.client.workflow.start('collectWorkflow', { taskQueue, workflowId: collectWorkflowId(name), args: [input] });
    // Kill as soon as the server holds a checkpoint of batch 0 (devices 0-99)
    // well under way with sessions in flight. Heartbeats reach the server at
    // most every 2.4 s (80% of the heartbeat timeout), so none follows before
    // the kill lands: this is the checkpoint the retry starts from.
    await until(async () => {
      const cp = await batchCheckpoint(env, handle.workflowId);
      return cp !== undefined && cp.checkpoint.done.length >= 20 && (cp.checkpoint.inFlight?.length ?? 0) > 0;
    }, 60_000, 'a checkpoint of 20 stored devices');
    first.child.kill('SIGKILL');
    await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode ? r() : first.child.once('exit', () => r())));
    expect(first.child.signalCode).toBe('SIGKILL');
    // The lab sees the dead worker's connections go a moment later; once they
    // have, and until the second worker starts, nobody talks to the lab.
    await until(() => [...labSessions(lab.events).values()].every((s) => s.clean !== undefined), 10_000, 'the lab to see every session of the killed worker end');

    const killSeq = lab.events.at(-1)?.seq ?? 0;
    const store = openResultStore(input.store);
    const storedAtKill = new Set((await store.list(name)).map((r) => r.device));
    expect(storedAtKill.size, 'the kill came mid-batch').toBeGreaterThanOrEqual(20);
    expect(storedAtKill.size).toBeLessThan(100);
    // What the retry will resume from: the last heartbeat the server got.
    // Read once the server has timed out the killed attempt and scheduled the
    // next, so no late heartbeat of the dead worker can change it any more.
    const checkpoint = await until(async () => {
      const cp = await batchCheckpoint(env, handle.workflowId);
      return cp && cp.attempt >= 2 ? cp.checkpoint : undefined;
    }, 30_000, 'the batch to be rescheduled after the kill');

    await startWorker(taskQueue);
    const result = (await handle.result()) as CollectResult;
    expect(result.summary).toMatchObject({ devices: 200, ok: 200, failed: 0, batchesDone: 2, resumedBatches: 1 });
    expect(result.summary.resumedDevices).toBeGreaterThanOrEqual(storedAtKill.size);
    expect(await store.list(name)).toHaveLength(200);

    const sessions = [...labSessions(lab.events).values()];
    const lastCommand = (device: string) => {
      const plan = commandsFor(lab.device(device).platform, undefined);
      return plan[plan.length - 1]!.command;
    };
    const cut = sessions.filter((s) => s.clean === false);
    // A cut session of a stored device: the kill fell between the store write
    // and the channel close (well under a millisecond; the record is kept, the
    // device is not asked again). Only possible if every command had run in it.
    const storedThenCut = cut.filter((s) => storedAtKill.has(s.device));
    for (const s of storedThenCut) expect(s.commands, `${s.session} was cut before its device was collected, yet the device was stored`).toContain(lastCommand(s.device));

    // (a) One clean session with `show version` per device, besides that race.
    const cleanVersions = new Map<string, number>();
    for (const s of sessions) if (s.clean && s.showVersion) cleanVersions.set(s.device, (cleanVersions.get(s.device) ?? 0) + 1);
    const raced = new Set(storedThenCut.map((s) => s.device));
    const notOnce = lab.devices.map((d) => d.name).filter((d) => (cleanVersions.get(d) ?? 0) !== (raced.has(d) ? 0 : 1));
    expect(notOnce, 'devices without exactly one clean session that ran show version').toEqual([]);

    // (b) The kill cut at most one session per lane, all of the killed worker's.
    expect(cut.every((s) => s.openSeq < killSeq)).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(CONCURRENCY);

    // (c) Devices stored before the kill: not a single event after it.
    const heardAgain = new Set(lab.events.filter((e) => e.seq > killSeq && 'device' in e && storedAtKill.has(e.device)).map((e) => (e as { device: string }).device));
    expect([...heardAgain], 'stored devices contacted again').toEqual([]);

    // (d) The retry counts the devices in flight in its checkpoint that were
    // not stored; each of them is one the kill cut. A session opened after the
    // last heartbeat reached the server (heartbeats are throttled to 80% of
    // the heartbeat timeout) is collected again without being counted.
    const cutNotStored = new Set(cut.map((s) => s.device).filter((d) => !storedAtKill.has(d)));
    const counted = (checkpoint.inFlight ?? []).filter((d) => !storedAtKill.has(d));
    expect(counted.filter((d) => !cutNotStored.has(d)), 'counted as cut, but the lab saw no cut session').toEqual([]);
    expect(result.summary.recollectedDevices).toBe(counted.length);
    expect(result.summary.recollectedDevices).toBeLessThanOrEqual(cutNotStored.size);
    // The run's record in the store keeps the same account, for `netops collect show` later.
    expect((await store.getRun(name))?.counts).toMatchObject({ ok: 200, failed: 0, resumedBatches: 1, recollectedDevices: result.summary.recollectedDevices });
    console.info(
      `[collect worker-kill] ${storedAtKill.size} devices stored at the kill, none asked again; ${cut.length} sessions cut ` +
        `(${cutNotStored.size} of unstored devices, ${storedThenCut.length} after their store write); ` +
        `recollected ${result.summary.recollectedDevices} (checkpoint in flight: ${checkpoint.inFlight?.length ?? 0}); resumed devices ${result.summary.resumedDevices}`,
    );
  });
});

/** Polls until `get` gives something other than undefined or false; returns it. */
async function until<T>(get: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The collectBatch activity pending on the server: its attempt and the last heartbeat details it got. */
async function batchCheckpoint(env: TemporalTestEnv, workflowId: string): Promise<{ attempt: number; checkpoint: BatchCheckpoint } | undefined> {
  const d = await env.client.workflow.getHandle(workflowId).describe();
  const batch = (d.raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'collectBatch');
  const payload = batch?.heartbeatDetails?.payloads?.[0];
  if (!batch || !payload) return undefined;
  return { attempt: batch.attempt ?? 1, checkpoint: defaultPayloadConverter.fromPayload<BatchCheckpoint>(payload as Payload) };
}
