import type { Command } from 'commander';
import { NativeConnection } from '@temporalio/worker';
import { buildActivities } from '../../workers/activities';
import { createNetopsWorker } from '../../workers/create-worker';
import { DEFAULT_REQUESTS_PER_TASK } from '../../devices/rest/task-budget';
import { createDashboardOrgWorkers, ipRateFromEnv, parseDashboardOrgs, parseIpRate, type DashboardOrgWorkers } from '../../workers/dashboard-workers';
import { TASK_QUEUE } from '../../contracts/names';
import { CodecKeyError, describeEncryption, encryptionStatusFromEnv, type EncryptionStatus } from '../../codec';
import { CliError, ExitCode } from '../shared/cli-error';
import { parsePort, parsePositiveInt } from '../shared/parse-options';
import { setUpWorkerProcess } from './worker-setup';
import { untilInterrupted } from '../shared/process-signals';
import { addTemporalOptions, resolveTemporalTarget, waitForServerMs, type TemporalFlags } from '../shared/temporal-connection';

interface WorkerOptions extends TemporalFlags {
  taskQueue: string;
  maxActivities: string;
  maxSessions: string;
  connectsPerSecond: string;
  metricsPort?: string;
  dashboardOrgs?: string;
  dashboardRequestsPerTask: string;
  dashboardIpRate?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('worker')
    .description('Run a netops worker: executes workflows and the device I/O activities until Ctrl-C')
    .option('--task-queue <name>', 'task queue to poll', TASK_QUEUE)
    .option('--max-activities <n>', 'activities run at once by this worker', '200')
    .option('--max-sessions <n>', 'SSH sessions open at once from this worker', '100')
    .option('--connects-per-second <n>', 'new SSH connections per second from this worker (no connection storms)', '50')
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port (env NETOPS_METRICS_PORT)')
    .option('--dashboard-orgs <ids>', 'also run the dashboard REST activities of these organisations, each on <task-queue>-dashboard-<org> rate-limited server-side (comma-separated, optional :rps each, default 9, just under the dashboard limit of 10)')
    .option('--dashboard-requests-per-task <n>', 'requests one dashboard activity task may send, paced at the org rate; the org queue starts rate/n tasks per second (1 = one request per task)', String(DEFAULT_REQUESTS_PER_TASK))
    .option(
      '--dashboard-ip-rate <n>',
      "this worker's share of the dashboard's per-source-IP cap of 100 requests/s across all organisations (env NETOPS_DASHBOARD_IP_RATE; default 100): workers behind one public address split it, e.g. 33 each for three",
    );
  addTemporalOptions(cmd)
    .addHelpText(
      'after',
      `
Run as many workers as you like on one task queue; Temporal spreads the work.
Ctrl-C lets running activities finish before it exits (a second Ctrl-C does not wait).

Logs: NETOPS_LOG_LEVEL (trace..error), NETOPS_LOG_FORMAT (json|pretty).
Encryption: NETOPS_CODEC_KEY_FILE or NETOPS_CODEC_KEYS (see docs/operations.md).

Example:
  $ npx netops worker --address 127.0.0.1:7233 --metrics-port 9464
  $ TEMPORAL_PROFILE=cloud npx netops worker
  $ npx netops worker --dashboard-orgs 500000,500037:5   # dashboard orgs at 9 and 5 requests/s
  $ npx netops worker --dashboard-orgs 500000 --dashboard-ip-rate 33   # one of three workers behind one address`,
    )
    .action(async (opts: WorkerOptions) => {
      const maxActivities = parsePositiveInt(opts.maxActivities, '--max-activities', { max: 10_000 });
      const maxSessions = parsePositiveInt(opts.maxSessions, '--max-sessions', { max: 10_000 });
      const connectsPerSecond = parsePositiveInt(opts.connectsPerSecond, '--connects-per-second', { max: 10_000 });
      const requestsPerTask = parsePositiveInt(opts.dashboardRequestsPerTask, '--dashboard-requests-per-task', { max: 1000 });
      let dashboardOrgs;
      try {
        dashboardOrgs = opts.dashboardOrgs === undefined ? undefined : parseDashboardOrgs(opts.dashboardOrgs);
      } catch (err) {
        throw new CliError(`--dashboard-orgs: ${(err as Error).message}`, ExitCode.usage);
      }
      let ipRatePerSec: number;
      try {
        ipRatePerSec = opts.dashboardIpRate === undefined ? ipRateFromEnv() : parseIpRate(opts.dashboardIpRate);
      } catch (err) {
        throw new CliError((err as Error).message, ExitCode.usage);
      }
      const target = resolveTemporalTarget(opts);
      const { runtime, dataConverter } = await setUpWorkerProcess(opts.metricsPort !== undefined ? { metricsPort: parsePort(opts.metricsPort, '--metrics-port') } : {});
      let connection: NativeConnection;
      const giveUpAt = Date.now() + waitForServerMs(opts);
      try {
        for (;;) {
          try {
            connection = await NativeConnection.connect(target.connectionOptions as Parameters<typeof NativeConnection.connect>[0]);
            break;
          } catch (err) {
            // --wait-for-server: a worker started beside its server waits for it.
            if (Date.now() + 500 >= giveUpAt) throw err;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      } catch (err) {
        // The native connection's own message is a Rust error dump; say it the way the other commands do.
        const raw = (err as Error).message.split('\n')[0] ?? '';
        const reason = /connection refused/i.test(raw) ? 'connection refused' : raw;
        throw new CliError(`cannot reach Temporal at ${target.address} (${reason}); start one with \`npx netops server\` or set --address / TEMPORAL_ADDRESS`, ExitCode.unavailable);
      }
      const worker = await createNetopsWorker({
        connection,
        namespace: target.namespace,
        taskQueue: opts.taskQueue,
        activities: buildActivities({ maxSessions, connectsPerSecond }),
        maxConcurrentActivityTaskExecutions: maxActivities,
        ...(dataConverter ? { extra: { dataConverter } } : {}),
      });
      let orgWorkers: DashboardOrgWorkers | undefined;
      if (dashboardOrgs) {
        orgWorkers = await createDashboardOrgWorkers({
          connection,
          namespace: target.namespace,
          taskQueue: opts.taskQueue,
          orgs: dashboardOrgs,
          requestsPerTask,
          ipRatePerSec,
          ...(dataConverter ? { extra: { dataConverter } } : {}),
        });
        const budgets = orgWorkers.budgets;
        runtime.logger.child({}, { level: 'info' }).info(`dashboard organisations: ${dashboardOrgs.map((o) => `${o.orgId} (${o.ratePerSec}/s, ${budgets.get(o.orgId)?.requests ?? 1} requests per task)`).join(', ')}; per-IP share ${ipRatePerSec}/s`);
      }
      // Through the logger, like every other line (one JSON object per line when NETOPS_LOG_FORMAT=json),
      // but at any NETOPS_LOG_LEVEL: scripts and operators wait for these lines.
      const say = runtime.logger.child({}, { level: 'info' });
      const encryption = describeEncryption(encryptionStatus(), target.address);
      if (encryption.warning) say.warn(encryption.warning);
      say.info(
        `worker polling task queue "${opts.taskQueue}" on ${target.address} (namespace ${target.namespace})` +
          `${runtime.metricsUrl ? `, metrics at ${runtime.metricsUrl}` : ''}, ${encryption.summary}`,
      );
      const running = Promise.all([worker.run(), orgWorkers?.run()]);
      void untilInterrupted().then(() => {
        say.info('worker shutting down...');
        // The SDK drains on SIGINT/SIGTERM by itself too: only ask once.
        if (worker.getState() === 'RUNNING') worker.shutdown();
        orgWorkers?.shutdown();
      });
      await running;
      await orgWorkers?.close();
      await connection.close();
      await runtime.close();
    });
}

/** What the worker's keys are (the data converter has already refused a bad key set). */
function encryptionStatus(): EncryptionStatus {
  try {
    return encryptionStatusFromEnv();
  } catch (err) {
    if (err instanceof CodecKeyError) throw new CliError(err.message, ExitCode.usage);
    throw err;
  }
}
