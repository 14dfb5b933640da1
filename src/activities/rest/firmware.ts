import { Context } from '@temporalio/activity';
import type { DashboardClient } from '../../devices/rest/client';
import { ConnectionFailed, ServerError, Timeout } from '../../devices/rest/errors';
import { activityFailure, writeOutcomeUnknown } from '../failures';
import { FirmwareAnswerError, readFirmwareState, resolveTarget, sameTime, versionName, type ProductFirmwareState } from './firmware-state';
import type { RestRuntime } from './runtime';
import type {
  FirmwareCheck,
  FirmwareProduct,
  FirmwareTarget,
  NetworkRef,
  RollbackRequest,
  RollbackResult,
  ScheduleRequest,
  ScheduleResult,
  WaitOptions,
  WaitRequest,
  WaitResult,
} from './types';

const firmwarePath = (networkId: string) => `/networks/${encodeURIComponent(networkId)}/firmwareUpgrades`;

async function readProduct(rt: RestRuntime, client: DashboardClient, net: NetworkRef, product: FirmwareProduct, details: () => unknown): Promise<ProductFirmwareState> {
  const states = await readStates(rt, client, net, details);
  const state = states.find((s) => s.product === product);
  if (!state) {
    throw activityFailure('ProductNotInNetwork', `network ${net.networkId}: the dashboard reports no ${product} firmware (products: ${states.map((s) => s.product).join(', ') || 'none'}); pick networks that have ${product} devices`);
  }
  return state;
}

async function readStates(rt: RestRuntime, client: DashboardClient, net: NetworkRef, details: () => unknown): Promise<ProductFirmwareState[]> {
  const ctx = Context.current();
  const res = await rt.absorbRateLimits(() => client.request({ method: 'GET', orgId: net.orgId, path: firmwarePath(net.networkId), signal: ctx.cancellationSignal }), details);
  try {
    return readFirmwareState(net.networkId, res.body);
  } catch (err) {
    if (!(err instanceof FirmwareAnswerError)) throw err;
    throw activityFailure('FirmwareAnswerError', `${err.message}${res.requestId ? ` (X-Request-Id ${res.requestId})` : ''}`);
  }
}

/** A write error after which the server may or may not have applied the change (the next attempt's read decides). */
export function outcomeUnknown(err: unknown): err is ServerError | Timeout | ConnectionFailed {
  if (err instanceof ServerError) return err.status !== 501;
  return err instanceof Timeout || err instanceof ConnectionFailed;
}

/**
 * The pre- and post-check: which version the network runs for the target's
 * product, the target resolved to the dashboard's version object (by
 * shortName or firmware name among the versions the network offers), and
 * how many of the network's devices of that product report the target's
 * firmware name. Read-only.
 */
export async function readNetworkFirmware(rt: RestRuntime, net: NetworkRef, target: FirmwareTarget): Promise<FirmwareCheck> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const details = () => ({ networkId: net.networkId, step: 'read firmware' });
  try {
    const states = await readStates(rt, client, net, details);
    // An UnknownFirmwareVersion leaves through the failure policy, by its class.
    const { state, version } = resolveTarget(net.networkId, states, target);
    const check: FirmwareCheck = {
      networkId: net.networkId,
      product: state.product,
      current: state.current,
      target: version,
      ...(state.next ? { pending: state.next } : {}),
      total: 0,
      onTarget: 0,
      versions: {},
      behind: [],
    };
    const wanted = version.firmware;
    const devices = client.items<{ serial: string; firmware?: unknown }>({
      orgId: net.orgId,
      path: `/organizations/${encodeURIComponent(net.orgId)}/devices`,
      perPage: 1000,
      query: { networkIds: [net.networkId], productTypes: [state.product] },
      signal: ctx.cancellationSignal,
    });
    for await (const d of devices) {
      if (typeof d.firmware !== 'string' || d.firmware === '') {
        throw activityFailure('FirmwareNotReported', `network ${net.networkId}: device ${d.serial} reports no firmware; check it in the dashboard (it may be unclaimed or never online)`);
      }
      check.total++;
      check.versions[d.firmware] = (check.versions[d.firmware] ?? 0) + 1;
      if (wanted !== undefined && d.firmware === wanted) check.onTarget++;
      else if (check.behind.length < 20) check.behind.push(d.serial);
    }
    return check;
  } finally {
    await client.close();
  }
}

/**
 * Schedules the network's upgrade of one product to a version, at most
 * once. The API has no idempotency key, so this reads the network first: a
 * pending upgrade to that version with our time is ours (an earlier attempt
 * got through), one with another time is someone else's (followed, not
 * replaced), one to another version is a conflict. The PUT itself is sent
 * once; if its outcome is unknown the attempt fails retryably and the next
 * attempt's read decides.
 */
export async function scheduleFirmwareUpgrade(rt: RestRuntime, net: NetworkRef, req: ScheduleRequest): Promise<ScheduleResult> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard, { maxAttempts: 1 });
  const details = () => ({ networkId: net.networkId, product: req.product, toVersion: req.toVersion.id, step: 'schedule' });
  const result = (s: ProductFirmwareState, alreadyScheduled: boolean, ours: boolean): ScheduleResult => ({
    networkId: net.networkId,
    product: req.product,
    fromVersion: s.current,
    toVersion: s.next?.toVersion ?? req.toVersion,
    time: s.next?.time,
    alreadyScheduled,
    ours,
  });
  try {
    const state = await readProduct(rt, client, net, req.product, details);
    if (state.current.id === req.toVersion.id) {
      // Done already (by our earlier attempt or by anyone): the rollback target is what it upgraded from.
      return { ...result(state, true, sameTime(state.last?.time, req.time) || state.last?.toVersion.id === req.toVersion.id), fromVersion: state.last?.fromVersion ?? state.current, time: state.last?.time };
    }
    if (state.next) {
      if (state.next.toVersion.id === req.toVersion.id) return result(state, true, sameTime(state.next.time, req.time));
      throw activityFailure('UpgradeConflict', `network ${net.networkId}: an upgrade of ${req.product} to ${versionName(state.next.toVersion)} is already scheduled for ${state.next.time}; cancel or finish it in the dashboard before scheduling ${versionName(req.toVersion)}`);
    }
    try {
      const res = await rt.absorbRateLimits(
        () =>
          client.request({
            method: 'PUT',
            orgId: net.orgId,
            path: firmwarePath(net.networkId),
            body: { products: { [req.product]: { nextUpgrade: { time: req.time, toVersion: { id: req.toVersion.id } } } } },
            signal: ctx.cancellationSignal,
          }),
        details,
      );
      const after = readFirmwareState(net.networkId, res.body).find((s) => s.product === req.product);
      if (after?.next?.toVersion.id !== req.toVersion.id && after?.current.id !== req.toVersion.id) {
        throw activityFailure('UpgradeNotScheduled', `network ${net.networkId}: the dashboard accepted the schedule of ${versionName(req.toVersion)} but shows ${after?.next ? `${versionName(after.next.toVersion)} pending` : 'nothing pending'}${res.requestId ? ` (X-Request-Id ${res.requestId})` : ''}; check the network's firmware page`);
      }
      return { ...result(after, false, true), fromVersion: state.current };
    } catch (err) {
      if (outcomeUnknown(err)) throw writeOutcomeUnknown(`network ${net.networkId}: scheduling ${req.product} ${versionName(req.toVersion)}`, err);
      throw err;
    }
  } finally {
    await client.close();
  }
}

/**
 * Follows one product's upgrade by reading the network's firmware until it
 * runs the version: pending (or rebooting) while `nextUpgrade` names it,
 * done when `currentVersion` is it, failed when nothing is pending any more
 * and the network still runs something else. Heartbeats what it read.
 */
export async function waitForFirmwareUpgrade(rt: RestRuntime, net: NetworkRef, req: WaitRequest, opts: WaitOptions = {}): Promise<WaitResult> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const interval = opts.pollIntervalMs ?? rt.defaultPollIntervalMs;
  let last: ProductFirmwareState | undefined;
  const details = () => ({ networkId: net.networkId, product: req.product, toVersion: versionName(req.toVersion), current: last ? versionName(last.current) : undefined, pending: last?.next?.time });
  try {
    for (let polls = 1; ; polls++) {
      last = await readProduct(rt, client, net, req.product, details);
      ctx.heartbeat(details());
      if (last.current.id === req.toVersion.id) {
        return { networkId: net.networkId, status: 'completed', current: last.current, ...(last.last?.toVersion.id === req.toVersion.id && last.last.time ? { completedAt: last.last.time } : {}), polls };
      }
      if (!last.next) {
        throw activityFailure('UpgradeFailed', `network ${net.networkId}: the ${req.product} upgrade to ${versionName(req.toVersion)} did not take: the network still runs ${versionName(last.current)} and no upgrade is pending; check its devices in the dashboard, then retry the network`);
      }
      if (last.next.toVersion.id !== req.toVersion.id) {
        throw activityFailure('UpgradeConflict', `network ${net.networkId}: the pending ${req.product} upgrade was changed to ${versionName(last.next.toVersion)} (by someone else) while waiting for ${versionName(req.toVersion)}`);
      }
      await rt.sleepHeartbeating(interval, details);
    }
  } finally {
    await client.close();
  }
}

/**
 * Rolls one product of the network back to `toVersion` with the rollbacks
 * call (downgrades go only through it), at most once: nothing is sent when
 * the network already runs that version with nothing pending, or when a
 * rollback to it is already pending.
 */
export async function rollbackFirmwareUpgrade(rt: RestRuntime, net: NetworkRef, req: RollbackRequest): Promise<RollbackResult> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard, { maxAttempts: 1 });
  const details = () => ({ networkId: net.networkId, product: req.product, step: 'rollback' });
  try {
    const state = await readProduct(rt, client, net, req.product, details);
    if (state.current.id === req.toVersion.id && !state.next) return { networkId: net.networkId, rolledBack: false, status: `already on ${versionName(req.toVersion)}` };
    if (state.next?.toVersion.id === req.toVersion.id) return { networkId: net.networkId, rolledBack: true, status: 'pending' };
    try {
      const res = await rt.absorbRateLimits(
        () =>
          client.request<{ status?: unknown }>({
            method: 'POST',
            orgId: net.orgId,
            path: `${firmwarePath(net.networkId)}/rollbacks`,
            body: { product: req.product, reasons: [{ category: 'other', comment: req.comment }], toVersion: { id: req.toVersion.id } },
            signal: ctx.cancellationSignal,
          }),
        details,
      );
      const status = res.body?.status;
      if (typeof status !== 'string') throw activityFailure('FirmwareAnswerError', `network ${net.networkId}: the rollback answer has no status${res.requestId ? ` (X-Request-Id ${res.requestId})` : ''}; check the network's firmware page`);
      return { networkId: net.networkId, rolledBack: true, status };
    } catch (err) {
      if (outcomeUnknown(err)) throw writeOutcomeUnknown(`network ${net.networkId}: rolling ${req.product} back to ${versionName(req.toVersion)}`, err);
      throw err;
    }
  } finally {
    await client.close();
  }
}
