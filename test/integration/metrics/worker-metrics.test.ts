import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeActivities } from '../../../src/activities/probe';
import { freePort } from '../../../src/server/free-port';
import { metrics } from '../../../src/workers/metrics';
import { installRuntime, type InstalledRuntime } from '../../../src/workers/runtime';
import { probeWorkflow } from '../../../src/workflows/probe';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

const hasBinary = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
const PROMTOOL = hasBinary('promtool');
const PROMETHEUS = hasBinary('prometheus');
const INSTALL_HINT = 'apt-get install -y prometheus (Debian) provides both binaries';

let runtime: InstalledRuntime;
let env: TemporalTestEnv;
let device: Server;
const logSink = new PassThrough();
const logLines: string[] = [];

beforeAll(async () => {
  // Before connectTestEnv: the Runtime must carry our metrics before any connection exists.
  logSink.on('data', (c: Buffer) => logLines.push(...c.toString().split('\n').filter(Boolean)));
  runtime = await installRuntime({ metricsPort: 0, logLevel: 'info', json: true, logDestination: logSink });
  env = await connectTestEnv();
  device = createServer((s) => s.end('SSH-2.0-metrics-test\r\n'));
  await new Promise<void>((r) => device.listen(0, '127.0.0.1', r));
  const port = (device.address() as { port: number }).port;
  const worker = await env.startWorker(probeActivities);
  await env.client.workflow.execute(probeWorkflow, {
    args: [{ targets: [{ name: 'm1', host: '127.0.0.1', port }] }],
    taskQueue: env.taskQueue,
    workflowId: `metrics-${randomUUID()}`,
  });
  await worker.stop();
  // What the SSH layer and activities would record during a rollout.
  metrics.sshConnect('iosxe', 'ok', 0.42);
  metrics.sshConnect('nxos', 'timeout', 10);
  metrics.commandError('iosxe', 'timeout');
  metrics.transfer('ok', 1_048_576);
  metrics.transfer('failed', 0);
  metrics.rolloutDevices('rollout-a', 'done', 3);
  metrics.rolloutDevices('rollout-a', 'running', 1);
});

afterAll(async () => {
  await runtime?.close();
  await new Promise<void>((r) => (device ? device.close(() => r()) : r()));
  await env?.close();
});

async function scrape(): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(runtime.metricsUrl!);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('worker logs', () => {
  it("the SDK's own log lines come out as our JSON lines, with their context", () => {
    const entries = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.find((e) => e.msg === 'serving Prometheus metrics')).toMatchObject({ level: 'info', metricsUrl: runtime.metricsUrl });
    const sdkWorker = entries.find((e) => e.sdkComponent === 'worker');
    expect(sdkWorker, logLines.join('\n')).toMatchObject({ level: expect.any(String), taskQueue: env.taskQueue });
  });
});

describe('worker metrics endpoint', () => {
  it('serves our metrics and the SDK metrics in one scrape', async () => {
    const { status, type, body } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toContain('netops_ssh_connect_seconds_bucket{le="0.5",platform="iosxe",outcome="ok"} 1');
    expect(body).toContain('netops_ssh_connect_seconds_count{platform="nxos",outcome="timeout"} 1');
    expect(body).toContain('netops_command_errors_total{platform="iosxe",type="timeout"} 1');
    expect(body).toContain('netops_transfer_bytes_total 1048576');
    expect(body).toContain('netops_transfers_total{outcome="failed"} 1');
    expect(body).toContain('netops_rollout_devices{rollout="rollout-a",state="done"} 3');
    expect(body).toContain('netops_sdk_metrics_up 1');
    // The SDK's own, from the native exporter: the probe workflow above completed.
    expect(body).toMatch(/^temporal_workflow_completed_total\{.*\} [1-9]/m);
    expect(body).toMatch(/^temporal_activity_execution_latency_seconds_bucket\{/m);
  });

  it('passes `promtool check metrics`', async (ctx) => {
    if (!PROMTOOL) ctx.skip(`promtool not installed (${INSTALL_HINT})`);
    const { body } = await scrape();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('a real Prometheus server scrapes the worker and reports the target up', async (ctx) => {
    if (!PROMETHEUS) ctx.skip(`prometheus not installed (${INSTALL_HINT})`);
    const dir = mkdtempSync(join(tmpdir(), 'netops-prom-'));
    const promPort = await freePort();
    const target = new URL(runtime.metricsUrl!).host;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: netops-worker\n    static_configs:\n      - targets: ['${target}']\n`,
    );
    const prom: ChildProcess = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const exited = new Promise<void>((r) => prom.once('exit', () => r()));
    let log = '';
    prom.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
    try {
      const query = async (q: string) => {
        const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
        return (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      };
      let up: Awaited<ReturnType<typeof query>> | undefined;
      for (let i = 0; i < 60; i++) {
        up = await query('up').catch(() => undefined);
        if (up?.data.result[0]?.value[1] === '1') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(up?.data.result, `prometheus log:\n${log}`).toEqual([
        { metric: { __name__: 'up', instance: target, job: 'netops-worker' }, value: [expect.any(Number), '1'] },
      ]);
      const transfers = await query('netops_transfer_bytes_total');
      expect(transfers.data.result[0]?.value[1]).toBe('1048576');
      const sdk = await query('temporal_workflow_completed_total');
      expect(sdk.data.result.length).toBeGreaterThan(0);
    } finally {
      prom.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
