import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { probeActivities } from '../../../src/activities/probe';
import { freePort } from '../../../src/server/free-port';
import { createNetopsWorker } from '../../../src/workers/create-worker';
import { inject } from 'vitest';
import { startCli, type LongRunning } from '../../support/cli-process';
import { installQuietRuntime } from '../../support/temporal';

// `netops server` is what operators run: it must serve the Web UI and keep
// workflows in its SQLite file across a restart.
describe('netops server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netops-server-'));
  const dbFile = join(dir, 'temporal.db');
  let server: LongRunning | undefined;

  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the Web UI, stops on Ctrl-C, and keeps a workflow across a restart', async () => {
    const port = await freePort();
    const uiPort = await freePort();
    const args = ['server', '--port', String(port), '--ui-port', String(uiPort), '--db-file', dbFile];
    const env = { TEMPORAL_CLI: inject('temporalCli'), NETOPS_TEST_SERVER: '1' };
    server = startCli(args, { env });
    await server.waitFor(/Press Ctrl-C to stop/);
    expect(server.output()).toContain(`Web UI:    http://127.0.0.1:${uiPort}`);

    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<html/i);

    // Start a workflow with no worker polling: it can only finish after the restart.
    const taskQueue = 'restart-test';
    let connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    let client = new Client({ connection });
    await client.workflow.start('probeWorkflow', {
      taskQueue,
      workflowId: 'probe/survives-restart',
      args: [{ targets: [{ name: 'nowhere', host: '127.0.0.1', port: 1 }], timeoutMs: 500 }],
      searchAttributes: { NetopsKind: ['probe'] },
    });
    await connection.close();

    expect(await server.stop('SIGINT')).toBe(0);
    expect(server.output()).toContain('stopped.');

    server = startCli(args, { env });
    await server.waitFor(/Press Ctrl-C to stop/);
    connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    client = new Client({ connection });
    const handle = client.workflow.getHandle('probe/survives-restart');
    expect((await handle.describe()).status.name).toBe('RUNNING');

    installQuietRuntime();
    const native = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
    const worker = await createNetopsWorker({
      connection: native,
      taskQueue,
      activities: probeActivities,
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });
    const report = await worker.runUntil(handle.result());
    expect(report.unreachable.map((u: { name: string }) => u.name)).toEqual(['nowhere']);
    await native.close();
    await connection.close();
    expect(await server.stop('SIGINT')).toBe(0);
    server = undefined;
  });
});
