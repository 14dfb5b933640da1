import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerError } from '../../../src/devices/rest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { assertContract } from '../dashboard/contract';
import { activitiesFor, clientFor, networkRef, runActivity } from './helpers';

const MS17 = { id: '3017', shortName: 'MS 17.1.4', firmware: 'switch-17-1-4' };
const rollbackBody = { product: 'switch', reasons: [{ category: 'testing', comment: 'lab' }], toVersion: { id: '3015' } };

describe('writes are never sent twice', () => {
  let sim: DashboardSim;
  let org: string;
  let network: string;
  beforeEach(async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 2, devicesPerNetwork: 6, rateLimitPerSec: 1_000, timeScale: 1, seed: 11, productTypes: ['switch'] });
    org = sim.orgIds[0] as string;
    network = sim.networkIds(org)[0] as string;
  });
  afterEach(async () => {
    assertContract(sim.log.entries);
    await sim.stop();
  });

  it('a 5xx on a POST is not retried: one POST in the log, a typed error saying the write may have happened, with the X-Request-Id', async () => {
    const client = clientFor(sim, { maxAttempts: 5 });
    sim.setFault({ kind: 'server-error', status: 502, next: 1, method: 'POST' });
    const err = await client.request({ method: 'POST', orgId: org, path: `/networks/${network}/firmwareUpgrades/rollbacks`, body: rollbackBody }).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ retryable: false, status: 502 });
    expect((err as Error).message).toMatch(/may or may not have happened/);
    expect((err as Error).message).toMatch(/before sending it again/);
    const posts = sim.log.filter({ method: 'POST' });
    expect(posts).toHaveLength(1);
    // What Meraki support asks for, in the message and the failure details.
    expect((err as ServerError).requestId).toBe(posts[0]?.requestId);
    expect((err as Error).message).toContain(`X-Request-Id ${posts[0]?.requestId}`);
    expect((err as ServerError).toJSON()).toMatchObject({ requestId: posts[0]?.requestId });
  });

  it('a 5xx on a GET is retried until it succeeds', async () => {
    const client = clientFor(sim, { maxAttempts: 4 });
    sim.setFault({ kind: 'server-error', status: 503, next: 2, method: 'GET' });
    const res = await client.request({ method: 'GET', orgId: org, path: `/networks/${network}` });
    await client.close();
    expect(res).toMatchObject({ status: 200, attempts: 3 });
    expect(sim.log.filter({ method: 'GET' }).map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it('scheduleFirmwareUpgrade: a 5xx after the PUT was applied fails the attempt retryably, and the retry reads instead of writing again', async () => {
    const acts = activitiesFor();
    const net = networkRef(sim, org, network);
    const req = { product: 'switch' as const, toVersion: MS17, time: '2999-01-01T00:00:00Z' };
    sim.setFault({ kind: 'server-error', status: 500, next: 1, method: 'PUT', when: 'after' });
    const first = await runActivity(acts.scheduleFirmwareUpgrade, [net, req]);
    expect(first.error).toBeInstanceOf(ApplicationFailure);
    expect(first.error).toMatchObject({ type: 'WriteOutcomeUnknown', nonRetryable: false });
    const second = await runActivity(acts.scheduleFirmwareUpgrade, [net, req]);
    expect(second.result).toMatchObject({ alreadyScheduled: true, ours: true, time: '2999-01-01T00:00:00Z' });
    expect(sim.log.filter({ method: 'PUT' })).toHaveLength(1);
  });

  it('the same version already pending with another time is someone else\'s: followed, not replaced', async () => {
    const acts = activitiesFor();
    const net = networkRef(sim, org, network);
    const a = await runActivity(acts.scheduleFirmwareUpgrade, [net, { product: 'switch', toVersion: MS17, time: '2999-01-01T00:00:00Z' }]);
    const b = await runActivity(acts.scheduleFirmwareUpgrade, [net, { product: 'switch', toVersion: MS17, time: '2999-02-01T00:00:00Z' }]);
    expect(a.result).toMatchObject({ alreadyScheduled: false, ours: true });
    expect(b.result).toMatchObject({ alreadyScheduled: true, ours: false, time: '2999-01-01T00:00:00Z' });
    expect(sim.log.filter({ method: 'PUT' })).toHaveLength(1);
  });

  it('a PUT the dashboard refuses (a version it does not offer) is a BadRequest with the dashboard\'s words, not retried', async () => {
    const acts = activitiesFor();
    const run = await runActivity(acts.scheduleFirmwareUpgrade, [networkRef(sim, org, network), { product: 'switch', toVersion: { id: '9999' }, time: '2999-01-01T00:00:00Z' }]);
    expect(run.error).toMatchObject({ type: 'BadRequest', nonRetryable: true });
    expect((run.error as Error).message).toMatch(/PUT \/api\/v1\/networks\/.*\/firmwareUpgrades answered 400: Invalid firmware version id '9999' for product 'switch'/);
    expect(sim.log.filter({ method: 'PUT' })).toHaveLength(1);
  });
});
