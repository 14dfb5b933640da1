import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerError } from '../../../src/devices/rest';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { activitiesFor, clientFor, networkRef, runActivity } from './helpers';

const EVENTS = '/firmwareUpgrades/staged/events';

describe('writes are never sent twice', () => {
  let sim: DashboardSim;
  let org: string;
  let network: string;
  beforeEach(async () => {
    sim = await startDashboardSim({ orgs: 1, networksPerOrg: 2, devicesPerNetwork: 6, rateLimitPerSec: 1_000, timeScale: 1, seed: 11 });
    org = sim.orgIds[0] as string;
    network = sim.networkIds(org)[0] as string;
  });
  afterEach(() => sim.stop());

  it('a 5xx on a POST is not retried: one POST in the log, a typed error saying the write may have happened', async () => {
    const client = clientFor(sim, { maxAttempts: 5 });
    sim.setFault({ kind: 'server-error', status: 502, next: 1, method: 'POST' });
    const err = await client
      .request({ method: 'POST', orgId: org, path: `/networks/${network}${EVENTS}`, body: { toVersion: { shortName: 'MS 16.8' } } })
      .catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ retryable: false, status: 502 });
    expect((err as Error).message).toMatch(/may or may not have happened/);
    expect((err as Error).message).toMatch(/before sending it again/);
    expect(sim.log.filter({ method: 'POST' })).toHaveLength(1);
  });

  it('a 5xx on a GET is retried until it succeeds', async () => {
    const client = clientFor(sim, { maxAttempts: 4 });
    sim.setFault({ kind: 'server-error', status: 503, next: 2, method: 'GET' });
    const res = await client.request({ method: 'GET', orgId: org, path: `/networks/${network}` });
    await client.close();
    expect(res).toMatchObject({ status: 200, attempts: 3 });
    expect(sim.log.filter({ method: 'GET' }).map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it('a POST may be retried when the caller declares its idempotency key safe', async () => {
    const client = clientFor(sim, { maxAttempts: 3 });
    sim.setFault({ kind: 'server-error', status: 500, next: 1, method: 'POST' });
    const res = await client.request({
      method: 'POST',
      orgId: org,
      path: `/networks/${network}${EVENTS}`,
      body: { toVersion: { shortName: 'MS 16.8' } },
      idempotencyKey: 'k-1',
      idempotencyKeySafe: true,
    });
    await client.close();
    expect(res.status).toBe(201);
    expect(sim.log.filter({ method: 'POST' }).map((e) => e.status)).toEqual([500, 201]);
  });

  it('scheduleNetworkUpgrade: a 5xx after the write was applied fails the attempt retryably, and the retry reads instead of posting again', async () => {
    const acts = activitiesFor();
    const net = networkRef(sim, org, network);
    sim.setFault({ kind: 'server-error', status: 500, next: 1, method: 'POST', when: 'after' });
    const first = await runActivity(acts.scheduleNetworkUpgrade, [net, 'MS 16.8', 'rollout-42/net-1']);
    expect(first.error).toBeInstanceOf(ApplicationFailure);
    expect(first.error).toMatchObject({ type: 'WriteOutcomeUnknown', nonRetryable: false });
    const second = await runActivity(acts.scheduleNetworkUpgrade, [net, 'MS 16.8', 'rollout-42/net-1']);
    expect(second.result).toMatchObject({ alreadyScheduled: true, ours: true, status: 'inProgress' });
    expect(sim.log.filter({ method: 'POST' })).toHaveLength(1);
  });

  it('scheduleNetworkUpgrade run twice schedules once', async () => {
    const acts = activitiesFor();
    const net = networkRef(sim, org, network);
    const a = await runActivity(acts.scheduleNetworkUpgrade, [net, 'MS 16.8', 'key-a']);
    const b = await runActivity(acts.scheduleNetworkUpgrade, [net, 'MS 16.8', 'key-b']);
    expect(a.result).toMatchObject({ alreadyScheduled: false, ours: true });
    expect(b.result).toMatchObject({ alreadyScheduled: true, ours: false });
    expect(sim.log.filter({ method: 'POST' })).toHaveLength(1);
  });

  it('scheduleNetworkUpgrade refuses, non-retryably, while another firmware is being rolled out', async () => {
    const acts = activitiesFor();
    const net = networkRef(sim, org, network);
    await runActivity(acts.scheduleNetworkUpgrade, [net, 'MS 16.8', 'key-a']);
    const other = await runActivity(acts.scheduleNetworkUpgrade, [net, 'MS 17.1', 'key-b']);
    expect(other.error).toMatchObject({ type: 'UpgradeConflict', nonRetryable: true });
    expect((other.error as Error).message).toMatch(/already inProgress/);
    expect(sim.log.filter({ method: 'POST' })).toHaveLength(1);
  });
});
