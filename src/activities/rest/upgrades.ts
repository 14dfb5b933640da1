import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DashboardClient } from '../../devices/rest/client';
import { BadRequest, ConnectionFailed, ServerError, Timeout } from '../../devices/rest/errors';
import { writeOutcomeUnknown } from './failures';
import type { RestRuntime } from './runtime';
import type { NetworkRef, RollbackResult, ScheduleOptions, ScheduleResult, UpgradeEventView, WaitOptions, WaitResult } from './types';

const eventsPath = (networkId: string) => `/networks/${encodeURIComponent(networkId)}/firmwareUpgrades/staged/events`;

function readEvent(client: DashboardClient, net: NetworkRef, signal: AbortSignal): Promise<UpgradeEventView> {
  return client.request<UpgradeEventView>({ method: 'GET', orgId: net.orgId, path: eventsPath(net.networkId), signal }).then((r) => r.body);
}

/** A write error after which the server may or may not have applied the change. */
function outcomeUnknown(err: unknown): err is ServerError | Timeout | ConnectionFailed {
  if (err instanceof ServerError) return err.writeMayHaveHappened;
  return (err instanceof Timeout || err instanceof ConnectionFailed) && !err.retryable;
}

const ACTIVE = new Set(['scheduled', 'inProgress']);

/**
 * Schedules a staged upgrade of one network to `firmware`, at most once. It
 * reads the network's upgrade first: an upgrade to that firmware already
 * scheduled, running or done (by anyone), or any event carrying our
 * idempotency key, is returned as is without a POST. The POST itself is never
 * retried by the client; if its outcome is unknown the attempt fails
 * retryably and the next attempt's read decides.
 */
export async function scheduleNetworkUpgrade(rt: RestRuntime, net: NetworkRef, firmware: string, idempotencyKey: string, opts: ScheduleOptions = {}): Promise<ScheduleResult> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const details = () => ({ networkId: net.networkId, firmware, step: 'schedule' });
  try {
    for (let raced = 0; ; raced++) {
      const current = await rt.absorbRateLimits(() => readEvent(client, net, ctx.cancellationSignal), details);
      const version = current.toVersion?.shortName;
      const ours = !!current.idempotencyKey && current.idempotencyKey === idempotencyKey;
      if (ours || (version === firmware && (ACTIVE.has(current.status) || current.status === 'completed'))) {
        return { networkId: net.networkId, eventId: current.id, status: current.status, alreadyScheduled: true, ours };
      }
      if (ACTIVE.has(current.status)) {
        throw ApplicationFailure.create({
          type: 'UpgradeConflict',
          nonRetryable: true,
          message: `network ${net.networkId}: an upgrade to ${version ?? 'another version'} is already ${current.status}; wait for it or roll it back before scheduling ${firmware}`,
        });
      }
      try {
        const created = await rt.absorbRateLimits(
          () =>
            client.request<UpgradeEventView>({
              method: 'POST',
              orgId: net.orgId,
              path: eventsPath(net.networkId),
              idempotencyKey,
              body: { toVersion: { shortName: firmware }, ...opts },
              signal: ctx.cancellationSignal,
            }),
          details,
        );
        return { networkId: net.networkId, eventId: created.body.id, status: created.body.status, alreadyScheduled: false, ours: true };
      } catch (err) {
        if (outcomeUnknown(err)) throw writeOutcomeUnknown(`network ${net.networkId}: scheduling the upgrade to ${firmware}`, err);
        // Someone scheduled between our read and our write: read again and decide on what is there now.
        if (err instanceof BadRequest && raced === 0 && /already/i.test(err.apiErrors.join(' '))) continue;
        throw err;
      }
    }
  } finally {
    await client.close();
  }
}

/** Polls a network's staged upgrade until it completes, heartbeating its progress. */
export async function waitForNetworkUpgrade(rt: RestRuntime, net: NetworkRef, firmware: string, opts: WaitOptions = {}): Promise<WaitResult> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const interval = opts.pollIntervalMs ?? rt.defaultPollIntervalMs;
  let last: UpgradeEventView | undefined;
  const details = () => ({ networkId: net.networkId, firmware, status: last?.status, progress: last?.progress });
  try {
    for (let polls = 1; ; polls++) {
      last = await rt.absorbRateLimits(() => readEvent(client, net, ctx.cancellationSignal), details);
      ctx.heartbeat(details());
      const version = last.toVersion?.shortName;
      if (version !== firmware || last.status === 'none') {
        throw ApplicationFailure.create({ type: 'UpgradeNotScheduled', nonRetryable: true, message: `network ${net.networkId}: no upgrade to ${firmware} is scheduled (latest: ${version ?? 'none'}, ${last.status}); schedule it first` });
      }
      if (last.status === 'completed') {
        return { networkId: net.networkId, eventId: last.id, status: 'completed', upgradedDevices: last.progress?.upgradedDevices ?? 0, polls };
      }
      if (last.status === 'failed') {
        throw ApplicationFailure.create({ type: 'UpgradeFailed', nonRetryable: true, message: `network ${net.networkId}: the staged upgrade to ${firmware} failed after ${last.progress?.upgradedDevices ?? 0} of ${last.progress?.totalDevices ?? '?'} devices; inspect the network, then roll back`, details: [last.progress] });
      }
      if (last.status === 'rolledBack') {
        throw ApplicationFailure.create({ type: 'UpgradeRolledBack', nonRetryable: true, message: `network ${net.networkId}: the staged upgrade to ${firmware} was rolled back` });
      }
      await rt.sleepHeartbeating(interval, details);
    }
  } finally {
    await client.close();
  }
}

/** Rolls back the network's latest staged upgrade; a no-op if there is none or it is already rolled back. */
export async function rollbackNetworkUpgrade(rt: RestRuntime, net: NetworkRef, reason: string): Promise<RollbackResult> {
  const ctx = Context.current();
  const client = await rt.client(net.dashboard);
  const details = () => ({ networkId: net.networkId, step: 'rollback' });
  try {
    const current = await rt.absorbRateLimits(() => readEvent(client, net, ctx.cancellationSignal), details);
    if (current.status === 'none' || current.status === 'rolledBack') return { networkId: net.networkId, rolledBack: false, status: current.status };
    try {
      const res = await rt.absorbRateLimits(
        () =>
          client.request<UpgradeEventView>({
            method: 'POST',
            orgId: net.orgId,
            path: `${eventsPath(net.networkId)}/rollbacks`,
            body: { reasons: [{ category: 'other', comment: reason }] },
            signal: ctx.cancellationSignal,
          }),
        details,
      );
      return { networkId: net.networkId, rolledBack: true, status: res.body.status };
    } catch (err) {
      if (outcomeUnknown(err)) throw writeOutcomeUnknown(`network ${net.networkId}: rolling back the upgrade`, err);
      throw err;
    }
  } finally {
    await client.close();
  }
}
