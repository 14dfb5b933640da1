import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceWorkflowId, rolloutWorkflowId, type RolloutInput } from '../../../src/contracts/rollout';
import { startLabFixture, type LabFixture } from '../../support/rollout-fixture';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { buildActivities } from '../../../src/workers/activities';
import { problemPaths, runningOn, startAndFail } from './contract-helpers';

// The malformed inputs the issue measured, sent by name as another service
// would: each must end the workflow on its first task with InvalidInput and
// the bad fields named, leave nothing Running and no device/<name> held.
let env: TemporalTestEnv;
let fx: LabFixture;
let good: RolloutInput;

beforeAll(async () => {
  env = await connectTestEnv();
  await env.startWorker(buildActivities());
  fx = await startLabFixture({ devices: 2 });
  good = JSON.parse(JSON.stringify(await fx.input('contract-good', { requireApproval: false }))) as RolloutInput;
});

afterAll(async () => {
  await env?.close();
  await fx?.stop();
});

type Json = Record<string, unknown> & { settings: Record<string, unknown>; job: { image: Record<string, unknown> }; devices?: Array<Record<string, unknown> & { credentials: Record<string, unknown> }> };
const cases: Array<[string, (i: Json) => void, string[]]> = [
  ['without devices', (i) => delete i.devices, ['/devices']],
  ['without sites', (i) => delete i.sites, ['/sites']],
  ['with a typo (dryrun) and without md5', (i) => ((i.settings.dryrun = true), delete i.job.image.md5), ['/settings/dryrun', '/job/image/md5']],
  ['with a literal password', (i) => (i.devices![0]!.credentials.password = 'literal-hunter2'), ['/devices/0/credentials/password']],
  ['with an unknown platform', (i) => (i.devices![1]!.platform = 'junos'), ['/devices/1/platform']],
];

describe('rolloutWorkflow started by name with a malformed input', () => {
  for (const [what, breakIt, paths] of cases) {
    it(`${what}: ends within seconds with InvalidInput naming ${paths.join(', ')}`, async () => {
      const bad = structuredClone(good) as unknown as Json;
      breakIt(bad);
      const name = `bad-${paths[0]!.replace(/\W/g, '')}`;
      const ended = await startAndFail(env.client, env.taskQueue, 'rolloutWorkflow', rolloutWorkflowId(name), { ...bad, name });
      expect(ended.type).toBe('InvalidInput');
      expect(ended.nonRetryable).toBe(true);
      expect(problemPaths(ended).sort()).toEqual([...paths].sort());
      expect(ended.message).toContain('rolloutWorkflow: the input does not match schemas/rollout-input.schema.json');
      expect(ended.message).not.toContain('literal-hunter2');
      expect(ended.ms).toBeLessThan(10_000);
    });
  }

  it('without timings: runs with the documented default instead of looping (checked by the plan it makes in a dry run)', async () => {
    const input = structuredClone(good) as unknown as Json;
    delete input.settings.timings;
    input.settings.dryRun = true;
    const handle = await env.client.workflow.start('rolloutWorkflow', { taskQueue: env.taskQueue, workflowId: rolloutWorkflowId('no-timings'), args: [{ ...input, name: 'no-timings' }] });
    const report = (await handle.result()) as { status: string; counts: Record<string, number> };
    expect(report.status).toBe('completed');
    expect(report.counts.ready).toBe(2);
  });
});

describe('device children started directly with a malformed input', () => {
  it('deviceUpgradeWorkflow without timings fields of the right type ends at once and frees device/<name>', async () => {
    const device = good.devices[0]!;
    const child = { rollout: 'x', device, image: (good.job as { image: unknown }).image, timings: { reloadTimeoutMs: 'soon' } };
    const ended = await startAndFail(env.client, env.taskQueue, 'deviceUpgradeWorkflow', deviceWorkflowId(device.name), child);
    expect(ended.type).toBe('InvalidInput');
    expect(problemPaths(ended)).toEqual(['/timings/reloadTimeoutMs']);
    // The id is free again: the next operation on the device can start.
    const again = await startAndFail(env.client, env.taskQueue, 'deviceUpgradeWorkflow', deviceWorkflowId(device.name), { ...child, timings: 'lab', dryRun: 'no' });
    expect(problemPaths(again)).toEqual(['/dryRun']);
  });

  it('every other workflow kind refuses an unknown field the same way', async () => {
    const kinds: Array<[string, unknown, string]> = [
      ['deviceConfigWorkflow', { rollout: 'x', device: good.devices[0], label: 'l', lines: [], verify: { redundancy: true, interfaces: true, bgp: true, settleMs: 0 }, saveAfter: false, backupName: 'b.cfg', colour: 1 }, '/colour'],
      ['collectWorkflow', { name: 'c', devices: good.devices, store: { kind: 'local' }, colour: 1 }, '/colour'],
      ['probeWorkflow', { targets: [], colour: 1 }, '/colour'],
      ['dashboardStatusWorkflow', { dashboard: { baseUrl: 'https://api.example.test/api/v1', apiKey: { kind: 'env', name: 'K' } }, orgIds: ['1'], colour: 1 }, '/colour'],
      ['dashboardOrgStatusWorkflow', { dashboard: { baseUrl: 'https://api.example.test/api/v1', apiKey: { kind: 'env', name: 'K' } }, orgId: '1', colour: 1 }, '/colour'],
      ['dashboardNetworkUpgradeWorkflow', { rollout: 'x', network: { kind: 'network', name: 'n', site: 'o', orgId: '1', networkId: 'N_1' }, job: { kind: 'dashboard-firmware', firmware: 'MS 17', dashboard: { baseUrl: 'https://api.example.test/api/v1', apiKey: { kind: 'env', name: 'K' } } }, colour: 1 }, '/colour'],
    ];
    for (const [type, input, path] of kinds) {
      const ended = await startAndFail(env.client, env.taskQueue, type, `contract-${type}`, input);
      expect(ended.type, type).toBe('InvalidInput');
      expect(problemPaths(ended), type).toEqual([path]);
    }
  });

  it('leaves no workflow of this file Running', async () => {
    const running = await runningOn(env.client, env.taskQueue);
    expect(running, running.join(', ')).toEqual([]);
  });
});
