import { describe, expect, inject, it } from 'vitest';
import { FULL_CHAOS, runChaos } from '../../../bench/chaos/run';

// The chaos run, short: 20 devices on 2 worker processes and a dev server of
// its own (SQLite), with the same planted faults, two worker SIGKILLs and one
// server SIGKILL. The checks are the bench's own: the planted failures fail
// for the right reason, everything else is upgraded and rebooted once, the
// corrupt transfer is staged again, the lab's invariants hold.

describe('a rollout under faults and kills (short chaos run)', () => {
  it('ends with every healthy device upgraded once and only the planted failures', async () => {
    const lines: string[] = [];
    const result = await runChaos({
      ...FULL_CHAOS,
      devices: 20,
      workers: 2,
      window: 6,
      seed: 11,
      // Kills early and regardless of how fast replacements start, so even a quick machine sees both before the end.
      workerKillEveryMs: [3_000, 6_000],
      overlapKills: true,
      maxWorkerKills: 2,
      minWorkerKills: 2,
      serverKillAt: [0.25, 0.45],
      timeoutMs: 150_000,
      temporalCli: inject('temporalCli'),
      log: (l) => lines.push(l),
    });
    const failing = result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    expect(failing, lines.join('\n')).toEqual([]);
    expect(result.killLog.filter((k) => k.what === 'worker')).toHaveLength(2);
    expect(result.killLog.filter((k) => k.what === 'server')).toHaveLength(1);
    expect(result.failed.map((f) => f.name).sort()).toEqual([result.faults.authFailure, result.faults.neverReturns].sort());
    expect(result.upgraded).toBe(20 - 2 - result.skipped.length);
    console.info(`[chaos-ci] seed ${result.seed}: ${result.upgraded} upgraded, failed ${result.failed.map((f) => `${f.name} ${f.type}`).join(', ')}, ${result.killLog.length} kills, makespan ${(result.makespanMs / 1000).toFixed(1)} s`);
  }, 240_000);
});
