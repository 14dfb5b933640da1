/**
 * What the input check costs a workflow's first task: checkWorkflowInput on
 * rollout inputs of 100 to 10,000 devices, against JSON.parse of the same
 * input (which the SDK does for every payload anyway), in one run.
 *
 *   npx tsx bench/input-check.ts
 *
 * Prints a table, then one JSON line (machine noted) for tracking.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { checkWorkflowInput } from '../src/contracts/validate-input';

function rolloutInput(devices: number): unknown {
  const credentials = { set: 'core', username: 'netops', password: { kind: 'env', name: 'CORE_PASSWORD' } };
  const sites = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`s${i}`, { name: `s${i}`, timezone: 'Europe/Amsterdam', windows: [{ days: ['sat', 'sun'], start: '01:00', end: '05:00' }] }]));
  return {
    name: `bench-${devices}`,
    job: { kind: 'upgrade', image: { fileName: 'cat9k_iosxe.17.12.04.SPA.bin', md5: 'a'.repeat(32), sizeBytes: 1_298_745_344, path: '/srv/images/cat9k_iosxe.17.12.04.SPA.bin' } },
    devices: Array.from({ length: devices }, (_, i) => ({
      name: `r${Math.floor(i / 2)}-${i % 2 ? 'b' : 'a'}`,
      host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      port: 22,
      platform: 'iosxe',
      site: `s${i % 10}`,
      groups: ['core'],
      redundancyGroup: `g${Math.floor(i / 2)}`,
      credentials,
      hostKeyCheck: 'strict',
      knownHostsFile: '/etc/netops/known_hosts',
    })),
    sites,
    settings: { window: 20, canary: { count: 2 }, timings: 'real' },
  };
}

function medianMs(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const rows = [100, 1_000, 10_000].map((devices) => {
  const text = JSON.stringify(rolloutInput(devices));
  const runs = devices >= 10_000 ? 7 : 21;
  const parseMs = medianMs(runs, () => JSON.parse(text));
  const checkMs = medianMs(runs, () => {
    if (!checkWorkflowInput('rolloutWorkflow', JSON.parse(text)).ok) throw new Error('the bench input is invalid');
  }) - parseMs;
  return { devices, payloadKiB: round(text.length / 1024, 0), parseMs: round(parseMs), checkMs: round(checkMs), checkToParse: round(checkMs / parseMs, 1) };
});

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memGiB: round(totalmem() / 2 ** 30, 1), node: process.version, loadavg1: round(loadavg()[0] ?? 0) };
process.stdout.write('devices  payload KiB  JSON.parse ms  check ms  check / parse\n');
for (const r of rows) process.stdout.write(`${String(r.devices).padEnd(9)}${String(r.payloadKiB).padEnd(13)}${String(r.parseMs).padEnd(15)}${String(r.checkMs).padEnd(10)}${r.checkToParse}x\n`);
process.stdout.write(`machine: ${machine.cpus} x ${machine.cpuModel}, load ${machine.loadavg1}, ${machine.node}\n`);
process.stdout.write(`${JSON.stringify({ bench: 'input-check', rows, machine })}\n`);
