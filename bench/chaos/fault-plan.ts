import type { LabDeviceSpec, LabFault } from '../../src/lab';
import type { Prng } from './prng';

/** Commands a dropped connection may cut (a read, a mutating save, a post-check). */
const DROP_COMMANDS = ['show version', 'show ip interface brief', 'write memory'];

export interface PlacedFault {
  device: string;
  fault: LabFault;
  /** Fires once, then the lab clears it (a real link drops now and then, not forever). */
  transient: boolean;
}

/** Which device gets which fault, and what the run must end with because of it. */
export interface FaultPlan {
  authFailure: string;
  neverReturns: string;
  corrupt: string;
  drops: string[];
  faults: PlacedFault[];
  /** Device -> the error types its failure may carry; every other failure is a defect. */
  expectedFailures: Record<string, string[]>;
  /** Peers of expected failures: held by the failed member, so the operator skips them. */
  heldPeers: string[];
}

/**
 * Places the faults of a chaos run: one authentication failure, one device
 * that never comes back from its reload, one corrupt transfer, and dropped
 * connections on `dropRate` of the devices, each special fault in a group of
 * its own so one failure never hides another.
 */
export function planFaults(devices: readonly LabDeviceSpec[], rng: Prng, dropRate: number): FaultPlan {
  const groupOf = (d: LabDeviceSpec) => d.redundancyGroup ?? d.name;
  const groups = rng.shuffle([...new Set(devices.map(groupOf))]);
  if (groups.length < 4) throw new Error(`a chaos run needs at least 4 redundancy groups (got ${groups.length})`);
  const members = (g: string) => devices.filter((d) => groupOf(d) === g).map((d) => d.name);
  const [authGroup, lostGroup, corruptGroup, ...rest] = groups as [string, string, string, ...string[]];
  const authFailure = rng.pick(members(authGroup));
  const neverReturns = rng.pick(members(lostGroup));
  const corrupt = rng.pick(members(corruptGroup));
  const dropCount = Math.max(1, Math.round(devices.length * dropRate));
  const candidates = rng.shuffle(rest.flatMap(members));
  const drops = candidates.slice(0, Math.min(dropCount, candidates.length));

  const faults: PlacedFault[] = [
    { device: authFailure, fault: { kind: 'auth-failure' }, transient: false },
    { device: neverReturns, fault: { kind: 'reload-never-returns' }, transient: false },
    { device: corrupt, fault: { kind: 'corrupt-transfer' }, transient: true },
    ...drops.map((device, i): PlacedFault => ({
      device,
      fault: i % 2 === 0 ? { kind: 'drop-mid-transfer' } : { kind: 'drop-mid-command', match: rng.pick(DROP_COMMANDS) },
      transient: true,
    })),
  ];
  const heldPeers = [authFailure, neverReturns].flatMap((f) => members(groupOf(devices.find((d) => d.name === f)!)).filter((n) => n !== f));
  return {
    authFailure,
    neverReturns,
    corrupt,
    drops,
    faults,
    expectedFailures: { [authFailure]: ['AuthenticationFailed'], [neverReturns]: ['Unreachable', 'TimedOut'] },
    heldPeers,
  };
}
