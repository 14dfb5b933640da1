import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskBudget } from '../../../src/devices/rest/task-budget';
import { startDashboardSim, type DashboardSim } from '../../../src/lab/dashboard';
import { activitiesFor, clientFor, dashboardRef, networkRef, runActivity } from '../rest/helpers';
import { ALL_OPERATIONS, checkContract, checkExchange, EXTRACT, operationsCovered } from './contract';

/**
 * The simulator and the client held to the pinned extract of Meraki's
 * OpenAPI v1 specification: one pass through every operation we use, every
 * request and answer validated; and the checks themselves shown to catch
 * the drift they are there for.
 */
describe(`contract with the Meraki Dashboard API v${EXTRACT['x-origin'].apiVersion} (${EXTRACT['x-origin'].repository} @ ${EXTRACT['x-origin'].commit.slice(0, 7)})`, () => {
  let sim: DashboardSim;
  beforeAll(async () => {
    sim = await startDashboardSim({ orgs: 2, networksPerOrg: 3, devicesPerNetwork: 6, rateLimitPerSec: 1_000, timeScale: 6_000, seed: 77, legacyStatusOrgs: [] });
  });
  afterAll(() => sim?.stop());

  it('every operation we use, as the client and activities send it, validates both ways', async () => {
    const [org] = sim.orgIds as [string];
    // Slices of 5 requests at 10/s (a 500 ms window), as a worker's org queue would cut them.
    const acts = activitiesFor({ taskBudgets: new Map([[org, taskBudget(10, 5)]]) });
    const client = clientFor(sim);
    await client.get(org, '/organizations');
    await client.get(org, `/organizations/${org}`);
    await client.get(org, `/networks/${sim.networkIds(org)[0]}`);
    for await (const d of client.items({ orgId: org, path: `/organizations/${org}/devices/statuses`, perPage: 5, query: { networkIds: [sim.networkIds(org)[1] as string] } })) expect(d).toBeTruthy();
    await client.close();
    const slice = { lanes: [], spare: [], maxLanes: 2, perPage: 5, maxListed: 10, listNetworks: {} };
    expect((await runActivity(acts.collectStatusSlice, [dashboardRef(sim), org, slice])).error).toBeUndefined();
    expect((await runActivity(acts.countDeviceStatuses, [dashboardRef(sim), org])).result?.counts).toBeDefined();
    const net = networkRef(sim, org, sim.networkIds(org)[0] as string);
    const check = (await runActivity(acts.readNetworkFirmware, [net, { version: 'MS 16.8' }])).result!;
    await runActivity(acts.scheduleFirmwareUpgrade, [net, { product: check.product, toVersion: check.target, time: new Date().toISOString() }]);
    await runActivity(acts.waitForFirmwareUpgrade, [net, { product: check.product, toVersion: check.target }, { pollIntervalMs: 30 }]);
    const rb = await runActivity(acts.rollbackFirmwareUpgrade, [net, { product: check.product, toVersion: check.current, fromVersion: check.target, comment: 'contract test' }]);
    expect(rb.result?.rolledBack).toBe(true);

    // Staged upgrades of a switch network: plan, schedule, one stage, its check, defer the rest, roll back.
    const staged = networkRef(sim, org, sim.networkIds(org)[0] as string);
    const plan = (await runActivity(acts.readStagedPlan, [staged, { product: 'switch' }])).result!;
    expect(plan.stages.map((s) => s.name)).toEqual(['Canary', 'Everything else']);
    const now = Date.parse(new Date(sim.simNow()).toISOString());
    const when = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    // The second stage a simulated day later, so it is still pending when deferred.
    const stages = plan.stages.map((s, i) => ({ groupId: s.groupId, scheduledFor: when(now + i * 86_400_000) }));
    const target = (await runActivity(acts.readNetworkFirmware, [staged, { version: 'MS 17.1.4' }])).result!.target;
    expect((await runActivity(acts.scheduleStagedUpgrade, [staged, { product: 'switch', toVersion: target, stages }])).result?.ours).toBe(true);
    const [canary] = plan.stages as [(typeof plan.stages)[0]];
    expect((await runActivity(acts.waitForStagedStage, [staged, { product: 'switch', toVersion: target, groupId: canary.groupId, label: 'stage 1' }, { pollIntervalMs: 30 }])).error).toBeUndefined();
    expect((await runActivity(acts.checkStagedGroup, [staged, { product: 'switch', groupId: canary.groupId, firmware: target.firmware ?? '' }])).result).toMatchObject({ checked: true, total: 1, onTarget: 1 });
    expect((await runActivity(acts.deferStagedUpgrade, [staged, { toVersion: target, stages }])).result?.deferred).toBe(true);
    expect((await runActivity(acts.rollbackStagedUpgrade, [staged, { fromVersion: target, comment: 'contract test' }])).result?.groupIds).toEqual([canary.groupId]);

    expect(checkContract(sim.log.entries)).toEqual([]);
    // Not a vacuous pass: every operation of the extract was exercised and answered 2xx.
    expect([...operationsCovered(sim.log.entries)].sort()).toEqual([...ALL_OPERATIONS].sort());
  });

  const ok = { method: 'GET', path: '/organizations/1/devices/availabilities?perPage=10&networkIds[]=N_1', apiPath: '/organizations/1/devices/availabilities', status: 200, requestBody: undefined, responseBody: [] };
  it.each([
    ['the old invented schedule body', { method: 'PUT', path: '/networks/N_1/firmwareUpgrades', apiPath: '/networks/N_1/firmwareUpgrades', status: 200, requestBody: { toVersion: { shortName: 'MS 16.8' }, stages: 3 }, responseBody: { products: {} } }, /request body: \/ must NOT have additional properties \(toVersion\)/],
    ['a field the answer does not have', { ...ok, responseBody: [{ serial: 'Q', status: 'online', network: { id: 'N' }, idempotencyKey: 'k' }] }, /response body: \/0 must NOT have additional properties \(idempotencyKey\)/],
    ['a status outside the enum', { ...ok, responseBody: [{ serial: 'Q', status: 'rebooting' }] }, /response body: \/0\/status must be equal to one of the allowed values/],
    ['an invented query parameter', { ...ok, path: '/organizations/1/devices/availabilities?stageDurationSec=600' }, /query parameter "stageDurationSec" is not a parameter of getOrganizationDevicesAvailabilities/],
    ['a list parameter sent as a scalar', { ...ok, path: '/organizations/1/devices/availabilities?networkIds=N_1' }, /"networkIds" is a list: send it as networkIds\[\]=/],
    ['perPage that is not an integer', { ...ok, path: '/organizations/1/devices/availabilities?perPage=many' }, /"perPage" must be an integer/],
    ['the old invented staged-event body', { ...ok, method: 'POST', path: '/networks/N_1/firmwareUpgrades/staged/events', apiPath: '/networks/N_1/firmwareUpgrades/staged/events', requestBody: { toVersion: { shortName: 'MS 16.8' }, stages: 3, stageDurationSec: 600 } }, /request body: \/ must NOT have additional properties \(toVersion\).*\/stages must be array/],
    ['a staged stage without its time', { ...ok, method: 'POST', path: '/networks/N_1/firmwareUpgrades/staged/events', apiPath: '/networks/N_1/firmwareUpgrades/staged/events', requestBody: { stages: [{ group: { id: '1' }, milestones: {} }] } }, /must have required property 'scheduledFor'/],
    ['an invented staged path', { ...ok, method: 'POST', path: '/networks/N_1/firmwareUpgrades/staged/events/cancel', apiPath: '/networks/N_1/firmwareUpgrades/staged/events/cancel' }, /no such operation in the spec extract/],
    ['a rollback without reasons', { method: 'POST', path: '/networks/N_1/firmwareUpgrades/rollbacks', apiPath: '/networks/N_1/firmwareUpgrades/rollbacks', status: 200, requestBody: { product: 'switch' }, responseBody: {} }, /must have required property 'reasons'/],
    ['a status code the operation does not define', { method: 'POST', path: '/networks/N_1/firmwareUpgrades/rollbacks', apiPath: '/networks/N_1/firmwareUpgrades/rollbacks', status: 201, requestBody: { reasons: [] }, responseBody: {} }, /answered 201, which createNetworkFirmwareUpgradesRollback does not define \(200\)/],
    ['a date-time that is not one', { method: 'GET', path: '/networks/N_1/firmwareUpgrades', apiPath: '/networks/N_1/firmwareUpgrades', status: 200, responseBody: { products: { switch: { lastUpgrade: { time: 'yesterday' } } } } }, /lastUpgrade\/time must match format "date-time"/],
  ])('catches %s', (_what, exchange, problem) => {
    expect(checkExchange(ok)).toEqual([]);
    expect(checkExchange(exchange).join('\n')).toMatch(problem);
  });
});
