import type { DeviceProgress, RolloutProgress } from './rollout';

/**
 * What an operator reads about a waiting or failed device, and what to type
 * to move the rollout on. One place for the words, shared by the CLI
 * (status, watch) and the Web UI details the workflow writes; `flags` are the
 * connection flags the CLI was given (the workflow knows none).
 */

export function retryCommand(rollout: string, device: string, flags = ''): string {
  return `netops rollout retry ${rollout} ${device}${flags}`;
}

export function skipCommand(rollout: string, device: string, flags = ''): string {
  return `netops rollout skip ${rollout} ${device}${flags}`;
}

export function approveCommand(rollout: string, flags = '', despiteFailedCanary = false): string {
  return `netops rollout approve ${rollout}${despiteFailedCanary ? ' --despite-failed-canary' : ''}${flags}`;
}

/** `r1-a busy`, `r1-a failed`, `r1-a running`, `r1-a waiting (busy in rollout/dev)`. */
function peerState(d: DeviceProgress | undefined, name: string): string {
  if (!d) return name;
  if (d.state === 'pending' && d.busy) return `${name} waiting (busy in ${d.busy.holder})`;
  if (d.state === 'failed') return `${name} ${d.outcome ?? 'failed'}`;
  return `${name} ${d.state}`;
}

/** The DETAIL cell of a device: why it waits (and on whom), or why it failed. */
export function deviceDetail(p: RolloutProgress, d: DeviceProgress): string {
  if (d.state === 'pending') {
    if (!d.waitingFor) return '';
    if (d.waitingFor === 'redundancy' && d.heldBy?.length) {
      const byName = new Map(p.devices.map((x) => [x.name, x]));
      return `waiting: redundancy: held by ${d.heldBy.map((h) => peerState(byName.get(h), h)).join(', ')}`;
    }
    return `waiting: ${d.waitingFor}`;
  }
  if (d.state === 'failed') return `${d.outcome ?? 'failed'}: ${d.error ? `${d.error.type}: ${d.error.message}` : 'no error recorded'}`;
  if (d.error) return `${d.error.type}: ${d.error.message}`;
  return d.canary ? 'canary' : '';
}

/**
 * What the operator can do now, one line each: approve after the canary (or
 * why not), and for every failed device that holds a peer back, the commands
 * that free it. Empty when the rollout needs nobody.
 */
export function nextSteps(p: RolloutProgress, flags = ''): string[] {
  const steps: string[] = [];
  const byName = new Map(p.devices.map((d) => [d.name, d]));
  if (p.status === 'awaiting-approval') {
    const failed = p.canary.filter((n) => byName.get(n)?.state === 'failed');
    if (failed.length === 0) steps.push(`the canary succeeded: ${approveCommand(p.name, flags)}`);
    else {
      for (const n of failed) {
        steps.push(`canary ${peerState(byName.get(n), n)}, the gate stays shut: ${retryCommand(p.name, n, flags)} (after fixing it) or ${skipCommand(p.name, n, flags)}`);
      }
      steps.push(`or go on anyway: ${approveCommand(p.name, flags, true)}`);
    }
  }
  const holders = new Map<string, string[]>();
  for (const d of p.devices) {
    if (d.state !== 'pending' || d.waitingFor !== 'redundancy') continue;
    for (const h of d.heldBy ?? []) if (byName.get(h)?.state === 'failed') holders.set(h, [...(holders.get(h) ?? []), d.name]);
  }
  for (const [h, held] of holders) {
    steps.push(`${peerState(byName.get(h), h)} holds ${held.join(', ')} back: ${retryCommand(p.name, h, flags)} (after fixing it) or ${skipCommand(p.name, h, flags)}`);
  }
  if (p.status === 'stopping' && p.stopReason?.startsWith('failure budget spent')) {
    steps.push('the failure budget is spent: no device starts; the running ones finish, then the rollout ends failed with its report');
  }
  return steps;
}

/** Why `approve` is refused while a canary has not succeeded (the update's failure message). */
export function failedCanaryRefusal(p: RolloutProgress, failed: string[]): string {
  const byName = new Map(p.devices.map((d) => [d.name, d]));
  const what = failed
    .map((n) => {
      const d = byName.get(n);
      return `${n} ${d?.outcome ?? 'failed'}${d?.error ? ` (${d.error.message})` : ''}`;
    })
    .join('; ');
  const first = failed[0]!;
  return (
    `the canary did not succeed: ${what}. Fix it and \`${retryCommand(p.name, first)}\`, or \`${skipCommand(p.name, first)}\`, ` +
    `or approve with --despite-failed-canary to start the remaining devices anyway`
  );
}
