import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_OUTCOMES, ENGINE_OUTCOMES, JOB_KINDS, JOB_KIND_NAMES, jobLabel, jobTitle, reportOutcomes, type JobKind } from '../../../src/contracts/job-kinds';
import { OUTCOMES as WIRE_OUTCOMES, rolloutJobSchema } from '../../../src/contracts/rollout-schemas';
import type { DeviceTarget, NetworkTarget, RolloutInput, RolloutJob } from '../../../src/contracts/rollout';
import { configPushInputFromFlags, type ConfigPushFlags } from '../../../src/cli/rollout/config-push';
import { rolloutInputFromFlags } from '../../../src/cli/rollout/start';
import { dashboardFromFlags, firmwareRolloutInput } from '../../../src/cli/dashboard/dashboard';
import { defaultRolloutName } from '../../../src/cli/rollout/job-input';
import { CliError, ExitCode } from '../../../src/cli/shared/cli-error';
import { labImageName, makeLabImage } from '../../../src/lab';
import { childSpec, JOB_PROCEDURES } from '../../../src/workflows/jobs';
import * as registered from '../../../src/workflows';
import { OUTCOMES, RolloutBook } from '../../../src/workflows/rollout-state';
import { renderConfigReport } from '../../../src/cli/rollout/config-report';

const INVENTORY = join(__dirname, '..', '..', 'fixtures', 'inventory', 'lab.yaml');

const device: DeviceTarget = { name: 'r1-a', host: '127.0.0.1', port: 22, platform: 'iosxe', site: 'ams1', groups: [], credentials: 'defaults', hostKeyCheck: 'strict' } as unknown as DeviceTarget;
const network: NetworkTarget = { kind: 'network', name: 'L_1', site: '500000', groups: [], orgId: '500000', networkId: 'L_1' };
const dashboard = dashboardFromFlags({ url: 'https://api.example.com/api/v1', apiKeyRef: 'env:MERAKI_KEY', org: '500000' }).dashboard;

const JOBS: { [K in JobKind]: Extract<RolloutJob, { kind: K }> } = {
  upgrade: { kind: 'upgrade', image: { fileName: 'cat9k.17.12.04.bin', version: '17.12.04', md5: '0'.repeat(32), sizeBytes: 1, path: '/x' }, rollbackOnFailedPostCheck: true },
  config: { kind: 'config', label: 'ntp.liquid', lineSets: [['ntp server 10.0.0.1']], lineSetOf: { 'r1-a': 0 }, saveAfter: true },
  'dashboard-firmware': { kind: 'dashboard-firmware', firmware: 'MS 17.1.4', dashboard },
};
const TARGETS: { [K in JobKind]: DeviceTarget | NetworkTarget } = { upgrade: device, config: device, 'dashboard-firmware': network };
/** The workflow types recorded histories and other clients start: they must never change. */
const CHILD_TYPES: Record<JobKind, string> = { upgrade: 'deviceUpgradeWorkflow', config: 'deviceConfigWorkflow', 'dashboard-firmware': 'dashboardNetworkUpgradeWorkflow' };

function rolloutOf(job: RolloutJob, dryRun = false): RolloutInput {
  const target = TARGETS[job.kind];
  return {
    name: 'r',
    job,
    devices: [target],
    sites: {},
    settings: { window: 1, expectedDeviceDurationMs: 1, respectWindows: false, failureBudget: {}, requireApproval: false, dryRun, timings: { reloadTimeoutMs: 1, pollInitialMs: 1, pollMaxMs: 1, drainTimeoutMs: 1, settleMs: 0, stageTimeoutMs: 1, heartbeatTimeoutMs: 1 } },
  };
}

describe('the table of job kinds', () => {
  it('has the kinds the input schema accepts, each with a procedure, and nothing else', () => {
    const schemaKinds = rolloutJobSchema.options.map((o) => o.shape.kind.value);
    expect([...JOB_KIND_NAMES].sort()).toEqual([...schemaKinds].sort());
    expect(Object.keys(JOB_PROCEDURES).sort()).toEqual([...JOB_KIND_NAMES].sort());
  });

  it('counts every outcome the wire format knows, each once, and no other', () => {
    expect([...ALL_OUTCOMES].sort()).toEqual([...WIRE_OUTCOMES].sort());
    expect(new Set(ALL_OUTCOMES).size).toBe(ALL_OUTCOMES.length);
    expect(OUTCOMES).toBe(ALL_OUTCOMES);
  });

  it.each(JOB_KIND_NAMES)('%s: its outcomes are known, it can fail, and its report lists its own outcomes first', (kind) => {
    const own = JOB_KINDS[kind].outcomes;
    for (const o of own) expect(WIRE_OUTCOMES).toContain(o);
    expect(own).toContain('failed');
    const order = reportOutcomes(kind);
    expect(order.slice(0, own.length)).toEqual(own);
    expect([...order].sort()).toEqual([...WIRE_OUTCOMES].sort());
    for (const o of ENGINE_OUTCOMES) expect(order).toContain(o);
  });

  it('labels and titles a rollout with what it installs or applies', () => {
    expect(JOB_KIND_NAMES.map((k) => jobLabel(JOBS[k]))).toEqual(['17.12.04', 'ntp.liquid', 'MS 17.1.4']);
    expect(jobTitle(rolloutOf(JOBS.upgrade))).toBe('Upgrade of 1 devices to 17.12.04');
    expect(jobTitle(rolloutOf(JOBS.config, true))).toBe('Dry run of a config push "ntp.liquid" to 1 devices');
    expect(jobTitle(rolloutOf(JOBS['dashboard-firmware']))).toBe('Firmware rollout of 1 networks to MS 17.1.4');
  });

  it('a config push dry run reads "would change" first, as docs/config-push.md shows it', () => {
    const names = ['r1-a', 'r1-b', 'r2-a', 'r2-b'];
    const book = RolloutBook.fresh({ order: names, canary: [] } as never, names.map((name) => ({ ...device, name })));
    for (const [i, name] of names.entries()) book.finish(name, i === 1 ? 'unchanged' : 'ready', 1, {});
    const report = book.report({ name: 'ntp', status: 'completed', targetVersion: 'ntp.liquid', dryRun: true, startedAtMs: 0, endedAtMs: 2000 }, reportOutcomes('config'));
    expect(renderConfigReport(report).split('\n')[0]).toBe('dry run ntp (ntp.liquid) completed: 3 would change, 1 unchanged in 2s');
  });
});

describe('the child each kind starts', () => {
  it.each(JOB_KIND_NAMES)('%s: the registered workflow function under its recorded type name, with the kind\'s search attribute', (kind) => {
    const spec = childSpec(rolloutOf(JOBS[kind]), TARGETS[kind]);
    expect(spec.workflow.name).toBe(CHILD_TYPES[kind]);
    expect((registered as Record<string, unknown>)[CHILD_TYPES[kind]]).toBe(spec.workflow);
    expect(spec.kind).toBe(JOB_KINDS[kind].childKind);
    expect(spec.args).toHaveLength(1);
  });

  it.each(JOB_KIND_NAMES)('%s: refuses a target of the other kind, naming both', (kind) => {
    const wrong = TARGETS[kind] === device ? network : device;
    const expected = JOB_KINDS[kind].targets === 'device' ? `${kind} works on SSH devices; L_1 is a dashboard network` : `${kind} works on dashboard networks; r1-a is an SSH device`;
    expect(() => childSpec(rolloutOf(JOBS[kind]), wrong)).toThrow(expected);
  });
});

describe('the three CLI input builders refuse the shared flags the same way', () => {
  let dir: string;
  let image: string;
  let lines: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netops-job-input-'));
    image = join(dir, labImageName('iosxe', '17.12.04'));
    writeFileSync(image, makeLabImage('17.12.04', 1024));
    lines = join(dir, 'ntp.cfg');
    writeFileSync(lines, 'ntp server 10.0.0.1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const policy = { window: '1', maxUnavailable: '1', siteConcurrency: '1', duration: '10', horizonDays: '14', failureBudget: '0', approval: true };
  const builders: Record<string, (bad: { name?: string; canary?: string }) => Promise<RolloutInput>> = {
    'rollout start': (bad) => rolloutInputFromFlags({ inventory: INVENTORY, format: 'auto', filter: 'platform != frr', image, timings: 'lab', rollback: true, ...policy, ...bad }),
    'config push': (bad) =>
      configPushInputFromFlags({ inventory: INVENTORY, format: 'auto', lines, timings: 'lab', verify: 'none', settle: '0s', save: true, ...policy, ...bad } as ConfigPushFlags),
    'dashboard rollout start': async (bad) =>
      firmwareRolloutInput({ url: 'https://api.example.com/api/v1', apiKeyRef: 'env:K', org: '500000', taskQueue: 'netops', firmware: 'MS 17.1.4', orgConcurrency: '1', pollInterval: '10s', ...policy, ...bad }, dashboard, [network]),
  };

  async function refusal(build: () => Promise<RolloutInput>): Promise<{ message: string; exitCode: number }> {
    try {
      await build();
    } catch (err) {
      if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
      throw err;
    }
    throw new Error('accepted');
  }

  const cases: [string, { name?: string; canary?: string }, string][] = [
    ['a name that cannot be a workflow id', { name: 'bad/name' }, `--name: "bad/name" is not a rollout name (letters, digits, '.', '_', '-'; at most 80)`],
    ['a name over 80 characters', { name: 'a'.repeat(81) }, `--name: "${'a'.repeat(81)}" is not a rollout name (letters, digits, '.', '_', '-'; at most 80)`],
    ['an empty canary list', { canary: ' , ' }, '--canary: " , " is neither a count nor a comma list of names'],
    ['a canary that is not selected', { canary: 'nosuch' }, 'canary device(s) not in the selection: nosuch'],
  ];
  for (const [what, bad, message] of cases) {
    it(`${what}: one message, exit code ${ExitCode.usage}, from every command`, async () => {
      for (const [command, build] of Object.entries(builders)) {
        expect(await refusal(() => build(bad)), command).toEqual({ message, exitCode: ExitCode.usage });
      }
    });
  }

  it('accept the same canary and name in every command, approval only with a canary', async () => {
    for (const [command, build] of Object.entries(builders)) {
      const canary = command === 'dashboard rollout start' ? 'L_1' : 'r1-a';
      const input = await build({ name: 'same-name', canary });
      expect(input.name, command).toBe('same-name');
      expect(input.settings.canary, command).toEqual({ devices: [canary] });
      expect(input.settings.requireApproval, command).toBe(true);
      expect((await build({})).settings.requireApproval, command).toBe(false);
    }
  });

  it('name a rollout by default from its kind and label, within the name rule', () => {
    const at = Date.UTC(2026, 11, 4, 21, 30, 5);
    expect(defaultRolloutName(JOBS.upgrade, at)).toBe('17.12.04-20261204-213005');
    expect(defaultRolloutName(JOBS.config, at)).toBe('config-ntp.liquid-20261204-213005');
    expect(defaultRolloutName(JOBS['dashboard-firmware'], at)).toBe('MS_17.1.4-20261204-213005');
    const long = defaultRolloutName({ ...JOBS.config, label: `/${'x'.repeat(200)}` }, at);
    expect(long).toMatch(/^config-_x+-20261204-213005$/);
    expect(long.length).toBe(80);
  });
});
