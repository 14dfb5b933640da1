import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { main } from '../../../src/cli/main';
import { ExitCode } from '../../../src/cli/shared/cli-error';
import { labImageName, makeLabImage } from '../../../src/lab';
import { NETOPS_BIN, ROOT, runCli } from '../../support/cli-process';

/**
 * Every command's bad-input paths, as the user sees them: the exact message
 * (one line, `netops: ...`, or commander's `error: ...` plus the usage hint),
 * no stack trace, and the documented exit code (src/cli/shared/cli-error.ts).
 *
 * Most cases run the real CLI entry (`main(argv)`) in this process, many at
 * once, each with its own captured stdout/stderr; a few run `bin/netops.cjs`
 * as a child process to prove the codes and messages survive the real exit.
 */

const dir = mkdtempSync(join(tmpdir(), 'netops-bad-input-'));
const INV = join(ROOT, 'test', 'fixtures', 'inventory', 'lab.yaml');
const BAD_INV = join(ROOT, 'test', 'fixtures', 'inventory', 'bad.yaml');
const IMAGE = join(dir, labImageName('iosxe', '17.12.04'));
const NAMELESS_IMAGE = join(dir, 'mystery.bin');
const LINES = join(dir, 'ntp.txt');
const EMPTY_LOG = join(dir, 'empty.jsonl');
const GARBAGE_LOG = join(dir, 'garbage.jsonl');
const MISSING = (name: string) => join(dir, 'missing', name);
const DOWN = '127.0.0.1:1';
// lab.yaml holds an FRR router, which image rollouts refuse first (it has no image).
const NO_FRR = '--filter platform!=frr';
/** Replaced by the suite's Temporal server: a server that is up but has no such rollout. */
const UP = '@temporal';

writeFileSync(IMAGE, makeLabImage('17.12.04', 4096));
writeFileSync(NAMELESS_IMAGE, 'x');
writeFileSync(LINES, 'ntp server 10.0.0.1\n');
writeFileSync(EMPTY_LOG, '');
writeFileSync(GARBAGE_LOG, 'this is not\na lab event log\n');

const usage = (message: string) => `error: ${message}\n(run with --help for usage)\n`;
const fail = (message: string) => `netops: ${message}\n`;
const unreachable = /^netops: cannot reach Temporal at 127\.0\.0\.1:1 \(connection refused: nothing listens there\); start one with `npx netops server` or set --address \/ TEMPORAL_ADDRESS, or add --wait-for-server SECONDS to wait for it\n$/;
const noRollout = fail('no rollout named "nosuch" (workflow id rollout/nosuch)');
const missingInventory = (path: string, tail: string) => `${path}:1:1: cannot read the file: it does not exist\nnetops: ${tail}\n`;

interface Case {
  args: string[];
  code: number;
  stderr: string | RegExp;
}

const c = (args: string, code: number, stderr: string | RegExp): Case => ({ args: args.split(' '), code, stderr });
const start = `rollout start --inventory ${INV} ${NO_FRR} --image ${IMAGE}`;
const push = `config push --inventory ${INV} --lines ${LINES}`;
const dash = 'dashboard status --url http://127.0.0.1:9/api/v1 --api-key-ref env:NETOPS_TEST_DASH_KEY --org 1';

const CASES: Record<string, Case[]> = {
  netops: [
    c('bogus', ExitCode.usage, usage("unknown command 'bogus'")),
    c('--bogus', ExitCode.usage, usage("unknown option '--bogus'")),
  ],
  server: [
    c('server --bogus', ExitCode.usage, usage("unknown option '--bogus'")),
    c('server extra', ExitCode.usage, usage("too many arguments for 'server'. Expected 0 arguments but got 1.")),
    c('server --port abc', ExitCode.usage, fail('--port: "abc" is not a TCP port (expected a whole number from 1 to 65535)')),
    c('server --port 70000', ExitCode.usage, fail('--port: "70000" is not a TCP port (expected a whole number from 1 to 65535)')),
    c('server --ui-port -1', ExitCode.usage, fail('--ui-port: "-1" is not a TCP port (expected a whole number from 1 to 65535)')),
  ],
  worker: [
    c('worker --bogus', ExitCode.usage, usage("unknown option '--bogus'")),
    c('worker --max-activities 0', ExitCode.usage, fail('--max-activities: "0" is not valid (expected a whole number from 1 to 10000)')),
    c('worker --max-sessions abc', ExitCode.usage, fail('--max-sessions: "abc" is not valid (expected a whole number from 1 to 10000)')),
    c('worker --metrics-port 99999', ExitCode.usage, fail('--metrics-port: "99999" is not a TCP port (expected a whole number from 1 to 65535)')),
  ],
  'lab start': [
    c('lab start --bogus', ExitCode.usage, usage("unknown option '--bogus'")),
    c('lab start --devices 0', ExitCode.usage, usage("option '--devices <n>' argument '0' is invalid. --devices must be a whole number from 1 to 20000")),
    c('lab start --devices abc', ExitCode.usage, usage("option '--devices <n>' argument 'abc' is invalid. --devices must be a whole number from 1 to 20000")),
    c('lab start --platform junos', ExitCode.usage, usage("option '--platform <platform>' argument 'junos' is invalid. Allowed choices are iosxe, nxos, frr.")),
    c('lab start --fault-rate 2', ExitCode.usage, usage("option '--fault-rate <r>' argument '2' is invalid. must be a number from 0 to 1")),
    c('lab start --base-port 70000', ExitCode.usage, usage("option '--base-port <port>' argument '70000' is invalid. --base-port must be a whole number from 1024 to 65000")),
    c(`lab start --topology ${MISSING('topo.yaml')}`, ExitCode.usage, fail(`topology file not found: ${MISSING('topo.yaml')}`)),
  ],
  'lab verify': [
    c('lab verify', ExitCode.usage, usage("missing required argument 'log'")),
    c(`lab verify ${MISSING('events.jsonl')}`, ExitCode.usage, fail(`event log not found: ${MISSING('events.jsonl')}`)),
    c(`lab verify ${EMPTY_LOG}`, ExitCode.usage, fail(`${EMPTY_LOG} holds no lab events; pass the file the lab wrote with --event-log`)),
    c(`lab verify ${GARBAGE_LOG}`, ExitCode.usage, fail(`${GARBAGE_LOG}:1: not a JSON event`)),
    c(`lab verify ${GARBAGE_LOG} --max-reloads x`, ExitCode.usage, usage("option '--max-reloads <n>' argument 'x' is invalid. --max-reloads must be a whole number from 0 to 1000000")),
  ],
  dev: [
    c('dev --bogus', ExitCode.usage, usage("unknown option '--bogus'")),
    c('dev --port abc', ExitCode.usage, fail('--port: "abc" is not a TCP port (expected a whole number from 1 to 65535)')),
    c('dev --ui-port 0', ExitCode.usage, fail('--ui-port: "0" is not a TCP port (expected a whole number from 1 to 65535)')),
    c('dev --devices 1', ExitCode.usage, fail('--devices: "1" is not valid (expected a whole number from 2 to 10000)')),
    c('dev --sites 0', ExitCode.usage, fail('--sites: "0" is not valid (expected a whole number from 1 to 1000)')),
  ],
  'inventory validate': [
    c('inventory validate', ExitCode.usage, usage("missing required argument 'file'")),
    c(`inventory validate ${INV} --bogus`, ExitCode.usage, usage("unknown option '--bogus'")),
    c(`inventory validate ${INV} --format xml`, ExitCode.usage, usage("option '--format <format>' argument 'xml' is invalid. Allowed choices are auto, netops, nornir.")),
    c(`inventory validate ${MISSING('inv.yaml')}`, ExitCode.usage, missingInventory(MISSING('inv.yaml'), `${MISSING('inv.yaml')}: 1 problem`)),
    c(`inventory validate ${BAD_INV}`, ExitCode.usage, /^(?:\S+bad\.yaml:\d+:\d+: [^\n]+\n){6}netops: \S+bad\.yaml: 6 problems\n$/),
  ],
  'inventory show': [
    c('inventory show', ExitCode.usage, usage("missing required argument 'file'")),
    c(`inventory show ${INV} --filter site==`, ExitCode.usage, fail('invalid --filter at column 7: found the end of the expression, expected a value after "==" (in: site==)')),
    c(`inventory show ${INV} --devices nosuch`, ExitCode.usage, fail('unknown device in --devices: nosuch')),
    c(`inventory show ${INV} --site mars`, ExitCode.usage, fail('unknown site in --site: mars')),
    c(`inventory show ${MISSING('inv.yaml')}`, ExitCode.usage, missingInventory(MISSING('inv.yaml'), `inventory ${MISSING('inv.yaml')} has 1 problem; nothing was run`)),
  ],
  'rollout plan': [
    c('rollout plan', ExitCode.usage, usage("required option '--inventory <file>' not specified")),
    c(`rollout plan --inventory ${INV}`, ExitCode.usage, usage("required option '--image <file>' not specified")),
    c(`rollout plan --inventory ${INV} --image ${IMAGE} --bogus`, ExitCode.usage, usage("unknown option '--bogus'")),
    c(`rollout plan --inventory ${INV} --image ${MISSING('x.bin')}`, ExitCode.usage, fail(`--image: cannot read ${MISSING('x.bin')} (ENOENT)`)),
    c(`rollout plan --inventory ${INV} --image ${IMAGE} --window 0`, ExitCode.usage, fail('--window: "0" is not valid (expected a whole number of at least 1)')),
    c(`rollout plan --inventory ${INV} --image ${IMAGE} --duration -3`, ExitCode.usage, fail('--duration: "-3" is not valid (expected a whole number of at least 1)')),
    c(`rollout plan --inventory ${INV} --image ${IMAGE} --at yesterday`, ExitCode.usage, fail('--at: "yesterday" is not an ISO time with a zone (e.g. 2026-11-28T00:00Z or 2026-11-28T01:00+01:00)')),
    c(`rollout plan --inventory ${INV} --image ${IMAGE} ${NO_FRR} --canary nosuch`, ExitCode.usage, fail('canary device(s) not in the selection: nosuch')),
    c(`rollout plan --inventory ${INV} --image ${IMAGE} --filter platform==junos`, ExitCode.usage, fail(`the selection matched no devices: --filter 'platform==junos' (inventory ${INV} has 5)`)),
  ],
  'rollout start': [
    c(`rollout start --image ${IMAGE}`, ExitCode.usage, usage("required option '--inventory <file>' not specified")),
    c(`${start} --bogus`, ExitCode.usage, usage("unknown option '--bogus'")),
    c(`rollout start --inventory ${INV} ${NO_FRR} --image ${MISSING('x.bin')}`, ExitCode.usage, fail(`--image: cannot read ${MISSING('x.bin')} (ENOENT)`)),
    c(`rollout start --inventory ${INV} ${NO_FRR} --image ${NAMELESS_IMAGE}`, ExitCode.usage, fail('--image: cannot tell the version from the name mystery.bin; pass --image-version (as `show version` prints it)')),
    c(`${start} --name bad/name`, ExitCode.usage, fail(`--name: "bad/name" is not a rollout name (letters, digits, '.', '_', '-'; at most 80)`)),
    c(`${start} --failure-budget 200%`, ExitCode.usage, fail('--failure-budget: "200%" is more than 100%')),
    c(`${start} --timings nope`, ExitCode.usage, fail('--timings: "nope" is not a preset (expected real or lab)')),
    c(`${start} --window 0`, ExitCode.usage, fail('--window: "0" is not valid (expected a whole number of at least 1)')),
    c(`rollout start --inventory ${BAD_INV} --image ${IMAGE}`, ExitCode.usage, /\nnetops: inventory \S+bad\.yaml has 6 problems; nothing was run\n$/),
    c(`${start} --address ${DOWN}`, ExitCode.unavailable, unreachable),
  ],
  'rollout status': [
    c('rollout status', ExitCode.usage, usage("missing required argument 'name'")),
    c('rollout status x --bogus', ExitCode.usage, usage("unknown option '--bogus'")),
    c(`rollout status nosuch --address ${DOWN}`, ExitCode.unavailable, unreachable),
    c(`rollout status nosuch --address ${UP}`, ExitCode.notFound, noRollout),
  ],
  'rollout watch': [
    c('rollout watch', ExitCode.usage, usage("missing required argument 'name'")),
    c(`rollout watch nosuch --interval 5 --address ${UP}`, ExitCode.usage, fail('--interval: "5" is not valid (expected a whole number of at least 100)')),
    c(`rollout watch nosuch --address ${DOWN}`, ExitCode.unavailable, unreachable),
    c(`rollout watch nosuch --address ${UP}`, ExitCode.notFound, noRollout),
  ],
  'rollout list': [
    c('rollout list extra', ExitCode.usage, usage("too many arguments for 'list'. Expected 0 arguments but got 1.")),
    c(`rollout list --limit 0 --address ${UP}`, ExitCode.usage, fail('--limit: "0" is not valid (expected a whole number of at least 1)')),
    c(`rollout list --address ${DOWN}`, ExitCode.unavailable, unreachable),
  ],
  ...Object.fromEntries(
    ['pause', 'resume', 'approve', 'abort'].map((verb) => [
      `rollout ${verb}`,
      [
        c(`rollout ${verb}`, ExitCode.usage, usage("missing required argument 'name'")),
        c(`rollout ${verb} nosuch --bogus`, ExitCode.usage, usage("unknown option '--bogus'")),
        c(`rollout ${verb} nosuch --address ${DOWN}`, ExitCode.unavailable, unreachable),
        c(`rollout ${verb} nosuch --address ${UP}`, ExitCode.notFound, noRollout),
      ],
    ]),
  ),
  ...Object.fromEntries(
    ['retry', 'skip'].map((verb) => [
      `rollout ${verb}`,
      [
        c(`rollout ${verb} nosuch`, ExitCode.usage, usage("missing required argument 'device'")),
        c(`rollout ${verb} nosuch r1-a --address ${DOWN}`, ExitCode.unavailable, unreachable),
        c(`rollout ${verb} nosuch r1-a --address ${UP}`, ExitCode.notFound, noRollout),
      ],
    ]),
  ),
  'codec-server': [
    c('codec-server --bogus', ExitCode.usage, usage("unknown option '--bogus'")),
    c('codec-server --port abc', ExitCode.usage, fail('--port: "abc" is not a TCP port (expected a whole number from 1 to 65535)')),
    c('codec-server --ui-origin notaurl', ExitCode.usage, fail('--ui-origin notaurl is not a URL; use e.g. http://127.0.0.1:8233')),
    c('codec-server', ExitCode.usage, fail('no bearer token: pass --token-file <path> or set NETOPS_CODEC_TOKEN (make one with `openssl rand -hex 32`), or --no-auth behind your own proxy')),
    c(`codec-server --no-auth --key-file ${MISSING('keys')}`, ExitCode.usage, fail(`cannot read key file ${MISSING('keys')}: ENOENT`)),
    c(`codec-server --token-file ${MISSING('token')}`, ExitCode.usage, fail(`cannot read token file ${MISSING('token')}: ENOENT`)),
  ],
  'config push': [
    c('config push', ExitCode.usage, usage("required option '--inventory <file>' not specified")),
    c(`config push --inventory ${INV}`, ExitCode.usage, fail('give the configuration with --template FILE or --lines FILE')),
    c(`${push} --bogus`, ExitCode.usage, usage("unknown option '--bogus'")),
    c(`config push --inventory ${INV} --template ${MISSING('t.liquid')}`, ExitCode.usage, fail(`--template: cannot read ${MISSING('t.liquid')}: no such file`)),
    c(`config push --inventory ${INV} --lines ${MISSING('l.txt')}`, ExitCode.usage, fail(`--lines: cannot read ${MISSING('l.txt')}: no such file`)),
    c(`${push} --template ${LINES}`, ExitCode.usage, fail('--template and --lines exclude each other: give one')),
    c(`${push} --settle abc`, ExitCode.usage, fail('--settle: "abc" is not a duration (e.g. 90s, 20m, 1h)')),
    c(`${push} --verify magic`, ExitCode.usage, fail('--verify: "magic" is not a check (expected a comma list of redundancy, interfaces, bgp, or none)')),
    c(`config push --inventory ${MISSING('inv.yaml')} --lines ${LINES}`, ExitCode.usage, missingInventory(MISSING('inv.yaml'), `inventory ${MISSING('inv.yaml')} has 1 problem; nothing was run`)),
    c(`${push} --address ${DOWN}`, ExitCode.unavailable, unreachable),
  ],
  dashboard: [
    c('dashboard bogus', ExitCode.usage, usage("unknown command 'bogus'")),
    c('dashboard status', ExitCode.usage, usage("required option '--url <url>' not specified")),
    c('dashboard status --url notaurl --api-key-ref env:NETOPS_TEST_DASH_KEY --org 1', ExitCode.usage, fail('--url: "notaurl" is not a URL (e.g. https://api.meraki.com/api/v1)')),
    c('dashboard status --url http://127.0.0.1:9/api/v1 --api-key-ref secret123 --org 1', ExitCode.usage, fail('--api-key-ref: expected a reference (use env:NAME or file:PATH, never the secret itself)')),
    c(`${dash} --per-page 2`, ExitCode.usage, fail('--per-page: "2" is not valid (expected a whole number from 3 to 1000)')),
    c(`${dash} --address ${DOWN}`, ExitCode.unavailable, unreachable),
    c('dashboard rollout start --url http://127.0.0.1:9/api/v1 --api-key-ref env:NETOPS_TEST_DASH_KEY --org 1', ExitCode.usage, usage("required option '--firmware <version>' not specified")),
    c('dashboard rollout start --url http://127.0.0.1:9/api/v1 --api-key-ref env:NETOPS_TEST_DASH_KEY --org 1 --firmware x', ExitCode.usage, fail('--api-key-ref: cannot resolve secret env:NETOPS_TEST_DASH_KEY: environment variable NETOPS_TEST_DASH_KEY is not set on this worker')),
  ],
  collect: [
    c('collect run', ExitCode.usage, usage("required option '--inventory <file>' not specified")),
    c(`collect run --inventory ${INV} --batch-size 0`, ExitCode.usage, fail('--batch-size: "0" is not valid (expected a whole number from 1 to 1000)')),
    c(`collect run --inventory ${INV} --command-profile nope`, ExitCode.usage, usage("option '--command-profile <name>' argument 'nope' is invalid. Allowed choices are health.")),
    c(`collect run --inventory ${MISSING('inv.yaml')}`, ExitCode.usage, missingInventory(MISSING('inv.yaml'), `inventory ${MISSING('inv.yaml')} has 1 problem; nothing was run`)),
    c(`collect run --inventory ${INV} --address ${DOWN}`, ExitCode.unavailable, unreachable),
    c('collect show', ExitCode.usage, usage("missing required argument 'run'")),
    c(`collect show nosuch --results-dir ${dir}`, ExitCode.notFound, fail(`no collection run 'nosuch' in ${dir}; list runs with \`ls\` of that directory or run \`netops collect run\``)),
    c('collect diff a', ExitCode.usage, usage("missing required argument 'runB'")),
    c(`collect diff a b --results-dir ${dir}`, ExitCode.notFound, fail(`no collection run 'a' in ${dir}`)),
    c(`collect schedule create s1 --inventory ${INV} --every abc --address ${UP}`, ExitCode.usage, fail('--every: "abc" is not an interval (a whole number and s, m, h or d, e.g. 15m)')),
    c(`collect schedule pause nosuch --address ${UP}`, ExitCode.notFound, fail('no such collection schedule: nosuch')),
    c(`collect schedule list --address ${DOWN}`, ExitCode.unavailable, unreachable),
  ],
};

// ---- in-process runs with per-run output capture ---------------------------

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

const capture = new AsyncLocalStorage<{ stdout: string; stderr: string }>();
let address: string;

function routeWrites(stream: NodeJS.WriteStream, key: 'stdout' | 'stderr'): void {
  const original = stream.write.bind(stream);
  vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const sink = capture.getStore();
    if (!sink) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    sink[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  }) as typeof stream.write);
}

async function runInProcess(args: string[]): Promise<Captured> {
  const sink = { stdout: '', stderr: '' };
  const argv = ['node', 'netops', ...args.map((a) => (a === UP ? address : a))];
  const code = await capture.run(sink, () => main(argv));
  return { code, ...sink };
}

function expectCase(run: Captured, kase: Case): void {
  const label = `netops ${kase.args.join(' ')}`;
  expect(run.stderr, `${label}: no stack trace`).not.toMatch(/^\s+at /m);
  if (typeof kase.stderr === 'string') expect(run.stderr, label).toBe(kase.stderr);
  else expect(run.stderr, label).toMatch(kase.stderr);
  expect(run.code, `${label} exit code (stderr: ${run.stderr})`).toBe(kase.code);
  expect(run.stdout, `${label}: nothing on stdout`).toBe('');
}

beforeAll(() => {
  address = inject('temporalAddress');
  routeWrites(process.stdout, 'stdout');
  routeWrites(process.stderr, 'stderr');
  // Temporal's own env settings must not redirect the cases that name no --address.
  for (const v of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_PROFILE', 'TEMPORAL_API_KEY', 'NETOPS_CODEC_TOKEN', 'NETOPS_CODEC_KEY_FILE', 'NETOPS_CODEC_KEYS']) vi.stubEnv(v, undefined);
  const all = Object.values(CASES).flat();
  results = Promise.all(all.map(async (k) => [k, await runInProcess(k.args)] as const)).then((pairs) => new Map(pairs));
});

afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

// Connection timeouts dominate the run time: start every case at once, check them per command.
let results: Promise<Map<Case, Captured>>;

describe.each(Object.entries(CASES))('netops %s', (_command, cases) => {
  it(`refuses bad input with one clear line and the documented exit code (${cases.length} cases)`, async () => {
    const runs = await results;
    for (const kase of cases) expectCase(runs.get(kase)!, kase);
  });
});

// ---- the real executable -----------------------------------------------------

describe('bin/netops.cjs as a process', () => {
  it('exits with the same codes and messages a script sees', async () => {
    const env = { TEMPORAL_ADDRESS: '', NETOPS_CODEC_TOKEN: '' };
    const picks: Case[] = [
      c('rollout pause', ExitCode.usage, usage("missing required argument 'name'")),
      c(`rollout start --inventory ${INV} ${NO_FRR} --image ${MISSING('x.bin')}`, ExitCode.usage, fail(`--image: cannot read ${MISSING('x.bin')} (ENOENT)`)),
      c(`rollout status nosuch --address ${UP}`, ExitCode.notFound, noRollout),
      c(`rollout approve nosuch --address ${DOWN}`, ExitCode.unavailable, unreachable),
      c(`worker --address ${DOWN}`, ExitCode.unavailable, /^netops: cannot reach Temporal at 127\.0\.0\.1:1 \(connection refused\); start one with `npx netops server` or set --address \/ TEMPORAL_ADDRESS\n$/),
    ];
    const runs = await Promise.all(picks.map((k) => runCli(k.args.map((a) => (a === UP ? address : a)), { env })));
    runs.forEach((run, i) => expectCase({ code: run.code ?? -1, stdout: run.stdout, stderr: run.stderr }, picks[i]!));
  });

  it('stops quietly when its reader goes away (`netops --help | head -1`)', async () => {
    const child = spawn(process.execPath, [NETOPS_BIN, 'rollout', 'start', '--help'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Close the pipe before it writes, like a `head` that has already read enough.
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(code).toBe(0);
  });
});
