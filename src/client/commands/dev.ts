import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { labImageName, makeLabImage, startLab, type Lab } from '../../lab';
import { startDevServer, type DevServer } from '../../server/dev-server';
import { projectRoot } from '../../server/temporal-cli';
import { buildActivities } from '../../workers/activities';
import { createNetopsWorker } from '../../workers/create-worker';
import { rolloutWorkflowId } from '../../workflows/rollout-api';
import { CliError, ExitCode } from '../cli-error';
import { parsePort, parsePositiveInt } from '../parse-options';
import { untilInterrupted } from '../process-signals';
import { renderReport } from '../rollout-render';
import { watchRollout } from '../rollout-watch';
import { connectClient } from '../temporal-connection';
import { workflowUrl } from '../ui-link';
import { NetopsClient } from '../netops-client';
import { setUpWorkerProcess } from '../worker-setup';
import { rolloutInputFromFlags } from './rollout-start';

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
its event log and the image. Ctrl-C stops the worker, the lab and the server.
While it runs, steer it from another terminal, e.g.:
  $ npx netops rollout status <name>
  $ npx netops rollout start --inventory .data/dev/inventory.yaml --image .data/dev/images/${labImageName('iosxe', TO_VERSION)} \\
      --timings lab --canary 1 --window 4 --name second

Example:
  $ npx netops dev`,
    )
    .action(async (opts: DevFlags) => runDev(opts));
}

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
  const interrupted = untilInterrupted();
  let server: DevServer | undefined;
  let lab: Lab | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let native: NativeConnection | undefined;

  try {
    say('starting the Temporal dev server...');
    try {
      server = await startDevServer({ port, uiPort, dbFile: join(dir, 'temporal.db'), log: say });
    } catch (err) {
      throw new CliError(`the Temporal dev server did not start (is port ${port} or ${uiPort} taken? try --port/--ui-port): ${(err as Error).message}`, ExitCode.unavailable);
    }
    say(`  Temporal ${server.address}, Web UI ${server.uiUrl}`);

    say(`starting the lab: ${deviceCount} devices in HSRP pairs at ${siteCount} sites...`);
    lab = await startLab({
      devices: deviceCount,
      pairs: true,
      sites: siteCount,
      platform: 'iosxe',
      initialVersion: FROM_VERSION,
      timings: { bootMs: 4_000, holdMs: 1_000, preemptDelayMs: 500, commandLatencyMs: 2, secondMs: 100 },
      eventLogPath: join(dir, `lab-events-${Date.now()}.jsonl`),
      dataDir: join(dir, 'lab'),
    });
    const inventory = lab.writeInventory(join(dir, 'inventory.yaml'));
    const imagePath = join(dir, 'images', labImageName('iosxe', TO_VERSION));
    writeFileSync(imagePath, makeLabImage(TO_VERSION, 2 * 1024 * 1024));
    say(`  inventory ${inventory}`);
    say(`  event log ${lab.eventLogPath}`);

    // The SDK's own chatter (bundling, state changes) would drown the progress lines.
    const { dataConverter } = await setUpWorkerProcess(process.env.NETOPS_LOG_LEVEL ? {} : { logLevel: 'warn' });
    native = await NativeConnection.connect({ address: server.address });
    worker = await createNetopsWorker({ connection: native, activities: buildActivities(), ...(dataConverter ? { extra: { dataConverter } } : {}) });
    workerDone = worker.run();
    say('  worker polling task queue "netops"');

    const conn = await connectClient({ address: server.address });
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
    await netops.startRollout(input);
    const url = workflowUrl(server.uiUrl, 'default', rolloutWorkflowId(name));
    process.stdout.write(`\nrollout ${name}: ${input.devices.length} devices ${FROM_VERSION} -> ${TO_VERSION}, never both members of a pair at once\n  watch it in the Web UI: ${url}\n\n`);
    const report = await watchRollout(netops, name, { until: interrupted, plain: opts.plain });
    await conn.close();
    if (report) {
      process.stdout.write(renderReport(report));
      process.stdout.write(
        `\nverify the lab's invariants: npx netops lab verify ${lab.eventLogPath}\n` +
          `start another rollout:       npx netops rollout start --inventory ${inventory} --image ${imagePath} --timings lab --canary 1 --window 4 --name second --watch\n`,
      );
      if (report.status !== 'completed') process.exitCode = ExitCode.failed;
    }
    if (!opts.exitWhenDone && report) {
      say('\neverything stays up until Ctrl-C.');
      await interrupted;
    }
  } finally {
    say('stopping...');
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone?.catch(() => undefined);
    await native?.close().catch(() => undefined);
    await lab?.stop();
    await server?.stop();
    say('stopped.');
  }
}
