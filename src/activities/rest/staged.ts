import { Context } from '@temporalio/activity';
import type { DashboardClient, RestResponse } from '../../devices/rest/client';
import { NotFound } from '../../devices/rest/errors';
import { activityFailure, writeOutcomeUnknown } from '../failures';
import { outcomeUnknown } from './firmware';
import { sameTime, versionName } from './firmware-state';
import type { RestRuntime } from './runtime';
import { isActive, planStages, readStagedEvent, readStagedGroups, readStageOrder, stageSerials, StagedAnswerError, StagedSetupError, type StagedEventState, type StagedGroup } from './staged-state';
import type {
  StageCheckRequest,
  StageCheckResult,
  StagedDeferRequest,
  StagedDeferResult,
  StagedPlan,
  StagedPlanRequest,
  StagedRollbackRequest,
  StagedRollbackResult,
  StagedScheduleRequest,
  StagedScheduleResult,
  StageSchedule,
  StageWaitRequest,
  StageWaitResult,
} from './staged-types';
import type { NetworkRef, WaitOptions } from './types';

const stagedPath = (networkId: string, rest: string) => `/networks/${encodeURIComponent(networkId)}/firmwareUpgrades/staged/${rest}`;

/** Reads an answer strictly; what the API does not define fails the activity for good, with the X-Request-Id. */
function strictly<T>(res: RestResponse<unknown>, read: (body: unknown) => T): T {
  try {
    return read(res.body);
  } catch (err) {
    if (!(err instanceof StagedAnswerError)) throw err;
    throw activityFailure('StagedAnswerError', `${err.message}${res.requestId ? ` (X-Request-Id ${res.requestId})` : ''}`);
  }
}

async function get(rt: RestRuntime, client: DashboardClient, net: NetworkRef, rest: string, details: () => unknown): Promise<RestResponse<unknown>> {
  const signal = Context.current().cancellationSignal;
  return rt.absorbRateLimits(() => client.request({ method: 'GET', orgId: net.orgId, path: stagedPath(net.networkId, rest), signal }), details);
}

async function readGroups(rt: RestRuntime, client: DashboardClient, net: NetworkRef, details: () => unknown): Promise<StagedGroup[]> {
  return strictly(await get(rt, client, net, 'groups', details), (b) => readStagedGroups(net.networkId, b));
}

/** The network's staged event; a 404 (no event ever created) reads as no event. */
async function readEvent(rt: RestRuntime, client: DashboardClient, net: NetworkRef, details: () => unknown): Promise<StagedEventState> {
  try {
    return strictly(await get(rt, client, net, 'events', details), (b) => readStagedEvent(net.networkId, b));
  } catch (err) {
    if (err instanceof NotFound) return { stages: [], reasons: [] };
    throw err;
  }
}

async function post(rt: RestRuntime, client: DashboardClient, net: NetworkRef, rest: string, body: unknown, details: () => unknown, what: string): Promise<StagedEventState> {
  const signal = Context.current().cancellationSignal;
  try {
    const res = await rt.absorbRateLimits(() => client.request({ method: 'POST', orgId: net.orgId, path: stagedPath(net.networkId, rest), ...(body === undefined ? {} : { body }), signal }), details);
    return strictly(res, (b) => readStagedEvent(net.networkId, b));
  } catch (err) {
    if (outcomeUnknown(err)) throw writeOutcomeUnknown(`network ${net.networkId}: ${what}`, err);
    throw err;
  }
}

function schedules(event: StagedEventState): StageSchedule[] {
  return event.stages.map((s) => ({ groupId: s.groupId, scheduledFor: s.scheduledFor ?? '' }));
}

/** Every stage of the request is in the event at the request's time: the event is the request's own. */
function isOurs(event: StagedEventState, stages: StageSchedule[]): boolean {
  return stages.length > 0 && stages.every((want) => event.stages.some((s) => s.groupId === want.groupId && sameTime(s.scheduledFor, want.scheduledFor)));
}

/**
 * The network's staged-upgrade set-up: its groups and their stage order.
 * Refuses a network without groups (saying how to create them), an order
 * that names unknown groups, and a group left out of the order. Read-only.
 */
export async function readStagedPlan(rt: RestRuntime, net: NetworkRef, req: StagedPlanRequest): Promise<StagedPlan> {
  const client = await rt.client(net.dashboard);
  const details = () => ({ networkId: net.networkId, step: 'staged plan' });
  try {
    const groups = await readGroups(rt, client, net, details);
    const order = strictly(await get(rt, client, net, 'stages', details), (b) => readStageOrder(net.networkId, b));
    let stages;
    try {
      stages = planStages(net.networkId, groups, order);
    } catch (err) {
      if (err instanceof StagedSetupError) throw activityFailure(err.name === 'NoStagedGroups' ? 'NoStagedGroups' : 'StagedGroupsIncomplete', err.message);
      throw err;
    }
    return { networkId: net.networkId, product: req.product, stages };
  } finally {
    await client.close();
  }
}

/**
 * Creates the network's staged upgrade event, at most once. The API has no
 * idempotency key, so this reads the network's event first: an active event
 * to the version with every stage at our time is ours (an earlier attempt got
 * through: nothing is sent); one to the version at other times is someone
 * else's (followed, not replaced); an active event to another version is a
 * conflict. The POST is sent once per attempt; an unknown outcome fails the
 * attempt and the next attempt's read decides.
 */
export async function scheduleStagedUpgrade(rt: RestRuntime, net: NetworkRef, req: StagedScheduleRequest): Promise<StagedScheduleResult> {
  const client = await rt.client(net.dashboard, { maxAttempts: 1 });
  const details = () => ({ networkId: net.networkId, toVersion: req.toVersion.id, step: 'staged schedule' });
  const result = (event: StagedEventState, alreadyScheduled: boolean, ours: boolean): StagedScheduleResult => ({ networkId: net.networkId, alreadyScheduled, ours, stages: schedules(event) });
  try {
    const event = await readEvent(rt, client, net, details);
    const sameVersion = event.toVersion?.id === req.toVersion.id && event.reasons.length === 0;
    if (sameVersion && isOurs(event, req.stages)) return result(event, true, true);
    if (isActive(event)) {
      if (sameVersion) return result(event, true, false);
      throw activityFailure('UpgradeConflict', `network ${net.networkId}: a staged upgrade to ${event.toVersion ? versionName(event.toVersion) : 'another version'} is in progress or scheduled; finish or cancel it in the dashboard before scheduling ${versionName(req.toVersion)}`);
    }
    const body = {
      products: { [req.product]: { nextUpgrade: { toVersion: { id: req.toVersion.id } } } },
      stages: req.stages.map((s) => ({ group: { id: s.groupId }, milestones: { scheduledFor: s.scheduledFor } })),
    };
    const after = await post(rt, client, net, 'events', body, details, `scheduling a staged upgrade to ${versionName(req.toVersion)}`);
    if (after.toVersion?.id !== req.toVersion.id || !isOurs(after, req.stages)) {
      throw activityFailure('UpgradeNotScheduled', `network ${net.networkId}: the dashboard accepted the staged upgrade to ${versionName(req.toVersion)} but its event shows ${after.toVersion ? versionName(after.toVersion) : 'no version'} with ${after.stages.length} stage(s); check the network's staged upgrades`);
    }
    return result(after, false, true);
  } finally {
    await client.close();
  }
}

/**
 * Follows one stage through the network's staged event until its switches
 * are done (`completedAt`); a cancelled stage, an event replaced by one to
 * another version, or a stage gone from the event fail for good. Heartbeats
 * what it read.
 */
export async function waitForStagedStage(rt: RestRuntime, net: NetworkRef, req: StageWaitRequest, opts: WaitOptions = {}): Promise<StageWaitResult> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const interval = opts.pollIntervalMs ?? rt.defaultPollIntervalMs;
  let last: { phase?: string; status?: string; scheduledFor?: string } = {};
  const details = () => ({ networkId: net.networkId, stage: req.label, groupId: req.groupId, ...last });
  try {
    for (let polls = 1; ; polls++) {
      const event = await readEvent(rt, client, net, details);
      if (event.toVersion?.id !== req.toVersion.id) {
        throw activityFailure('UpgradeConflict', `network ${net.networkId}: the staged event now goes to ${event.toVersion ? versionName(event.toVersion) : 'nothing (no event)'}, not ${versionName(req.toVersion)}, while waiting for ${req.label}; someone changed it in the dashboard`);
      }
      const stage = event.stages.find((s) => s.groupId === req.groupId);
      if (!stage) throw activityFailure('UpgradeFailed', `network ${net.networkId}: ${req.label} (group ${req.groupId}) is no longer in the staged event; check the network's staged upgrades`);
      last = { phase: stage.phase, ...(stage.status ? { status: stage.status } : {}), ...(stage.scheduledFor ? { scheduledFor: stage.scheduledFor } : {}) };
      ctx.heartbeat(details());
      if (stage.phase === 'completed') return { networkId: net.networkId, groupId: req.groupId, phase: 'completed', ...(stage.completedAt ? { completedAt: stage.completedAt } : {}), polls };
      if (stage.phase === 'canceled') {
        throw activityFailure('StageCanceled', `network ${net.networkId}: ${req.label} was cancelled at ${stage.canceledAt} (status "${stage.status ?? ''}"); check the network's staged upgrades`);
      }
      await rt.sleepHeartbeating(interval, details);
    }
  } finally {
    await client.close();
  }
}

/** Checks that every switch of one stage reports the version's firmware (read-only). */
export async function checkStagedGroup(rt: RestRuntime, net: NetworkRef, req: StageCheckRequest): Promise<StageCheckResult> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const details = () => ({ networkId: net.networkId, groupId: req.groupId, step: 'stage check' });
  try {
    const groups = await readGroups(rt, client, net, details);
    const firmware = new Map<string, string>();
    const devices = client.items<{ serial: string; firmware?: unknown }>({
      orgId: net.orgId,
      path: `/organizations/${encodeURIComponent(net.orgId)}/devices`,
      perPage: 1000,
      query: { networkIds: [net.networkId], productTypes: [req.product] },
      signal: ctx.cancellationSignal,
    });
    for await (const d of devices) firmware.set(d.serial, typeof d.firmware === 'string' ? d.firmware : '');
    const serials = stageSerials(groups, req.groupId, [...firmware.keys()]);
    const out: StageCheckResult = { networkId: net.networkId, groupId: req.groupId, checked: serials !== undefined, total: 0, onTarget: 0, behind: [] };
    for (const serial of serials ?? []) {
      out.total++;
      if (firmware.get(serial) === req.firmware) out.onTarget++;
      else if (out.behind.length < 20) out.behind.push(serial);
    }
    return out;
  } finally {
    await client.close();
  }
}

/**
 * Postpones the event's pending stages by a week (the API's defer call), at
 * most once: nothing is sent when no stage of ours is pending, or when every
 * pending stage already starts later than we scheduled it (deferred before).
 */
export async function deferStagedUpgrade(rt: RestRuntime, net: NetworkRef, req: StagedDeferRequest): Promise<StagedDeferResult> {
  const client = await rt.client(net.dashboard, { maxAttempts: 1 });
  const details = () => ({ networkId: net.networkId, step: 'staged defer' });
  try {
    const event = await readEvent(rt, client, net, details);
    if (event.toVersion?.id !== req.toVersion.id || event.reasons.length > 0) return { networkId: net.networkId, deferred: false, status: 'the staged event is no longer ours' };
    const pending = event.stages.filter((s) => s.phase === 'pending');
    if (pending.length === 0) return { networkId: net.networkId, deferred: false, status: 'no stage is pending' };
    const ourTime = (groupId: string) => req.stages.find((s) => s.groupId === groupId)?.scheduledFor;
    const later = (s: { groupId: string; scheduledFor?: string }) => {
      const ours = ourTime(s.groupId);
      return ours !== undefined && s.scheduledFor !== undefined && Date.parse(s.scheduledFor) > Date.parse(ours) + 1000;
    };
    if (pending.every(later)) return { networkId: net.networkId, deferred: true, status: `already deferred: ${pending.map((s) => `${s.groupName ?? s.groupId} at ${s.scheduledFor}`).join(', ')}` };
    const after = await post(rt, client, net, 'events/defer', undefined, details, 'deferring the pending stages');
    const now = after.stages.filter((s) => s.phase === 'pending');
    return { networkId: net.networkId, deferred: true, status: `deferred: ${now.map((s) => `${s.groupName ?? s.groupId} at ${s.scheduledFor}`).join(', ') || 'no stage pending'}` };
  } finally {
    await client.close();
  }
}

/**
 * Rolls the staged event back, at most once: the stages that started go
 * back now, the pending ones are cancelled (the API's staged rollback).
 * Nothing is sent when the event was already rolled back (it carries
 * `reasons`) or is not ours (another version).
 */
export async function rollbackStagedUpgrade(rt: RestRuntime, net: NetworkRef, req: StagedRollbackRequest): Promise<StagedRollbackResult> {
  const client = await rt.client(net.dashboard, { maxAttempts: 1 });
  const details = () => ({ networkId: net.networkId, step: 'staged rollback' });
  try {
    const event = await readEvent(rt, client, net, details);
    if (event.reasons.length > 0) {
      return { networkId: net.networkId, rolledBack: true, groupIds: event.stages.filter((s) => s.phase !== 'canceled').map((s) => s.groupId), status: 'already rolled back' };
    }
    if (event.toVersion?.id !== req.fromVersion.id) return { networkId: net.networkId, rolledBack: false, groupIds: [], status: `the staged event is not ours to roll back (${event.toVersion ? versionName(event.toVersion) : 'none'})` };
    const started = event.stages.filter((s) => s.phase === 'running' || s.phase === 'completed');
    // The activity's clock, not the workflow's: a retry recognises the rollback by its reasons, not its time.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const body = {
      stages: started.map((s) => ({ group: { id: s.groupId }, milestones: { scheduledFor: now } })),
      reasons: [{ category: 'other', comment: req.comment }],
    };
    await post(rt, client, net, 'events/rollbacks', body, details, `rolling back the staged upgrade to ${versionName(req.fromVersion)}`);
    return { networkId: net.networkId, rolledBack: true, groupIds: started.map((s) => s.groupId), status: started.length ? `${started.length} stage(s) going back, pending stages cancelled` : 'pending stages cancelled; no switch had started' };
  } finally {
    await client.close();
  }
}
