import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { makeLabImage } from '../../../src/lab';
import { NetopsClient } from '../../../src/client/netops-client';
import { startDevServer, type DevServer } from '../../../src/server/dev-server';
import { freePort } from '../../../src/server/free-port';
import { buildActivities } from '../../../src/workers/activities';
import { createNetopsWorker } from '../../../src/workers/create-worker';
import type { RolloutReport } from '../../../src/contracts/rollout';
import { startLabFixture, TO_VERSION, type LabFixture } from '../../support/rollout-fixture';
import { installQuietRuntime } from '../../support/temporal';
import { expectCleanRollout, onFirstLabEvent, priorities, uniqueTopology } from './crash-support';

// The Temporal server itself (a dev server persisting to SQLite) is SIGKILLed
// mid-rollout and started again on the same port and file. The worker in this
// process is left alone: it has to reconnect by itself and finish the job.

describe('the Temporal server killed mid-rollout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netops-server-crash-'));
  const dbFile = join(dir, 'temporal.db');
  const servers: DevServer[] = [];
  let fx: LabFixture | undefined;
  let native: NativeConnection | undefined;
  let connection: Connection | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;

  const startServer = async (port: number): Promise<DevServer> => {
    const server = await startDevServer({ dbFile, port, headless: true, cliPath: inject('temporalCli') });
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerDone?.catch(() => undefined);
    await native?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await fx?.stop();
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the rollout after the server restarts on the same database', async () => {
    installQuietRuntime();
    const id = randomUUID().slice(0, 6);
    const port = await freePort();
    const first = await startServer(port);
    fx = await startLabFixture({ topology: uniqueTopology(`sc${id}`) });
    writeFileSync(fx.imagePath, makeLabImage(TO_VERSION, 1024 * 1024));

    const before = priorities(fx.lab);
    const taskQueue = `server-crash-${id}`;
    native = await NativeConnection.connect({ address: first.address });
    worker = await createNetopsWorker({
      connection: native,
      taskQueue,
      activities: buildActivities(),
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });
    let workerError: unknown;
    workerDone = worker.run().catch((err: unknown) => {
      workerError = err;
    });
    connection = await Connection.connect({ address: first.address });
    const netops = new NetopsClient(new Client({ connection, namespace: 'default' }), taskQueue);
    const name = `server-crash-${id}`;

    // Mid-rollout: some devices are done, others are staging or draining.
    let ups = 0;
    const killed = onFirstLabEvent(fx.lab, (e) => e.type === 'device.up' && ++ups === 2, () => process.kill(-first.pid, 'SIGKILL'));
    await netops.startRollout(await fx.input(name, { window: 4 }));
    await killed;
    await first.exited;
    const progressAtKill = fx.lab.devices.filter((d) => d.reloadCount > 0).length;
    expect(progressAtKill).toBeGreaterThan(0);
    expect(progressAtKill).toBeLessThan(fx.lab.devices.length);
    const killedAt = Date.now();

    const second = await startServer(port);
    expect(second.address).toBe(first.address);
    const restartedAt = Date.now();
    const report = await resultThroughOutages(netops, name, 100_000);
    console.info(
      `[server-crash] killed with ${progressAtKill}/${fx.lab.devices.length} devices reloaded; server down ${((restartedAt - killedAt) / 1000).toFixed(1)} s; rollout ended ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`,
    );

    expect(workerError, 'the worker gave up instead of reconnecting').toBeUndefined();
    expect(worker.getState()).toBe('RUNNING');
    expectCleanRollout(fx.lab, report, before);
  });
});

/** The client's long poll may see the outage; ask again until the rollout's report arrives. */
async function resultThroughOutages(netops: NetopsClient, name: string, timeoutMs: number): Promise<RolloutReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await netops.result(name);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
