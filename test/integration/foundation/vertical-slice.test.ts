import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeActivities } from '../../../src/activities/probe';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

// The whole path once: client -> real dev server -> worker -> activity -> a
// TCP peer on loopback, and back.
describe('vertical slice: probeWorkflow on the real dev server', () => {
  let env: TemporalTestEnv;
  let peer: Server;
  let peerPort = 0;

  beforeAll(async () => {
    env = await connectTestEnv();
    await env.startWorker(probeActivities);
    peer = createServer((socket) => socket.end('SSH-2.0-netops-test\r\n'));
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', () => r()));
    const address = peer.address();
    peerPort = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    await env?.close();
    await new Promise((r) => peer?.close(r));
  });

  it('reports the reachable device and the dead one, with the reason', async () => {
    const closedPort = await new Promise<number>((resolvePort) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolvePort(typeof a === 'object' && a ? a.port : 1));
      });
    });
    const report = await env.client.workflow.execute('probeWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: `probe/${env.taskQueue}`,
      args: [
        {
          targets: [
            { name: 'r1-a', host: '127.0.0.1', port: peerPort },
            { name: 'r1-b', host: '127.0.0.1', port: closedPort },
          ],
          timeoutMs: 2000,
        },
      ],
    });
    expect(report.reachable).toEqual(['r1-a']);
    expect(report.unreachable).toHaveLength(1);
    expect(report.unreachable[0]?.name).toBe('r1-b');
    expect(report.unreachable[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it('records the run in the server: its history holds the activity result', async () => {
    const handle = await env.client.workflow.start('probeWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: `probe-history/${env.taskQueue}`,
      args: [{ targets: [{ name: 'r1-a', host: '127.0.0.1', port: peerPort }] }],
    });
    await handle.result();
    const history = await handle.fetchHistory();
    const types = (history.events ?? []).map((e) => e.eventType);
    expect(types.length).toBeGreaterThan(5);
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
  });
});
