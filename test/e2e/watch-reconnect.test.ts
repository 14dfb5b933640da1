import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NetopsClient } from '../../src/client/netops-client';
import { startDevServer, type DevServer } from '../../src/server/dev-server';
import { freePort } from '../../src/server/free-port';
import { buildActivities } from '../../src/workers/activities';
import { createNetopsWorker } from '../../src/workers/create-worker';
import { TASK_QUEUE } from '../../src/contracts/names';
import type { RolloutReport } from '../../src/contracts/rollout';
import { uniqueTopology } from '../integration/crash/crash-support';
import { startCli, type LongRunning } from '../support/cli-process';
import { startLabFixture, TO_VERSION, type LabFixture } from '../support/rollout-fixture';
import { installQuietRuntime } from '../support/temporal';

// `rollout watch` is a separate process following a rollout on a dev server
// that persists to SQLite; the server is stopped under it, and started again
// on the same port and file (the state survives) or not at all.

describe('rollout watch when the Temporal server goes away', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netops-watch-reconnect-'));
  const dbFile = join(dir, 'temporal.db');
  const id = randomUUID().slice(0, 6);
  let port: number;
  let server: DevServer | undefined;
  let fx: LabFixture | undefined;
  let native: NativeConnection | undefined;
  let connection: Connection | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let netops: NetopsClient;
  const watches: LongRunning[] = [];

  const startServer = async () => {
    server = await startDevServer({ dbFile, port, headless: true, cliPath: inject('temporalCli') });
  };
  const watch = (name: string, extra: string[] = []) => {
    const w = startCli(['rollout', 'watch', name, '--json', '--interval', '300', '--address', `127.0.0.1:${port}`, ...extra]);
    watches.push(w);
    return w;
  };
  const exitOf = (w: LongRunning) => new Promise<number | null>((r) => (w.child.exitCode !== null ? r(w.child.exitCode) : w.child.on('close', (code) => r(code))));

  beforeAll(async () => {
    installQuietRuntime();
    port = await freePort();
    await startServer();
    // The CLI's default task queue, on a server of this file's own.
    fx = await startLabFixture({ topology: uniqueTopology(`wr${id}`) });
    native = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
    worker = await createNetopsWorker({ connection: native, taskQueue: TASK_QUEUE, activities: buildActivities(), workflowBundle: { codePath: inject('workflowBundlePath') } });
    workerDone = worker.run();
    connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    netops = new NetopsClient(new Client({ connection, namespace: 'default' }));
  });

  afterAll(async () => {
    for (const w of watches) await w.stop('SIGKILL');
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerDone?.catch(() => undefined);
    await native?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await fx?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps following through a server restart, says so, and exits 0 with the report', async () => {
    const name = `reconnect-${id}`;
    await netops.startRollout(await fx!.input(name, { window: 1 }));
    const w = watch(name);
    await w.waitFor(/: upgraded/, 60_000);

    await server!.stop();
    await w.waitFor(/lost the connection to Temporal at 127\.0\.0\.1:\d+ .*reconnecting for up to 120 s/, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    await startServer();
    await w.waitFor(/reconnected to Temporal at 127\.0\.0\.1:\d+ after \d+ s; following rollout reconnect-\w+ again/, 60_000);

    const code = await exitOf(w);
    const out = w.output();
    expect(code, out).toBe(0);
    const report = JSON.parse(out.slice(out.indexOf('{\n'))) as RolloutReport;
    expect(report.status).toBe('completed');
    expect(report.devices.map((d) => d.versionAfter)).toEqual(Array(8).fill(TO_VERSION));
  });

  it('exits 3 (unreachable), not 1 (failed), once the server has been gone longer than --wait-for-server', async () => {
    const name = `giveup-${id}`;
    await netops.startRollout(await fx!.input(name, { window: 1 }));
    const w = watch(name, ['--wait-for-server', '3']);
    await w.waitFor(/: upgraded|running/, 60_000);

    await server!.stop();
    const stoppedAt = Date.now();
    const code = await exitOf(w);
    const out = w.output();
    expect(code, out).toBe(3);
    expect(out).toMatch(/lost the connection to Temporal at 127\.0\.0\.1:\d+ .*reconnecting for up to 3 s/);
    expect(out).toMatch(new RegExp(`netops: gave up watching rollout ${name}: Temporal at 127\\.0\\.0\\.1:${port} unreachable for \\d+ s .*netops rollout watch ${name}`));
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);

    // The rollout went on without the watch: back up, it finishes.
    await startServer();
    const again = watch(name);
    expect(await exitOf(again), again.output()).toBe(0);
  });
});
