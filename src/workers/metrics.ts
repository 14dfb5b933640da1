import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the SSH layer and activities record. Callers import `metrics` and
 * never prom-client: until a worker installs a Prometheus recorder every
 * call is a no-op, so tests and CLI tools need no registry.
 */
export interface NetopsMetrics {
  /** One SSH connection attempt: how long it took to get a usable session, and how it ended. */
  sshConnect(platform: string, outcome: SshOutcome | string, seconds: number): void;
  /** A device command that failed (`type`: timeout, prompt, rejected, auth, ...). */
  commandError(platform: string, type: string): void;
  /** A finished file transfer (image staging); `bytes` is what actually crossed the wire. */
  transfer(outcome: TransferOutcome | string, bytes: number): void;
  /** How many devices of a rollout are in `state` now (pending, running, done, failed, skipped). */
  rolloutDevices(rollout: string, state: string, count: number): void;
  /** Drops a finished rollout's series, so gauges do not pile up one set per rollout forever. */
  rolloutFinished(rollout: string): void;
}

export type SshOutcome = 'ok' | 'auth_failed' | 'timeout' | 'refused' | 'host_key_mismatch' | 'error';
export type TransferOutcome = 'ok' | 'failed' | 'skipped';

export const noopMetrics: NetopsMetrics = {
  sshConnect: () => undefined,
  commandError: () => undefined,
  transfer: () => undefined,
  rolloutDevices: () => undefined,
  rolloutFinished: () => undefined,
};

let active: NetopsMetrics = noopMetrics;

/** The process-wide recorder; forwards to whatever `useMetrics` installed. */
export const metrics: NetopsMetrics = {
  sshConnect: (platform, outcome, seconds) => active.sshConnect(platform, outcome, seconds),
  commandError: (platform, type) => active.commandError(platform, type),
  transfer: (outcome, bytes) => active.transfer(outcome, bytes),
  rolloutDevices: (rollout, state, count) => active.rolloutDevices(rollout, state, count),
  rolloutFinished: (rollout) => active.rolloutFinished(rollout),
};

/** Installs a recorder for this process; returns a function that restores the previous one. */
export function useMetrics(recorder: NetopsMetrics): () => void {
  const previous = active;
  active = recorder;
  return () => {
    active = previous;
  };
}

export interface PrometheusMetrics {
  registry: Registry;
  recorder: NetopsMetrics;
}

/** Our metrics in a registry of our own (never prom-client's global one). */
export function createPrometheusMetrics(opts: { defaultMetrics?: boolean } = {}): PrometheusMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // These three are gauges named like counters; promtool (and PromQL's rate()) would be misled.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      registry.removeSingleMetric(name);
    }
  }
  const sshConnect = new Histogram({
    name: 'netops_ssh_connect_seconds',
    help: 'Time to open a usable SSH session to a device (TCP, key exchange, auth, first prompt).',
    labelNames: ['platform', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const commandErrors = new Counter({
    name: 'netops_command_errors_total',
    help: 'Device commands that failed, by platform and error type.',
    labelNames: ['platform', 'type'],
    registers: [registry],
  });
  const transferBytes = new Counter({
    name: 'netops_transfer_bytes_total',
    help: 'Bytes sent to devices by file transfers (image staging).',
    registers: [registry],
  });
  const transfers = new Counter({
    name: 'netops_transfers_total',
    help: 'File transfers to devices, by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const rolloutDevices = new Gauge({
    name: 'netops_rollout_devices',
    help: 'Devices of each rollout by state, as last reported.',
    labelNames: ['rollout', 'state'],
    registers: [registry],
  });
  const statesByRollout = new Map<string, Set<string>>();
  const recorder: NetopsMetrics = {
    sshConnect: (platform, outcome, seconds) => sshConnect.observe({ platform: label(platform), outcome: label(outcome) }, Math.max(0, seconds)),
    commandError: (platform, type) => commandErrors.inc({ platform: label(platform), type: label(type) }),
    transfer: (outcome, bytes) => {
      transfers.inc({ outcome: label(outcome) });
      if (bytes > 0) transferBytes.inc(bytes);
    },
    rolloutDevices: (rollout, state, count) => {
      const r = label(rollout);
      const s = label(state);
      rolloutDevices.set({ rollout: r, state: s }, count);
      const known = statesByRollout.get(r) ?? new Set<string>();
      statesByRollout.set(r, known.add(s));
    },
    rolloutFinished: (rollout) => {
      const r = label(rollout);
      // prom-client removes exact label sets only, so we remember which states we set.
      for (const s of statesByRollout.get(r) ?? []) rolloutDevices.remove({ rollout: r, state: s });
      statesByRollout.delete(r);
    },
  };
  return { registry, recorder };
}

// Label values come from inventories and errors; cap them so one odd value cannot bloat a scrape.
function label(value: string): string {
  return value.length > 0 ? value.slice(0, 100) : 'unknown';
}

export interface MetricsServerOptions {
  port: number;
  host?: string;
  /** Our registry; default: a fresh one from `createPrometheusMetrics()`, installed with `useMetrics`. */
  registry?: Registry;
  /**
   * The SDK's own Prometheus endpoint (Runtime telemetry), appended to every
   * scrape so each worker is one target. See runtime.ts for why.
   */
  sdkMetricsUrl?: string;
}

export interface RunningMetricsServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves GET /metrics (ours plus, if given, the SDK's) and GET /healthz. */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<RunningMetricsServer> {
  let registry = opts.registry;
  if (!registry) {
    const created = createPrometheusMetrics();
    useMetrics(created.recorder);
    registry = created.registry;
  }
  const reg = registry;
  const sdkUp = opts.sdkMetricsUrl
    ? new Gauge({ name: 'netops_sdk_metrics_up', help: '1 if the Temporal SDK metrics could be read for this scrape.', registers: [reg] })
    : undefined;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('metrics are at /metrics\n');
      return;
    }
    void (async () => {
      const sdkText = opts.sdkMetricsUrl ? await fetchText(opts.sdkMetricsUrl) : undefined;
      sdkUp?.set(sdkText === undefined ? 0 : 1);
      let body = await reg.metrics();
      if (sdkText) body = `${body.replace(/\n*$/, '\n')}${sdkText.replace(/\n*$/, '\n')}`;
      res.writeHead(200, { 'Content-Type': reg.contentType }).end(req.method === 'HEAD' ? undefined : body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(err as Error).message}\n`);
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/metrics`,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

async function fetchText(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}
