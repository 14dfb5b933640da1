import { cpus, loadavg, totalmem } from 'node:os';
import { renderTable } from '../../src/cli/shared/text-table';
import type { ChaosResult } from './run';

export interface Machine {
  cpu: string;
  cores: number;
  memGiB: number;
  node: string;
  load1: number;
}

export function machine(): Machine {
  const c = cpus();
  return { cpu: c[0]?.model.trim() ?? 'unknown', cores: c.length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, load1: Number(loadavg()[0]!.toFixed(2)) };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** How the kills cost time: the chaos makespan against the same run without kills. */
export function timeLost(chaos: ChaosResult, baseline?: ChaosResult): { baselineMs?: number; lostMs?: number; lostPct?: number; method: string } {
  if (!baseline) return { method: 'no baseline run (--no-baseline): makespan only' };
  const lostMs = chaos.makespanMs - baseline.makespanMs;
  return { baselineMs: baseline.makespanMs, lostMs, lostPct: Math.round((lostMs / baseline.makespanMs) * 100), method: 'makespan minus a no-kill baseline (same seed, fleet and faults)' };
}

/** The human table of one chaos run (and its baseline). */
export function renderChaos(chaos: ChaosResult, baseline?: ChaosResult): string {
  const reloadCounts = new Map<number, string[]>();
  for (const [name, n] of Object.entries(chaos.reloads)) reloadCounts.set(n, [...(reloadCounts.get(n) ?? []), name]);
  const reloads = [...reloadCounts].sort((a, b) => b[1].length - a[1].length).map(([n, names]) => (names.length > 3 ? `${names.length} devices x ${n}` : `${names.join(', ')} x ${n}`)).join('; ');
  const lost = timeLost(chaos, baseline);
  const workerKills = chaos.killLog.filter((k) => k.what === 'worker');
  const serverKills = chaos.killLog.filter((k) => k.what === 'server');
  const rows: string[][] = [
    ['devices upgraded', `${chaos.upgraded} of ${chaos.devices}`],
    ['failed', chaos.failed.map((f) => `${f.name} ${f.type}`).join(', ') || 'none'],
    ['skipped (held by a failed peer)', chaos.skipped.join(', ') || 'none'],
    ['reloads per device', reloads],
    ['faults fired', Object.entries(chaos.faults.fired).map(([d, n]) => `${d} x${n}`).join(', ') || 'none'],
    ['worker kills', `${workerKills.length}${workerKills.length ? `, back polling after ${s(median(workerKills.map((k) => k.backAfterMs ?? 0)))} (median)` : ''}${chaos.overlapKills ? ', overlapping' : ', one at a time'}`],
    ['server kills', serverKills.map((k) => `at ${s(k.atMs)}, back after ${s(k.backAfterMs ?? 0)}`).join('; ') || 'none'],
    ['makespan', s(chaos.makespanMs)],
    ...(lost.baselineMs !== undefined ? [['baseline (no kills)', s(lost.baselineMs)], ['time lost to the kills', `${s(lost.lostMs!)} (${lost.lostPct}%)`]] : []),
  ];
  const checks = chaos.checks.map((c) => [c.ok ? 'PASS' : 'FAIL', c.name, c.detail]);
  return `${renderTable(['', ''], rows)}\n${renderTable(['', 'check', 'detail'], checks)}`;
}

/** One JSON document per run, for tracking across runs and machines. */
export function chaosJson(chaos: ChaosResult, baseline?: ChaosResult): Record<string, unknown> {
  return {
    bench: 'chaos',
    at: new Date().toISOString(),
    machine: machine(),
    seed: chaos.seed,
    devices: chaos.devices,
    workers: chaos.workers,
    overlapKills: chaos.overlapKills,
    ok: chaos.ok,
    status: chaos.status,
    upgraded: chaos.upgraded,
    failed: chaos.failed.map((f) => ({ name: f.name, type: f.type })),
    skipped: chaos.skipped,
    reloadsHistogram: Object.values(chaos.reloads).reduce<Record<string, number>>((h, n) => ({ ...h, [n]: (h[n] ?? 0) + 1 }), {}),
    kills: chaos.killLog,
    makespanMs: chaos.makespanMs,
    timeLost: timeLost(chaos, baseline),
    baselineOk: baseline?.ok,
    checks: chaos.checks.map((c) => ({ name: c.name, ok: c.ok })),
  };
}
