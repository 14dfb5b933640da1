import { verifyEventLog, type LabEvent } from '../../src/lab';
import type { RolloutReport } from '../../src/contracts/rollout';
import type { FaultPlan } from './fault-plan';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** What the lab says happened to one device, next to what the rollout reported. */
export interface DeviceFact {
  name: string;
  version: string;
  reloads: number;
}

export interface CheckInput {
  report: RolloutReport;
  plan: FaultPlan;
  devices: DeviceFact[];
  events: LabEvent[];
  targetVersion: string;
  fired: Map<string, number>;
  workerKills: number;
  expectedWorkerKills: number;
  serverKills: number;
  expectedServerKills: number;
  unexpectedWorkerExits: string[];
}

const list = (names: string[], max = 6) => (names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`);

/**
 * The verdict of a chaos run: every healthy device upgraded and rebooted
 * once, the two planted failures failed for the right reason, nothing else
 * failed, the corrupt transfer was caught and staged again, the lab's
 * invariants held, and the planned kills really happened.
 */
export function evaluateChaos(c: CheckInput): Check[] {
  const byName = new Map(c.report.devices.map((d) => [d.name, d]));
  const expectedFailed = Object.keys(c.plan.expectedFailures);
  const checks: Check[] = [];

  const wrongFailures = expectedFailed.filter((n) => {
    const d = byName.get(n);
    return d?.outcome !== 'failed' || !c.plan.expectedFailures[n]!.includes(d.error?.type ?? '');
  });
  checks.push({
    name: 'planted failures failed for the right reason',
    ok: wrongFailures.length === 0,
    detail: expectedFailed.map((n) => `${n}: ${byName.get(n)?.outcome ?? 'missing'}${byName.get(n)?.error ? ` (${byName.get(n)!.error!.type})` : ''}, expected ${c.plan.expectedFailures[n]!.join('|')}`).join('; '),
  });

  const skipped = c.report.devices.filter((d) => d.outcome === 'skipped').map((d) => d.name);
  const badSkips = skipped.filter((n) => !c.plan.heldPeers.includes(n));
  checks.push({ name: 'only peers of failed devices skipped', ok: badSkips.length === 0, detail: badSkips.length ? `also skipped: ${list(badSkips)}` : `${skipped.length} skipped (${list(skipped)})` });

  const healthy = c.devices.filter((d) => !expectedFailed.includes(d.name) && !skipped.includes(d.name));
  const notUpgraded = healthy.filter((d) => byName.get(d.name)?.outcome !== 'upgraded' || d.version !== c.targetVersion);
  checks.push({
    name: 'every other device upgraded',
    ok: notUpgraded.length === 0 && healthy.length > 0,
    detail: notUpgraded.length
      ? `defects: ${list(notUpgraded.map((d) => `${d.name} ${byName.get(d.name)?.outcome ?? 'missing'}${byName.get(d.name)?.error ? ` ${byName.get(d.name)!.error!.type}: ${byName.get(d.name)!.error!.message}` : ''} on ${d.version}`))}`
      : `${healthy.length} upgraded`,
  });

  const reloadsWrong = c.devices.filter((d) => {
    if (d.name === c.plan.authFailure || skipped.includes(d.name)) return d.reloads !== 0;
    if (d.name === c.plan.neverReturns) return d.reloads > 1;
    return d.reloads !== 1;
  });
  checks.push({
    name: 'each healthy device reloaded exactly once',
    ok: reloadsWrong.length === 0,
    detail: reloadsWrong.length ? list(reloadsWrong.map((d) => `${d.name}: ${d.reloads}`)) : `${healthy.length} x 1 reload; unreachable device ${c.devices.find((d) => d.name === c.plan.neverReturns)?.reloads ?? 0}, others 0`,
  });

  const transfers = c.events.filter((e): e is Extract<LabEvent, { type: 'transfer' }> => e.type === 'transfer' && e.device === c.plan.corrupt && e.ok);
  const corruptFired = (c.fired.get(c.plan.corrupt) ?? 0) > 0;
  const corruptOk = corruptFired && transfers.length >= 2 && byName.get(c.plan.corrupt)?.outcome === 'upgraded';
  checks.push({
    name: 'corrupt transfer detected and staged again',
    ok: corruptOk,
    detail: `${c.plan.corrupt}: fault ${corruptFired ? 'fired' : 'never fired'}, ${transfers.length} transfers (${transfers.filter((t) => t.intact === false).length} damaged), ${byName.get(c.plan.corrupt)?.outcome ?? 'missing'}`,
  });

  const silentDrops = c.plan.drops.filter((n) => (c.fired.get(n) ?? 0) === 0);
  checks.push({
    name: 'dropped connections happened and were survived',
    ok: silentDrops.length === 0,
    detail: silentDrops.length ? `never fired on: ${list(silentDrops)}` : `${c.plan.drops.length} devices had a connection cut`,
  });

  const verdict = verifyEventLog(c.events, { maxReloadsPerDevice: 1 });
  checks.push({
    name: 'verifyEventLog: no invariant broken',
    ok: verdict.ok,
    detail: verdict.ok ? `${verdict.stats.events} events, ${verdict.stats.reloads} reloads, ${verdict.stats.sessions} sessions` : verdict.breaches.slice(0, 3).map((b) => `${b.kind} ${b.subject}: ${b.message}`).join('; '),
  });

  checks.push({
    name: 'planned kills happened',
    ok: c.workerKills >= c.expectedWorkerKills && c.serverKills === c.expectedServerKills,
    detail: `${c.workerKills} worker kills (at least ${c.expectedWorkerKills} planned), ${c.serverKills} server kills (${c.expectedServerKills} planned)`,
  });

  checks.push({
    name: 'workers only died when killed',
    ok: c.unexpectedWorkerExits.length === 0,
    detail: c.unexpectedWorkerExits.length ? list(c.unexpectedWorkerExits) : 'none exited on its own',
  });
  return checks;
}
