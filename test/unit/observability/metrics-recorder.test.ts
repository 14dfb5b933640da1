import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusMetrics, metrics, noopMetrics, useMetrics } from '../../../src/workers/metrics';

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe('metrics recorder', () => {
  it('is a no-op until a worker installs a recorder', () => {
    expect(() => metrics.sshConnect('iosxe', 'ok', 1)).not.toThrow();
    expect(() => metrics.rolloutFinished('nothing')).not.toThrow();
  });

  it('forwards to the installed Prometheus recorder, and restores the previous one', async () => {
    const prom = createPrometheusMetrics({ defaultMetrics: false });
    restore = useMetrics(prom.recorder);
    metrics.commandError('nxos', 'prompt');
    metrics.commandError('nxos', 'prompt');
    expect(await prom.registry.metrics()).toContain('netops_command_errors_total{platform="nxos",type="prompt"} 2');
    restore();
    restore = undefined;
    metrics.commandError('nxos', 'prompt');
    expect(await prom.registry.metrics()).toContain('netops_command_errors_total{platform="nxos",type="prompt"} 2');
  });

  it('drops a finished rollout\'s gauge series but keeps the others', async () => {
    const prom = createPrometheusMetrics({ defaultMetrics: false });
    restore = useMetrics(prom.recorder);
    metrics.rolloutDevices('r1', 'done', 4);
    metrics.rolloutDevices('r1', 'failed', 1);
    metrics.rolloutDevices('r2', 'running', 2);
    metrics.rolloutFinished('r1');
    const text = await prom.registry.metrics();
    expect(text).not.toContain('rollout="r1"');
    expect(text).toContain('netops_rollout_devices{rollout="r2",state="running"} 2');
  });

  it('counts transfers by outcome and only real bytes; clamps odd label values', async () => {
    const prom = createPrometheusMetrics({ defaultMetrics: false });
    restore = useMetrics(prom.recorder);
    metrics.transfer('ok', 500);
    metrics.transfer('failed', -3);
    metrics.sshConnect('', 'ok', 0.2);
    const text = await prom.registry.metrics();
    expect(text).toContain('netops_transfer_bytes_total 500');
    expect(text).toContain('netops_transfers_total{outcome="failed"} 1');
    expect(text).toContain('netops_ssh_connect_seconds_count{platform="unknown",outcome="ok"} 1');
  });

  it('keeps registries separate: two workers in one process do not share counters', async () => {
    const a = createPrometheusMetrics({ defaultMetrics: false });
    const b = createPrometheusMetrics({ defaultMetrics: false });
    a.recorder.transfer('ok', 10);
    expect(await b.registry.metrics()).not.toContain('netops_transfer_bytes_total 10');
    expect(noopMetrics.transfer('ok', 1)).toBeUndefined();
  });
});
