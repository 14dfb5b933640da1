import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetopsClient } from '../../../src/client/netops-client';
import { resolveTemporalCli } from '../../../src/server/temporal-cli';
import { buildActivities } from '../../../src/workers/activities';
import { ROOT } from '../../support/cli-process';
import { startLabFixture, TO_VERSION, type LabFixture } from '../../support/rollout-fixture';
import { waitForProgress } from '../../support/rollout-helpers';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { runningOn } from './contract-helpers';
import { ensurePythonSdk, type PythonSdk } from './python/ensure-python-sdk';

const run = promisify(execFile);

// Another team's service in Python (the Temporal Python SDK from PyPI, no
// TypeScript) drives a rollout on the lab from our inventory, by name, as
// docs/client-library.md says; then the Temporal CLI does the same with
// --input-file and `update execute`. Nothing of either is left Running.
let env: TemporalTestEnv;
let fx: LabFixture;
let sdk: PythonSdk;
let netops: NetopsClient;
const ajv = new Ajv({ allErrors: true, strict: false });
const schema = (file: string) => ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', file), 'utf8')) as object);

beforeAll(async () => {
  sdk = ensurePythonSdk((line) => process.stderr.write(`contract test: ${line}\n`));
  env = await connectTestEnv();
  await env.startWorker(buildActivities());
  netops = new NetopsClient(env.client, env.taskQueue);
  fx = await startLabFixture({ devices: 4 });
}, 15 * 60_000);

afterAll(async () => {
  await env?.close();
  await fx?.stop();
});

async function service(command: 'rollout' | 'malformed', name: string): Promise<Record<string, unknown>> {
  if (!('python' in sdk)) throw new Error('no Python SDK');
  const { stdout } = await run(
    sdk.python,
    [join(__dirname, 'python', 'netops_service.py'), command, '--address', env.address, '--task-queue', env.taskQueue, '--inventory', fx.inventoryPath, '--image', fx.imagePath, '--name', name],
    { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('a Python service', () => {
  it('builds the input from the inventory, starts, queries, approves and reads the report', async (ctx) => {
    if (!('python' in sdk)) {
      process.stderr.write(`contract test SKIPPED: ${sdk.unavailable}\n`);
      ctx.skip();
    }
    const out = (await service('rollout', 'from-python')) as { input: unknown; progress: { status: string; canary: string[] }; refused: Record<string, unknown>; approved: unknown; report: { status: string; counts: Record<string, number> }; after_end: unknown };
    const validInput = schema('rollout-input.schema.json');
    expect(validInput(out.input), JSON.stringify(validInput.errors)).toBe(true);
    expect(out.progress.status).toBe('awaiting-approval');
    expect(out.progress.canary).toHaveLength(1);
    expect(schema('rollout-progress.schema.json')(out.progress)).toBe(true);
    // A refused update reaches Python as an ApplicationError with a stable type and its details.
    expect(out.refused).toMatchObject({ type: 'NotPaused', non_retryable: true, details: [{ update: 'resume', refusal: 'NotPaused' }] });
    expect(schema('rollout-control-answer.schema.json')(out.approved)).toBe(true);
    expect(out.report.status).toBe('completed');
    expect(out.report.counts.upgraded).toBe(4);
    expect(schema('rollout-report.schema.json')(out.report)).toBe(true);
    // An update after the end is answered by the server, not the workflow (docs/client-library.md says so).
    expect(out.after_end).toMatchObject({ error: 'RPCError', status: 'NOT_FOUND' });
    expect(fx.lab.devices.every((d) => d.version === TO_VERSION)).toBe(true);
  });

  it('sends three malformed inputs: each fails within seconds with InvalidInput naming its fields', async (ctx) => {
    if (!('python' in sdk)) ctx.skip();
    const { results } = (await service('malformed', 'py-bad')) as { results: Array<{ case: string; failed: boolean; type: string; non_retryable: boolean; message: string; problems: Array<{ path: string }>; seconds: number }> };
    expect(results.map((r) => [r.case, r.failed, r.type, r.non_retryable])).toEqual([
      ['no-devices', true, 'InvalidInput', true],
      ['typo', true, 'InvalidInput', true],
      ['literal-secret', true, 'InvalidInput', true],
    ]);
    expect(results.map((r) => r.problems.map((p) => p.path))).toEqual([['/devices'], ['/settings/dryrun'], ['/devices/0/credentials/password', '/devices/1/platform']]);
    for (const r of results) expect(r.seconds, r.case).toBeLessThan(10);
    expect(results[2]!.message).not.toContain('py-literal-secret');
  });
});

describe('the Temporal CLI', () => {
  it('starts a rollout with --input-file and approves it with `update execute`', async () => {
    const cli = resolveTemporalCli().path;
    const input = JSON.parse(JSON.stringify(await fx.input('from-cli', { canary: { count: 1 }, requireApproval: true, window: 2 }))) as Record<string, unknown>;
    // As another team writes it: no timings (the real preset would do on devices; the lab preset here), no version.
    (input.settings as Record<string, unknown>).timings = 'lab';
    delete ((input.job as Record<string, unknown>).image as Record<string, unknown>).version;
    const file = join(fx.dir, 'rollout-input.json');
    writeFileSync(file, JSON.stringify(input));
    const common = ['--address', env.address, '--namespace', 'default'];
    await run(cli, ['workflow', 'start', ...common, '--type', 'rolloutWorkflow', '--task-queue', env.taskQueue, '--workflow-id', 'rollout/from-cli', '--input-file', file]);
    await waitForProgress(netops, 'from-cli', (p) => p.status === 'awaiting-approval');
    const refused = await run(cli, ['workflow', 'update', 'execute', ...common, '--workflow-id', 'rollout/from-cli', '--name', 'resume', '--input', '{}']).then(
      () => undefined,
      (err: { stderr: string }) => err.stderr,
    );
    expect(refused).toMatch(/not paused/);
    const approved = await run(cli, ['workflow', 'update', 'execute', ...common, '--workflow-id', 'rollout/from-cli', '--name', 'approve', '--input', '{}', '--output', 'json']);
    expect(approved.stdout).toContain('approved: the remaining 3 devices may start');
    const report = await netops.result('from-cli');
    expect(report.status).toBe('completed');
    expect(report.targetVersion).toBe(TO_VERSION);
  });

  it('a malformed input file fails the workflow at once, the fields named', async () => {
    const cli = resolveTemporalCli().path;
    const file = join(fx.dir, 'bad-input.json');
    writeFileSync(file, JSON.stringify({ name: 'cli-bad', job: { kind: 'upgrade' }, devices: [], sites: {} }));
    const common = ['--address', env.address, '--namespace', 'default'];
    const started = Date.now();
    const result = await run(cli, ['workflow', 'execute', ...common, '--type', 'rolloutWorkflow', '--task-queue', env.taskQueue, '--workflow-id', 'rollout/cli-bad', '--input-file', file]).then(
      (r) => r.stdout + r.stderr,
      (err: { stdout: string; stderr: string }) => err.stdout + err.stderr,
    );
    expect(result).toMatch(/InvalidInput|\/job\/image/);
    expect(result).toContain('/job/image: is required');
    expect(result).toContain('/devices: ');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('afterwards', () => {
  it('no workflow of this file is left Running', async () => {
    const running = await runningOn(env.client, env.taskQueue);
    expect(running, running.join(', ')).toEqual([]);
  });
});
