import type { Client } from '@temporalio/client';
import { expect } from 'vitest';
import { generateTopology, verifyEventLog, type Lab, type LabEvent, type LabTopology } from '../../../src/lab';
import { deviceWorkflowId, type RolloutReport } from '../../../src/contracts/rollout';
import { FROM_VERSION, TO_VERSION } from '../../support/rollout-fixture';

/**
 * The fixture's fleet (4 HSRP pairs at 2 sites) under names of this test's
 * own: device workflows are `device/<name>`, and other files on the shared
 * server run labs with the generated `r1-a`... names at the same time.
 */
export function uniqueTopology(prefix: string, devices = 8): LabTopology {
  const base = generateTopology({ devices, pairs: true, sites: 2, platform: 'iosxe', initialVersion: FROM_VERSION });
  return {
    sites: base.sites,
    devices: base.devices.map((d) => ({
      ...d,
      name: `${prefix}-${d.name}`,
      ...(d.redundancyGroup ? { redundancyGroup: `${prefix}-${d.redundancyGroup}` } : {}),
    })),
  };
}

/**
 * Calls `act` synchronously inside the lab's event emission, so a crash lands
 * while the triggering operation is still in flight (not a poll later).
 */
export function onFirstLabEvent(lab: Lab, pred: (e: LabEvent) => boolean, act: (e: LabEvent) => void, timeoutMs = 60_000): Promise<LabEvent> {
  return new Promise((resolveEvent, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching lab event within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = lab.log.subscribe((e) => {
      if (!pred(e)) return;
      unsubscribe();
      clearTimeout(timer);
      act(e);
      resolveEvent(e);
    });
  });
}

/** What "resumed exactly" means for a user: done, on the new version, each device rebooted once, no invariant broken. */
export function expectCleanRollout(lab: Lab, report: RolloutReport, prioritiesBefore: Record<string, number | undefined>): void {
  expect(report.status, report.stopReason).toBe('completed');
  const outcomes = Object.fromEntries(report.devices.map((d) => [d.name, d.outcome]));
  expect(outcomes).toEqual(Object.fromEntries(lab.devices.map((d) => [d.name, 'upgraded'])));
  for (const d of lab.devices) {
    expect({ device: d.name, version: d.version, reloads: d.reloadCount }).toEqual({ device: d.name, version: TO_VERSION, reloads: 1 });
  }
  // A drained device whose restore was lost would keep its lowered HSRP priority.
  expect(priorities(lab)).toEqual(prioritiesBefore);
  // An isolated device whose return to normal mode was lost would stay out of the forwarding path.
  expect(lab.devices.filter((d) => d.systemMode !== 'normal').map((d) => d.name)).toEqual([]);
  const verdict = verifyEventLog(lab.events, { maxReloadsPerDevice: 1 });
  expect(verdict.breaches.map((b) => `${b.kind} ${b.subject}: ${b.message}`)).toEqual([]);
  expect(verdict.ok).toBe(true);
}

/** HSRP priority of every device, to compare before and after a rollout. */
export function priorities(lab: Lab): Record<string, number | undefined> {
  return Object.fromEntries(lab.devices.map((d) => [d.name, d.priority]));
}

/** Polls `device/<name>` until one of its pending activities has this type (proof of what a crash interrupts). */
export async function waitForPendingActivity(client: Client, device: string, activityType: string, timeoutMs = 10_000): Promise<void> {
  const handle = client.workflow.getHandle(deviceWorkflowId(device));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await handle.describe().catch(() => undefined);
    if (d?.raw.pendingActivities?.some((a) => a.activityType?.name === activityType)) return;
    if (Date.now() > deadline) throw new Error(`${device}: no pending ${activityType} activity within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
