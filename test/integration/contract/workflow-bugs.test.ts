import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMING_PRESETS } from '../../../src/contracts/timing-presets';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';
import { runningOn, startAndFail } from './contract-helpers';

// A valid input cannot hang a workflow either: when the code meets something
// nobody expected (here: a worker whose activities answer in a shape the
// workflow does not know, as a half-deployed worker fleet would), the
// execution fails at once with the error's type, instead of retrying its
// workflow task forever while it holds its id.
let env: TemporalTestEnv;

const credentials = { set: 'lab', username: 'netops', password: { kind: 'env', name: 'LAB_PASSWORD' } };
const device = (name: string) => ({ name, host: '127.0.0.1', port: 2201, platform: 'iosxe', site: 's1', groups: [], redundancyGroup: 'g1', credentials, hostKeyCheck: 'off' });

beforeAll(async () => {
  env = await connectTestEnv();
  await env.startWorker({
    redundancyRoles: async () => null,
    tcpProbe: async () => null,
    beginCollectRun: async () => undefined,
    collectBatch: async () => null,
    snapshot: async () => null,
  });
});

afterAll(async () => {
  await env?.close();
});

describe('an unexpected error in the workflow code fails the execution, for each kind', () => {
  it('rolloutWorkflow (roles answered as null)', async () => {
    const input = {
      name: 'bug-rollout',
      job: { kind: 'upgrade', image: { fileName: 'cat9k_iosxe.17.12.04.SPA.bin', md5: '0'.repeat(32), sizeBytes: 1, path: '/nowhere' } },
      devices: [device('b1-a'), device('b1-b')],
      sites: { s1: { name: 's1', timezone: 'UTC', windows: [] } },
      settings: { timings: 'lab' },
    };
    const ended = await startAndFail(env.client, env.taskQueue, 'rolloutWorkflow', 'rollout/bug-rollout', input);
    expect(ended.type).toBe('TypeError');
    expect(ended.ms).toBeLessThan(15_000);
  });

  it('probeWorkflow (a probe answered as null)', async () => {
    const ended = await startAndFail(env.client, env.taskQueue, 'probeWorkflow', 'bug-probe', { targets: [{ name: 'x', host: '127.0.0.1', port: 1 }] });
    expect(ended.type).toBe('TypeError');
  });

  it('collectWorkflow (a batch answered as null)', async () => {
    const ended = await startAndFail(env.client, env.taskQueue, 'collectWorkflow', 'collect/bug-collect', { name: 'bug-collect', devices: [device('c1')], store: { kind: 'local' } });
    expect(ended.type).toBe('TypeError');
  });

  it('deviceUpgradeWorkflow (a snapshot answered as null): its own catch makes it a typed device failure', async () => {
    const input = { rollout: 'bug', device: device('d1'), image: { fileName: 'cat9k_iosxe.17.12.04.SPA.bin', md5: '0'.repeat(32), sizeBytes: 1, path: '/nowhere' }, timings: { ...TIMING_PRESETS.lab } };
    const ended = await startAndFail(env.client, env.taskQueue, 'deviceUpgradeWorkflow', 'device/bug-d1', input);
    expect(ended.nonRetryable).toBe(true);
    expect(ended.message).toMatch(/reading|null/);
  });

  it('leaves no workflow of this file Running', async () => {
    const running = await runningOn(env.client, env.taskQueue);
    expect(running, running.join(', ')).toEqual([]);
  });
});
