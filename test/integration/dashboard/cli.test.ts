import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { DashboardStatusReport } from '../../../src/contracts/dashboard';
import type { RolloutReport } from '../../../src/contracts/rollout';
import { runCli } from '../../support/cli-process';
import { assertContract } from './contract';
import { KEY_ENV, startDashboardEnv, type DashboardEnv } from './helpers';

describe('netops dashboard', () => {
  let de: DashboardEnv;
  let common: string[];
  beforeAll(async () => {
    de = await startDashboardEnv({ orgs: 2, networksPerOrg: 3, devicesPerNetwork: 5, rateLimitPerSec: 10, timeScale: 6_000, seed: 21, productTypes: ['switch', 'switch', 'wireless'] });
    await de.startOrgWorkers(10);
    common = ['--address', inject('temporalAddress'), '--task-queue', de.env.taskQueue, '--url', de.sim.url, '--api-key-ref', `env:${KEY_ENV}`];
  });
  afterAll(async () => {
    if (de) assertContract(de.sim.log.entries);
    await de?.stop();
  });

  it('status --json prints the per-organisation counts', async () => {
    const run = await runCli(['dashboard', 'status', ...common, '--org', de.sim.orgIds.join(','), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as DashboardStatusReport;
    expect(report.totals.total).toBe(30);
    expect(report.orgs.map((o) => o.orgId)).toEqual(de.sim.orgIds);
    const table = await runCli(['dashboard', 'status', ...common, '--org', de.sim.orgIds[0] as string]);
    expect(table.stdout).toMatch(/org\s+devices\s+online/);
    expect(table.stdout).toMatch(/total\s+15/);
  });

  it('rollout start --watch upgrades the chosen networks, and rollout status reads it like any rollout', async () => {
    const org = de.sim.orgIds[1] as string;
    const networks = de.sim.networkIds(org).slice(0, 2);
    const run = await runCli(
      ['dashboard', 'rollout', 'start', ...common, '--org', org, '--network', networks.join(','), '--firmware', 'switch-17-1-4', '--product', 'switch', '--caller', 'NetopsTests/1.0 Lab', '--name', `cli-${de.env.taskQueue.slice(5, 13)}`, '--poll-interval', '100ms', '--watch', '--json'],
      { timeoutMs: 90_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as RolloutReport;
    expect(report).toMatchObject({ status: 'completed', targetVersion: 'switch-17-1-4' });
    expect(report.devices.map((d) => [d.name, d.outcome, d.versionAfter])).toEqual(networks.map((n) => [n, 'upgraded', 'MS 17.1.4']));
    // The listing (here) and the workers' requests carried the caller in Meraki's User-Agent format.
    const puts = de.sim.log.filter({ method: 'PUT' });
    expect(puts).toHaveLength(2);
    expect(puts.every((e) => e.userAgent?.endsWith('Caller/(NetopsTests/1.0 Lab)'))).toBe(true);
    const status = await runCli(['rollout', 'status', report.name, '--address', inject('temporalAddress'), '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'completed' });
  });

  it('rollout start --staged --dry-run reads each switch network\'s groups and lists its stages, sending nothing; staged companions need --staged', async () => {
    const org = de.sim.orgIds[0] as string;
    const switches = de.sim.networkIds(org).slice(0, 2);
    const run = await runCli(
      ['dashboard', 'rollout', 'start', ...common, '--org', org, '--network', switches.join(','), '--firmware', 'MS 17.1.4', '--product', 'switch', '--staged', '--dry-run', '--name', `cli-st-${de.env.taskQueue.slice(5, 13)}`, '--watch', '--json'],
      { timeoutMs: 90_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as RolloutReport;
    expect(report.devices.map((d) => d.outcome)).toEqual(['ready', 'ready']);
    for (const d of report.devices) expect(d.notes?.join('\n')).toMatch(/ready: 5 switch devices MS 15\.21 -> MS 17\.1\.4 in stage 1\/2 \(Canary, 1 switch\(es\)\), stage 2\/2 \(Everything else, default group\)/);
    for (const n of switches) expect(de.sim.log.entries.filter((e) => e.method !== 'GET' && e.apiPath.startsWith(`/networks/${n}/`))).toEqual([]);
    const lonely = await runCli(['dashboard', 'rollout', 'start', ...common, '--org', org, '--firmware', 'MS 17.1.4', '--stage-interval', '2h']);
    expect(lonely.code).toBe(2);
    expect(lonely.stderr.trim()).toBe('netops: --stage-interval and --staged-abort apply to staged upgrades: add --staged');
  });

  it('--product lists only the networks that have it, and names a chosen network that does not', async () => {
    const org = de.sim.orgIds[0] as string;
    const wireless = de.sim.networkIds(org)[2] as string;
    const run = await runCli(['dashboard', 'rollout', 'start', ...common, '--org', org, '--network', wireless, '--firmware', 'MS 17.1.4', '--product', 'switch']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`netops: --network: ${wireless} has no switch devices`);
  });

  it('an unknown network and a key the dashboard refuses are one-line usage errors', async () => {
    const org = de.sim.orgIds[0] as string;
    const unknown = await runCli(['dashboard', 'rollout', 'start', ...common, '--org', org, '--network', 'L_nope', '--firmware', 'X 1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(`netops: --network: not in organisation(s) ${org}: L_nope`);
    const refused = await runCli(['dashboard', 'rollout', 'start', ...common, '--org', org, '--firmware', 'X 1'], { env: { [KEY_ENV]: 'wrong' } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot list the networks: .*401.*API key was refused/);
    expect(refused.stderr).not.toMatch(/wrong/);
  });
});
