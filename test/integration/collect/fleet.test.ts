import { connect, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openResultStore } from '../../../src/results';
import { buildActivities } from '../../../src/workers/activities';
import { attachCollectedStateMetrics } from '../../../src/workers/collected-state';
import { createPrometheusMetrics, startMetricsServer, type RunningMetricsServer } from '../../../src/workers/metrics';
import { collectWorkflowId, type CollectInput, type CollectResult } from '../../../src/contracts/collect';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { showVersionCounts, startCollectLab, type CollectLab } from './support';

// 500 lab devices in batches of 50: some drop their session mid-command once,
// some refuse connections while their vty lines are taken, two refuse the
// login. The run must end with every reachable device's data in the store,
// the two logins as per-device errors, and the gauges showing it all.

describe('collecting from 500 devices with drops and refusals', () => {
  let env: TemporalTestEnv;
  let fx: CollectLab;
  let metrics: RunningMetricsServer | undefined;
  const held: Socket[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
    fx = await startCollectLab({ devices: 500, sites: 5 });
  });

  afterAll(async () => {
    for (const s of held) s.destroy();
    await metrics?.close();
    await env?.close();
    await fx?.stop();
  });

  it('collects every reachable device, retries drops inside the batch, records login failures per device', { timeout: 120_000 }, async () => {
    const { lab } = fx;
    const names = lab.devices.map((d) => d.name);
    const droppers = names.filter((_, i) => i % 50 === 7); // 10 devices
    const crowded = names.filter((_, i) => i % 100 === 33); // 5 devices
    const locked = [names[3]!, names[250]!];
    for (const n of droppers) lab.setFault(n, { kind: 'drop-mid-command', match: 'bgp' });
    // A drop fires once per device: the fault is cleared when it fires, so the retry gets through.
    const unsubscribe = lab.log.subscribe((e) => {
      if (e.type === 'fault' && e.action === 'fired' && e.fault === 'drop-mid-command') queueMicrotask(() => lab.clearFault(e.device, 'drop-mid-command'));
    });
    // Someone else holds the only vty line of these devices until the collector has been refused once.
    const holders = new Map<string, Socket>();
    for (const n of crowded) {
      const d = lab.device(n);
      lab.setFault(n, { kind: 'max-sessions', limit: 1 });
      const s = connect(d.port, d.host);
      held.push(s);
      holders.set(n, s);
    }
    const release = lab.log.subscribe((e) => {
      if (e.type === 'session.refused') setTimeout(() => holders.get(e.device)?.destroy(), 100);
    });
    for (const n of locked) lab.setFault(n, { kind: 'auth-failure' });

    await env.startWorker(buildActivities({ maxSessions: 100, connectsPerSecond: 1000 }));
    const name = `fleet-${randomUUID().slice(0, 8)}`;
    const input: CollectInput = {
      name,
      devices: fx.targets,
      batchSize: 50,
      concurrencyPerBatch: 25,
      parallelBatches: 4,
      store: { kind: 'local', root: fx.resultsDir },
      timings: { retryDelayMs: 400, deviceAttempts: 6, heartbeatTimeoutMs: 20_000, commandTimeoutMs: 10_000 },
    };
    const result: CollectResult = await env.client.workflow.execute('collectWorkflow', { taskQueue: env.taskQueue, workflowId: collectWorkflowId(name), args: [input] });
    unsubscribe();
    release();

    expect(result.summary).toMatchObject({ devices: 500, ok: 498, failed: 2, byError: { AuthenticationFailed: 2 }, batches: 10, batchesDone: 10 });
    expect(result.summary.failures.map((f) => f.device).sort()).toEqual([...locked].sort());
    expect(JSON.stringify(result).length, 'the workflow carries a summary, not outputs').toBeLessThan(5_000);

    const store = openResultStore(result.store);
    const rows = await store.list(result.runId);
    expect(rows).toHaveLength(500);
    const reachable = rows.filter((r) => r.reachable);
    expect(reachable).toHaveLength(498);
    expect(reachable.every((r) => r.version && r.redundancy && r.redundancy.length > 0 && r.bgpTotal !== undefined)).toBe(true);

    // The drops fired and were retried inside the batch: a second session, data complete.
    const fired = new Set(lab.events.filter((e) => e.type === 'fault' && e.action === 'fired' && e.fault === 'drop-mid-command').map((e) => (e as { device: string }).device));
    expect([...fired].sort()).toEqual([...droppers].sort());
    for (const n of [...droppers, ...crowded]) {
      const rec = await store.get(result.runId, n);
      expect(rec?.reachable, n).toBe(true);
      expect(rec!.attempts, n).toBeGreaterThan(1);
    }
    expect(lab.events.some((e) => e.type === 'session.refused' && crowded.includes(e.device))).toBe(true);
    // No retries of whole batches were needed: each device's show version ran once per session it got.
    const counts = showVersionCounts(lab);
    expect(names.filter((n) => !droppers.includes(n) && !locked.includes(n)).every((n) => counts.get(n) === 1)).toBe(true);

    const auth = await store.get(result.runId, locked[0]!);
    expect(auth).toMatchObject({ reachable: false, attempts: 1, error: { type: 'AuthenticationFailed', retryable: false } });

    // The last collected state, scraped from a worker-style /metrics endpoint.
    const prom = createPrometheusMetrics({ defaultMetrics: false });
    attachCollectedStateMetrics(prom.registry, { store: result.store });
    metrics = await startMetricsServer({ port: 0, registry: prom.registry });
    const text = await (await fetch(metrics.url)).text();
    const sample = lab.device(names[0]!);
    expect(text).toContain(`netops_device_up{device="${sample.name}",site="${sample.site}"} 1`);
    expect(text).toContain(`netops_device_up{device="${locked[0]}",site="${lab.device(locked[0]!).site}"} 0`);
    expect(text).toMatch(new RegExp(`netops_device_version_info\\{device="${sample.name}",version="[^"]+"\\} 1`));
    expect(text).toMatch(new RegExp(`netops_redundancy_state\\{device="${sample.name}",group="\\d+",state="(Active|Standby|Master|Backup)"\\} 1`));
    expect(text).toMatch(new RegExp(`netops_bgp_neighbors_up\\{device="${sample.name}"\\} \\d+`));
    expect(text.match(/^netops_device_up\{/gm)).toHaveLength(500);
  });
});
