import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { NetopsClient } from '../../../src/client/netops-client';
import { startCli, type LongRunning } from '../../support/cli-process';
import { assertContract } from './contract';
import { firmwareRollout, NEW_FIRMWARE, schedulePuts } from './fixture';
import { startDashboardEnv, type DashboardEnv } from './helpers';

const stagedPosts = (sim: { log: { filter: (q: { method: string }) => { apiPath: string; status: number; at: number }[] } }, networkId: string) =>
  sim.log.filter({ method: 'POST' }).filter((e) => e.apiPath === `/networks/${networkId}/firmwareUpgrades/staged/events`);

/**
 * Staged: the API has no idempotency key for staged events either, so a
 * POST staged/events that reached the dashboard from a worker that then died
 * must be recognised by the next attempt, on another worker, from the
 * network's own event (version and every stage's time): one event, never two.
 */
describe('a worker killed while its staged schedule is in flight', () => {
  let de: DashboardEnv;
  const workers: LongRunning[] = [];
  const startWorker = async () => {
    const w = startCli(['worker', '--address', inject('temporalAddress'), '--task-queue', de.env.taskQueue, '--dashboard-orgs', de.sim.orgIds.join(',')], { env: { NETOPS_LOG_LEVEL: 'error' } });
    workers.push(w);
    // A worker bundles the workflows on its first start for a source version; on a loaded host that takes minutes.
    await w.waitFor(/worker polling task queue/, 240_000);
    return w;
  };
  beforeAll(async () => {
    // No in-process worker: CLI workers run the workflows and the REST activities, so one can be killed.
    de = await startDashboardEnv({ orgs: 1, networksPerOrg: 2, devicesPerNetwork: 3, rateLimitPerSec: 10, timeScale: 6_000, seed: 18, productTypes: ['switch'] }, { mainWorker: false });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    if (de) assertContract(de.sim.log.entries);
    await de?.stop();
  });

  it('the next attempt, on a new worker, reads the staged event, finds its own stages and posts no second event', async () => {
    const { sim } = de;
    const first = await startWorker();
    const [held, other] = sim.networkIds() as [string, string];
    // The dashboard holds this POST for 4 s, then applies it: long enough to kill the worker that sent it.
    sim.setFault({ kind: 'slow', delayMs: 4_000, next: 1, method: 'POST', pathIncludes: `/networks/${held}/firmwareUpgrades/staged/events` });
    const netops = new NetopsClient(de.env.client, de.env.taskQueue);
    const input = firmwareRollout('st-kill', sim, de.dashboard, { window: 2 }, { staged: true });
    await netops.startRollout(input);
    await waitUntil(() => sim.inFlight().some((r) => r.method === 'POST' && r.path.includes(`${held}/firmwareUpgrades/staged/events`)));
    await first.stop('SIGKILL');
    await startWorker();
    const report = await netops.result('st-kill');

    expect(report.status).toBe('completed');
    expect(report.devices.map((d) => [d.name, d.outcome]).sort()).toEqual([
      [`st-kill-${held}`, 'upgraded'],
      [`st-kill-${other}`, 'upgraded'],
    ]);
    expect(report.targetVersion).toBe(NEW_FIRMWARE);
    // Recognised as its own (version and every stage's time), not followed as someone else's: a failure would still roll it back.
    expect(report.devices.find((d) => d.name === `st-kill-${held}`)?.notes?.join('\n')).not.toMatch(/someone else/);
    // One staged event each: the held one was applied once, after its sender had died; no network-wide PUT.
    expect(stagedPosts(sim, held).map((e) => e.status)).toEqual([200]);
    expect(stagedPosts(sim, other).map((e) => e.status)).toEqual([200]);
    expect(schedulePuts(sim, held)).toHaveLength(0);
    const heldPost = stagedPosts(sim, held)[0];
    // The retry read the event after the kill and found its own stages at its own times.
    const readsAfter = sim.log.entries.filter((e) => e.method === 'GET' && e.apiPath === `/networks/${held}/firmwareUpgrades/staged/events` && e.at > (heldPost?.at ?? 0));
    expect(readsAfter.length).toBeGreaterThan(0);
  }, 600_000);
});

async function waitUntil(pred: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
