import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Logger } from 'pino';
import { freePort } from '../server/free-port';
import { createLogger, parseLevel, setRootLogger, sdkLoggerFor, type LogLevelName } from './logging';
import { attachCollectedStateMetrics } from './collected-state';
import { createPrometheusMetrics, startMetricsServer, useMetrics, type RunningMetricsServer } from './metrics';

export interface InstallRuntimeOptions {
  /** Port of the worker's /metrics endpoint; omit for no metrics (0 picks a free port). */
  metricsPort?: number;
  /** Address the endpoint listens on: 0.0.0.0 in a container, loopback elsewhere. */
  metricsHost?: string;
  logLevel?: LogLevelName;
  /** JSON lines vs. human lines; default: JSON unless stderr is a terminal. */
  json?: boolean;
  /** Where log lines go; default stderr. */
  logDestination?: NodeJS.WritableStream;
}

export interface InstalledRuntime {
  logger: Logger;
  /** e.g. http://0.0.0.0:9464/metrics when metrics are on. */
  metricsUrl?: string;
  /** Stops the metrics endpoint (the Runtime itself lives as long as the process). */
  close(): Promise<void>;
}

let installed: Promise<InstalledRuntime> | undefined;

/**
 * Installs Temporal's Runtime once per process, with our logger and metrics.
 * Must run before the first NativeConnection is made. Later calls return
 * the first installation (the Runtime cannot be reconfigured).
 *
 * Metrics: the SDK serves its own metrics from native code on a port of its
 * own; we bind that to a private loopback port and append it to our
 * endpoint's scrape, so each worker replica is exactly one scrape target.
 * That matters for `docker compose up --scale worker=N`, where Prometheus
 * discovers replicas by DNS and one port per replica keeps the config simple.
 */
export function installRuntime(opts: InstallRuntimeOptions = {}): Promise<InstalledRuntime> {
  installed ??= doInstall(opts).catch((err: unknown) => {
    installed = undefined;
    throw err;
  });
  return installed;
}

async function doInstall(opts: InstallRuntimeOptions): Promise<InstalledRuntime> {
  const level = opts.logLevel ?? 'info';
  const logger = createLogger({
    level,
    ...(opts.json === undefined ? {} : { json: opts.json }),
    ...(opts.logDestination ? { destination: opts.logDestination } : {}),
  });
  setRootLogger(logger);
  const wantMetrics = opts.metricsPort !== undefined;
  const sdkPort = wantMetrics ? await freePort('127.0.0.1') : undefined;
  const coreLevel = level === 'trace' ? 'TRACE' : level === 'debug' ? 'DEBUG' : level === 'info' ? 'INFO' : level === 'warn' ? 'WARN' : 'ERROR';

  Runtime.install({
    logger: sdkLoggerFor(logger),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: coreLevel, other: 'WARN' }), forward: {} },
      ...(sdkPort !== undefined
        ? {
            metrics: {
              prometheus: {
                bindAddress: `127.0.0.1:${sdkPort}`,
                // Prometheus naming conventions: counters end in _total, durations in seconds.
                countersTotalSuffix: true,
                useSecondsForDurations: true,
                unitSuffix: true,
              },
            },
          }
        : {}),
    },
  });

  let server: RunningMetricsServer | undefined;
  if (wantMetrics) {
    const prom = createPrometheusMetrics();
    // The network's state as the last collection saw it, for users' Grafana dashboards.
    attachCollectedStateMetrics(prom.registry);
    useMetrics(prom.recorder);
    server = await startMetricsServer({
      port: opts.metricsPort ?? 0,
      host: opts.metricsHost ?? '127.0.0.1',
      registry: prom.registry,
      sdkMetricsUrl: `http://127.0.0.1:${sdkPort}/metrics`,
    });
    logger.info({ metricsUrl: server.url }, 'serving Prometheus metrics');
  }
  return {
    logger,
    ...(server ? { metricsUrl: server.url } : {}),
    close: async () => {
      await server?.close();
    },
  };
}

/** A bad NETOPS_* setting; the message names the variable and what it accepts. */
export class RuntimeConfigError extends Error {}

/**
 * Reads NETOPS_METRICS_PORT (unset: no metrics), NETOPS_METRICS_HOST,
 * NETOPS_LOG_LEVEL (trace..error) and NETOPS_LOG_FORMAT (json | pretty), as
 * the container image sets them.
 */
export function runtimeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): InstallRuntimeOptions {
  const opts: InstallRuntimeOptions = {};
  if (env.NETOPS_METRICS_PORT) {
    const port = Number(env.NETOPS_METRICS_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RuntimeConfigError(`NETOPS_METRICS_PORT=${env.NETOPS_METRICS_PORT} is not a port (0-65535)`);
    }
    opts.metricsPort = port;
  }
  if (env.NETOPS_METRICS_HOST) opts.metricsHost = env.NETOPS_METRICS_HOST;
  if (env.NETOPS_LOG_LEVEL) {
    const level = parseLevel(env.NETOPS_LOG_LEVEL);
    if (!level) throw new RuntimeConfigError(`NETOPS_LOG_LEVEL=${env.NETOPS_LOG_LEVEL} is not one of trace, debug, info, warn, error`);
    opts.logLevel = level;
  }
  if (env.NETOPS_LOG_FORMAT) {
    const format = env.NETOPS_LOG_FORMAT.trim().toLowerCase();
    if (format !== 'json' && format !== 'pretty') throw new RuntimeConfigError(`NETOPS_LOG_FORMAT=${env.NETOPS_LOG_FORMAT} is not json or pretty`);
    opts.json = format === 'json';
  }
  return opts;
}
