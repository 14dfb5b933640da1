import { createWriteStream, mkdirSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { labImageName, makeLabImage, startLab, type Lab } from '../../lab';
import { startDevServer, type DevServer } from '../../server/dev-server';
import { projectRoot } from '../../server/temporal-cli';
import { buildActivities } from '../../workers/activities';
import { createNetopsWorker } from '../../workers/create-worker';
import { rolloutWorkflowId } from '../../contracts/rollout';
import { CliError, ExitCode } from '../shared/cli-error';
import { parsePort, parsePositiveInt } from '../shared/parse-options';
import { untilInterrupted } from '../shared/process-signals';
import { connectionFlags, renderReport } from '../rollout/render';
import { watchRollout } from '../rollout/watch';
import { connectClient } from '../shared/temporal-connection';
import { workflowUrl } from '../shared/ui-link';
import { NetopsClient } from '../../client/netops-client';
import { setUpWorkerProcess } from './worker-setup';
import { parseLevel } from '../../workers/logging';
import { rolloutInputFromFlags } from '../rollout/start';

interface DevFlags {
  port: string;
  uiPort: string;
  devices: string;
  sites: string;
  fresh?: boolean;
  exitWhenDone?: boolean;
  plain?: boolean;
}

const FROM_VERSION = '17.09.04a';
const TO_VERSION = '17.12.04';

export function register(program: Command): void {
  program
    .command('dev')
    .description('the whole thing on this machine: Temporal dev server, a lab of HSRP pairs, a worker, and a real rollout to watch')
    .option('--port <port>', 'Temporal gRPC port', '7233')
    .option('--ui-port <port>', 'Temporal Web UI port', '8233')
    .option('--devices <n>', 'lab devices (in HSRP pairs)', '40')
    .option('--sites <n>', 'lab sites', '4')
    .option('--fresh', 'forget the previous dev run (.data/dev) before starting')
    .option('--exit-when-done', 'stop everything once the rollout has ended (for scripts and tests)')
    .option('--plain', 'plain progress lines even on a terminal')
    .addHelpText(
      'after',
      `
Everything lives under .data/dev/ (or $NETOPS_DATA_DIR): Temporal's SQLite file, the lab inventory,
its event log, the image, and worker.log (the worker's and the workflow bundler's own lines, so the
terminal shows the rollout). Ctrl-C (or SIGTERM, to any of its processes) stops the worker, the lab
and the server.
While it runs, steer it from another terminal, e.g.:
  $ npx netops rollout status <name>
  $ npx netops rollout start --inventory .data/dev/inventory.yaml --image .data/dev/images/${labImageName('iosxe', TO_VERSION)} \\
      --timings lab --canary 1 --window 4 --name second

Example:
  $ npx netops dev`,
    )
    .action(async (opts: DevFlags) => runDev(opts));
}

/** Raised when the operator (or the server's own death) stops the demo before it finished starting. */
class Stopped extends Error {}

async function runDev(opts: DevFlags): Promise<void> {
  const port = parsePort(opts.port, '--port');
  const uiPort = parsePort(opts.uiPort, '--ui-port');
  const deviceCount = parsePositiveInt(opts.devices, '--devices', { min: 2, max: 10_000 });
  const siteCount = parsePositiveInt(opts.sites, '--sites', { max: 1000 });
  // NETOPS_DATA_DIR keeps a test's (or a second developer's) run from clobbering the usual demo state.
  const dir = resolve(process.env.NETOPS_DATA_DIR ?? join(projectRoot(), '.data', 'dev'));
  if (opts.fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'images'), { recursive: true });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  // The demo ends on Ctrl-C / SIGTERM, or when its server goes away (someone stopped that process).
  let serverGone: Promise<string> = new Promise(() => undefined);
  const interrupted = untilInterrupted();
  const stop = (): Promise<string> => Promise.race([interrupted.then((sig) => `${sig} received`), serverGone]);
  /** Each start-up step gives way to a stop request, so Ctrl-C during bundling does not wait for it. */
  const step = <T>(work: Promise<T>): Promise<T> =>
    Promise.race([work, stop().then((why) => Promise.reject(new Stopped(why)))]);
  let server: DevServer | undefined;
  let lab: Lab | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let native: NativeConnection | undefined;
  let workerLog: WriteStream | undefined;
  let serverStarting: Promise<DevServer> | undefined;

  try {
    say('starting the Temporal dev server...');
    try {
      serverStarting = startDevServer({ port, uiPort, dbFile: join(dir, 'temporal.db'), log: say });
      server = await step(serverStarting);
    } catch (err) {
      if (err instanceof Stopped) throw err;
      throw new CliError(`the Temporal dev server did not start (is port ${port} or ${uiPort} taken? try --port/--ui-port): ${(err as Error).message}`, ExitCode.unavailable);
    }
    const { pid } = server;
    serverGone = server.exited.then((code) => `the Temporal dev server (pid ${pid}) exited with code ${code}`);
    say(`  Temporal ${server.address}, Web UI ${server.uiUrl}`);

    say(`starting the lab: ${deviceCount} devices in HSRP pairs at ${siteCount} sites...`);
    lab = await step(
      startLab({
        devices: deviceCount,
        pairs: true,
        sites: siteCount,
        platform: 'iosxe',
        initialVersion: FROM_VERSION,
        timings: { bootMs: 4_000, holdMs: 1_000, preemptDelayMs: 500, commandLatencyMs: 2, secondMs: 100 },
        eventLogPath: join(dir, `lab-events-${Date.now()}.jsonl`),
        dataDir: join(dir, 'lab'),
      }),
    );
    const inventory = lab.writeInventory(join(dir, 'inventory.yaml'));
    const imagePath = join(dir, 'images', labImageName('iosxe', TO_VERSION));
    writeFileSync(imagePath, makeLabImage(TO_VERSION, 2 * 1024 * 1024));
    say(`  inventory ${inventory}`);
    say(`  event log ${lab.eventLogPath}`);

    // The worker's and the bundler's own lines (webpack's report, SDK warnings
    // with their stack traces) go to a file: the terminal tells the rollout.
    const workerLogPath = join(dir, 'worker.log');
    workerLog = createWriteStream(workerLogPath, { flags: 'w' });
    say(`  worker log ${workerLogPath}`);
    const { dataConverter } = await setUpWorkerProcess({
      logLevel: parseLevel(process.env.NETOPS_LOG_LEVEL) ?? 'info',
      logDestination: workerLog,
      json: false,
    });
    native = await step(NativeConnection.connect({ address: server.address }));
    say('  preparing the worker (the first run bundles the workflows: up to a minute on a busy machine)...');
    worker = await step(createNetopsWorker({ connection: native, activities: buildActivities(), ...(dataConverter ? { extra: { dataConverter } } : {}) }));
    workerDone = worker.run();
    say('  worker polling task queue "netops"');

    const conn = await step(connectClient({ address: server.address }));
    const netops = new NetopsClient(conn.client);
    const name = `dev-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
    const input = await rolloutInputFromFlags({
      inventory,
      format: 'netops',
      image: imagePath,
      name,
      canary: '2',
      window: '8',
      maxUnavailable: '1',
      siteConcurrency: '2',
      duration: '1',
      horizonDays: '14',
      failureBudget: '10%',
      approval: false,
      timings: 'lab',
      rollback: true,
    });
    await step(netops.startRollout(input));
    const url = workflowUrl(server.uiUrl, 'default', rolloutWorkflowId(name));
    process.stdout.write(`\nrollout ${name}: ${input.devices.length} devices ${FROM_VERSION} -> ${TO_VERSION}, never both members of a pair at once\n  watch it in the Web UI: ${url}\n\n`);
    const report = await watchRollout(netops, name, { until: stop(), plain: opts.plain });
    await conn.close();
    if (report) {
      // The printed commands must reach this server, wherever --port put it.
      const flags = connectionFlags({ address: server.address });
      process.stdout.write(renderReport(report));
      process.stdout.write(
        `\nverify the lab's invariants: npx netops lab verify ${lab.eventLogPath}\n` +
          `start another rollout:       npx netops rollout start --inventory ${inventory} --image ${imagePath} --timings lab --canary 1 --window 4 --name second --watch${flags}\n`,
      );
      if (report.status !== 'completed') process.exitCode = ExitCode.failed;
    }
    if (!opts.exitWhenDone && report) {
      say('\neverything stays up until Ctrl-C.');
    }
    const why = opts.exitWhenDone && report ? undefined : await stop();
    if (why?.startsWith('the Temporal dev server')) throw new Stopped(why);
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    if (err.message.startsWith('the Temporal dev server')) {
      // Not the operator's Ctrl-C: say what happened and exit non-zero.
      say(`netops: ${err.message}; stopping the lab and the worker`);
      process.exitCode = ExitCode.unavailable;
    }
  } finally {
    say('stopping...');
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone?.catch(() => undefined);
    await native?.close().catch(() => undefined);
    await lab?.stop();
    await server?.stop();
    // Stopped while the server was still starting: stop it once it is up (its reaper does, should this process exit first).
    if (!server) void serverStarting?.then((s) => s.stop(), () => undefined);
    await new Promise<void>((r) => (workerLog ? workerLog.end(() => r()) : r()));
    say('stopped.');
    // A start-up step left running (a bundling in progress) must not keep the process alive.
    setTimeout(() => process.exit(), 2_000).unref();
  }
}
