import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadInventory } from '../../../src/inventory';
import { toDeviceTarget } from '../../../src/client/device-targets';
import { inspectImage } from '../../../src/client/image-file';
import { checkRedundancyGroups } from '../../../src/cli/rollout/inventory-check';
import { CliError, ExitCode } from '../../../src/cli/shared/cli-error';
import { labImageName, makeLabImage } from '../../../src/lab';
import type { RolloutInput, RolloutProgress } from '../../../src/contracts/rollout';
import { runCli } from '../../support/cli-process';
import { startLabFixture, TEST_TIMINGS, type LabFixture } from '../../support/rollout-fixture';
import { expectLabInvariants, useRolloutEnv, waitForProgress } from '../../support/rollout-helpers';

interface DiscoverJson {
  groups: { name: string; kind: string; members: string[]; evidence: { device: string; says: string }[] }[];
  disagreements: { kind: string; message: string; evidence: { device: string; says: string }[] }[];
  unanswered: { device: string; error: string }[];
}

/** The lab's inventory with two pairs crossed: r1-b and r2-b swap redundancy groups (both in site1). */
function misPair(inventoryPath: string, a: string, b: string): string {
  const text = readFileSync(inventoryPath, 'utf8');
  const groupOf = (name: string) => new RegExp(`\\n  ${name}:\\n(?:    .*\\n)*?    redundancy_group: (\\S+)`).exec(text)?.[1];
  const [ga, gb] = [groupOf(a), groupOf(b)];
  expect(ga && gb && ga !== gb, text).toBeTruthy();
  const swapped = text
    .replace(new RegExp(`(\\n  ${a}:\\n(?:    .*\\n)*?    redundancy_group: )\\S+`), `$1${gb}`)
    .replace(new RegExp(`(\\n  ${b}:\\n(?:    .*\\n)*?    redundancy_group: )\\S+`), `$1${ga}`);
  const path = inventoryPath.replace(/\.yaml$/, '-mispaired.yaml');
  writeFileSync(path, swapped);
  return path;
}

describe('redundancy groups: discovered from the devices, cross-checked before a rollout', () => {
  const t = useRolloutEnv();
  const address = () => inject('temporalAddress');

  it('discover finds every pair the lab built, with evidence; its overlay, applied to a mis-paired inventory, makes the cross-check pass', async () => {
    const fx = await t.lab(8);
    const before = fx.lab.devices.map((d) => [d.name, d.version, d.reloadCount]);
    const discover = (inventory: string, ...more: string[]) =>
      runCli(['inventory', 'discover', '--inventory', inventory, '--address', address(), '--task-queue', t.netops.taskQueue, ...more]);
    const run = await discover(fx.inventoryPath, '--json');
    expect(run.code, run.stderr).toBe(0);
    const found = JSON.parse(run.stdout) as DiscoverJson;
    const byGroup = new Map<string, string[]>();
    for (const d of fx.lab.devices) if (d.redundancyGroup) byGroup.set(d.redundancyGroup, [...(byGroup.get(d.redundancyGroup) ?? []), d.name]);
    const labPairs = [...byGroup.values()].map((m) => m.sort().join('+')).sort();
    expect(labPairs).toHaveLength(4);
    expect(found.groups.map((g) => g.members.slice().sort().join('+')).sort()).toEqual(labPairs);
    expect(found.groups.every((g) => g.kind === 'hsrp' && g.evidence.length === 2)).toBe(true);
    expect(found.disagreements).toEqual([]);

    const crossed = misPair(fx.inventoryPath, 'r1-b', 'r2-b');
    const text = await discover(crossed);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/The inventory disagrees with the devices \(\d+\):/);
    expect(text.stdout).toContain('- r1-a and r1-b are HSRP partners, but the inventory says r1-a is in');
    expect(text.stdout).toMatch(/\n {4}r1-a: Vl(an)?\d+ HSRP group \d+ VIP [\d.]+ \w+/);

    const overlay = join(fx.dir, 'overlay.yaml');
    expect((await discover(crossed, '--write', overlay)).code).toBe(0);
    expect(readFileSync(overlay, 'utf8')).toMatch(/^devices:\n/m);
    const applied = await runCli(['inventory', 'apply-overlay', overlay, '--inventory', crossed]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/redundancy_group of \d+ devices changed/);
    const again = JSON.parse((await discover(crossed, '--json')).stdout) as DiscoverJson;
    expect(again.disagreements).toEqual([]);
    await expect(checkRedundancyGroups({ inventory: crossed, format: 'auto', address: address(), taskQueue: t.netops.taskQueue }, () => undefined)).resolves.toMatch(/^redundancy groups: cross-checked with 8 devices, no disagreement$/);
    // Read-only throughout.
    expect(fx.lab.devices.map((d) => [d.name, d.version, d.reloadCount])).toEqual(before);
  });

  it('refuses a mis-paired inventory before anything changes, with the evidence; --trust-inventory proceeds and the rollout\'s details record it', async () => {
    const fx = await t.lab(4);
    const crossed = misPair(fx.inventoryPath, 'r1-b', 'r2-b');
    const flags = { inventory: crossed, format: 'auto' as const, address: address(), taskQueue: t.netops.taskQueue };
    const said: string[] = [];
    const refused = await checkRedundancyGroups(flags, (l) => said.push(l)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CliError);
    expect((refused as CliError).exitCode).toBe(ExitCode.inventoryDisagrees);
    expect((refused as CliError).message).toMatch(/^the inventory's redundancy groups disagree with the devices \(4 findings above\); nothing was started/);
    expect(said.join('\n')).toMatch(/- r1-a and r1-b are HSRP partners[^\n]*\n {4}r1-a: [^\n]+\n {4}r1-b: [^\n]+\n {4}fix: give r1-a and r1-b one redundancy_group/);
    expect(fx.lab.devices.every((d) => d.reloadCount === 0)).toBe(true);

    const log: string[] = [];
    const note = await checkRedundancyGroups({ ...flags, trustInventory: true }, (l) => log.push(l));
    expect(log).toEqual(['netops: redundancy groups: not cross-checked with the devices (--trust-inventory)']);
    const input = await fx.input('trusted', { dryRun: true });
    await t.netops.startRollout(input, { detailsNote: note });
    const description = await t.netops.handle('trusted').describe();
    expect(await description.staticDetails()).toContain('redundancy groups: not cross-checked with the devices (--trust-inventory)');
    await t.netops.handle('trusted').result().catch(() => undefined);
  });
});

describe('vPC pairs in a rollout (NX-OS lab with dual-homed access switches)', () => {
  const t = useRolloutEnv();
  const FROM = '10.2.5';
  const TO = '10.4.3';
  /** What `show version` prints for it (NX-OS writes the maintenance release in brackets). */
  const TO_SHOWN = '10.4(3)';
  const fixtures: LabFixture[] = [];
  afterAll(async () => Promise.all(fixtures.map((f) => f.stop())));

  async function nxosRollout(name: string, fault?: (fx: LabFixture) => void): Promise<{ progress: RolloutProgress; fx: LabFixture }> {
    const fx = await startLabFixture({ devices: 2, sites: 1, platform: 'nxos', initialVersion: FROM, downstream: true });
    fixtures.push(fx);
    fault?.(fx);
    const imagePath = join(fx.dir, labImageName('nxos', TO));
    writeFileSync(imagePath, makeLabImage(TO, 128 * 1024));
    const inv = await loadInventory(fx.inventoryPath);
    const input: RolloutInput = {
      name,
      job: { kind: 'upgrade', image: await inspectImage(imagePath, TO_SHOWN), rollbackOnFailedPostCheck: true },
      devices: inv.devices.filter((d) => d.platform === 'nxos').map(toDeviceTarget),
      sites: inv.sites,
      settings: { window: 2, expectedDeviceDurationMs: 60_000, respectWindows: false, failureBudget: { count: 2 }, requireApproval: false, dryRun: false, timings: TEST_TIMINGS },
    };
    await t.netops.startRollout(input);
    // A failed member holds its partner back (the rollout is then blocked, waiting for an operator).
    const progress = await waitForProgress(t.netops, name, (p) => ['completed', 'failed', 'blocked', 'aborted'].includes(p.status) && p.running === 0, 60_000);
    return { progress, fx };
  }

  it('refuses a pair with a consistency failure before anything changes, quoting show vpc', async () => {
    const { progress, fx } = await nxosRollout('vpc-inconsistent', (f) => f.lab.setFault('r1-b', { kind: 'vpc-consistency-failure' }));
    const failed = progress.devices.filter((d) => d.state === 'failed');
    expect(failed.length, JSON.stringify(progress.devices)).toBeGreaterThan(0);
    for (const d of failed) {
      expect(d.error?.type, JSON.stringify(d)).toBe('PreCheckFailed');
      expect(d.error?.message).toMatch(/show vpc: 'Configuration consistency status : failed/);
    }
    // Nothing changed on either switch: no image staged, no reload, no configuration.
    const changes = fx.lab.events.filter((e) => e.type === 'config.change' || e.type === 'config.save' || e.type === 'reload.start' || e.type === 'transfer');
    expect(changes).toEqual([]);
    expect(fx.lab.devices.filter((d) => d.platform === 'nxos').map((d) => [d.name, d.version, d.reloadCount])).toEqual([['r1-a', FROM, 0], ['r1-b', FROM, 0]]);
  });

  it('upgrades a healthy pair primary first, waits for the domain to re-form, and no dual-homed switch loses both paths', async () => {
    const { progress, fx } = await nxosRollout('vpc-healthy');
    const report = await t.netops.result('vpc-healthy');
    expect(progress.status).toBe('completed');
    expect(report.devices.map((d) => [d.name, d.outcome]).sort(), JSON.stringify(report.devices)).toEqual([['r1-a', 'upgraded'], ['r1-b', 'upgraded']]);
    const primary = report.devices.find((d) => d.notes?.some((n) => /vPC domain 1 primary/.test(n)))?.name;
    expect(primary).toBeDefined();
    const reloads = fx.lab.events.filter((e) => e.type === 'reload.start').map((e) => (e as { device: string }).device);
    expect(reloads[0]).toBe(primary);
    expect(reloads).toHaveLength(2);
    // The partner started only after the reloaded switch's vPCs were up again.
    const events = fx.lab.events;
    const backUp = events.findIndex((e) => e.type === 'device.up' && (e as { device: string }).device === primary);
    const partnerReload = events.findIndex((e) => e.type === 'reload.start' && (e as { device: string }).device !== primary);
    expect(events.slice(backUp, partnerReload).some((e) => e.type === 'vpc' && (e as { device: string; members: string }).device === primary && (e as { members: string }).members === 'up')).toBe(true);
    expectLabInvariants(fx);
  });
});

describe('rollout plan on a vPC pair', () => {
  const t = useRolloutEnv();
  const fixtures: LabFixture[] = [];
  afterAll(async () => Promise.all(fixtures.map((f) => f.stop())));

  it("shows each switch's real place in the order: the configured vPC primary first", async () => {
    const fx = await startLabFixture({ devices: 2, sites: 1, platform: 'nxos', initialVersion: '10.2.5', downstream: true });
    fixtures.push(fx);
    const imagePath = join(fx.dir, labImageName('nxos', '10.4.3'));
    writeFileSync(imagePath, makeLabImage('10.4.3', 64 * 1024));
    const plan = await runCli(['rollout', 'plan', '--inventory', fx.inventoryPath, '--image', imagePath, '--devices', 'r1-a,r1-b', '--address', inject('temporalAddress'), '--task-queue', t.netops.taskQueue, '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    const parsed = JSON.parse(plan.stdout) as { roles: Record<string, { role: string; source: string; why?: string }>; plan: { order: string[] } };
    expect(parsed.roles['r1-a']).toEqual({ role: 'standby', source: 'device', why: "vPC domain 1 primary: goes first (Cisco's vPC upgrade order)" });
    expect(parsed.roles['r1-b']).toEqual({ role: 'active', source: 'device', why: "vPC domain 1 secondary: goes after its vPC peer (Cisco's vPC upgrade order)" });
    expect(parsed.plan.order.indexOf('r1-a')).toBeLessThan(parsed.plan.order.indexOf('r1-b'));
  });
});

describe('graceful isolation (--isolation isolate) on the lab', () => {
  const t = useRolloutEnv();
  const fixtures: LabFixture[] = [];
  afterAll(async () => Promise.all(fixtures.map((f) => f.stop())));

  async function start(name: string, platform: 'nxos' | 'iosxe', from: string, to: string, shown: string) {
    const fx = await startLabFixture({ devices: 2, sites: 1, platform, initialVersion: from, downstream: platform === 'nxos' });
    fixtures.push(fx);
    const imagePath = join(fx.dir, labImageName(platform, to));
    writeFileSync(imagePath, makeLabImage(to, 128 * 1024));
    const inv = await loadInventory(fx.inventoryPath);
    const input: RolloutInput = {
      name,
      job: { kind: 'upgrade', image: await inspectImage(imagePath, shown), rollbackOnFailedPostCheck: true, isolation: 'isolate' },
      devices: inv.devices.filter((d) => d.platform === platform).map(toDeviceTarget),
      sites: inv.sites,
      settings: { window: 2, expectedDeviceDurationMs: 60_000, respectWindows: false, failureBudget: { count: 2 }, requireApproval: false, dryRun: false, timings: TEST_TIMINGS },
    };
    await t.netops.startRollout(input);
    return fx;
  }
  const modes = (fx: LabFixture) => fx.lab.events.filter((e) => e.type === 'system.mode' || e.type === 'reload.start').map((e) => `${(e as { device: string }).device} ${e.type === 'reload.start' ? 'reload' : (e as { mode: string }).mode}`);

  it('takes each vPC switch into maintenance mode before its reload and back after, confirmed on the partner', async () => {
    const fx = await start('isolate-vpc', 'nxos', '10.2.5', '10.4.3', '10.4(3)');
    const report = await t.netops.result('isolate-vpc');
    expect(report.devices.map((d) => [d.name, d.outcome]).sort(), JSON.stringify(report.devices)).toEqual([['r1-a', 'upgraded'], ['r1-b', 'upgraded']]);
    const first = report.devices.find((d) => d.notes?.some((n) => /primary, partner/.test(n)))!;
    expect(first.notes?.join('\n')).toMatch(/isolated \(maintenance mode\): .*vPC operational primary, every vPC up/);
    const [a, b] = [first.name, first.name === 'r1-a' ? 'r1-b' : 'r1-a'];
    expect(modes(fx)).toEqual([`${a} maintenance`, `${a} reload`, `${a} normal`, `${b} maintenance`, `${b} reload`, `${b} normal`]);
    expect(fx.lab.devices.every((d) => d.systemMode === 'normal')).toBe(true);
    expectLabInvariants(fx);
  });

  it('brings a device back to normal mode when the rollout is aborted while it is isolated', async () => {
    const fx = await start('isolate-abort', 'nxos', '10.2.5', '10.4.3', '10.4(3)');
    const deadline = Date.now() + 30_000;
    while (!fx.lab.events.some((e) => e.type === 'system.mode' && (e as { mode: string }).mode === 'maintenance')) {
      if (Date.now() > deadline) throw new Error(`no device entered maintenance mode: ${JSON.stringify(modes(fx))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await t.netops.abort('isolate-abort', 'test: abort while isolated');
    const report = await t.netops.result('isolate-abort');
    expect(report.status).toBe('aborted');
    expect(fx.lab.devices.map((d) => [d.name, d.systemMode])).toEqual(fx.lab.devices.map((d) => [d.name, 'normal']));
    const isolated = (fx.lab.events.find((e) => e.type === 'system.mode') as { device: string }).device;
    expect(modes(fx).filter((m) => m.startsWith(isolated)).at(-1)).toBe(`${isolated} normal`);
    expectLabInvariants(fx);
  });

  it('isolates an IOS-XE HSRP pair with start/stop maintenance, the standby taking over', async () => {
    const fx = await start('isolate-iosxe', 'iosxe', '17.09.04a', '17.12.04', '17.12.04');
    const report = await t.netops.result('isolate-iosxe');
    expect(report.devices.map((d) => [d.name, d.outcome]).sort(), JSON.stringify(report.devices)).toEqual([['r1-a', 'upgraded'], ['r1-b', 'upgraded']]);
    expect(report.devices.some((d) => d.notes?.some((n) => /isolated \(maintenance mode\): r1-[ab] active for group/.test(n)))).toBe(true);
    expect(modes(fx).filter((m) => / (maintenance|normal)$/.test(m))).toHaveLength(4);
    expect(fx.lab.devices.every((d) => d.systemMode === 'normal')).toBe(true);
    expectLabInvariants(fx);
  });
});
