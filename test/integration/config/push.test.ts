import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPushInputFromFlags, type ConfigPushFlags } from '../../../src/cli/rollout/config-push';
import { NetopsClient } from '../../../src/client/netops-client';
import type { LabEvent } from '../../../src/lab';
import { buildActivities } from '../../../src/workers/activities';
import type { RolloutInput } from '../../../src/contracts/rollout';
import { startLabFixture, TEST_TIMINGS, type LabFixture } from '../../support/rollout-fixture';
import { expectLabInvariants } from '../../support/rollout-helpers';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

// Config pushes through the rollout engine against a mixed lab: three pairs,
// one per platform (r1 IOS-XE, r2 NX-OS, r3 FRR).
const TEMPLATE = `interface {% if device.platform == 'frr' %}lo{% else %}Loopback100{% endif %}
 description netops {{ device.name }} at {{ device.site }}
`;

describe('config push through the rollout engine', () => {
  let env: TemporalTestEnv;
  let fx: LabFixture;
  let netops: NetopsClient;
  let templatePath: string;

  beforeAll(async () => {
    env = await connectTestEnv();
    fx = await startLabFixture({ devices: 6, sites: 1, platform: undefined, platformMix: true, initialVersion: {} });
    await env.startWorker(buildActivities());
    netops = new NetopsClient(env.client, env.taskQueue);
    templatePath = join(fx.dir, 'loopback.liquid');
    writeFileSync(templatePath, TEMPLATE);
  });
  afterAll(async () => {
    await env?.close();
    await fx?.stop();
  });

  /** The rollout input exactly as `netops config push` builds it, with test timings. */
  async function pushInput(name: string, flags: Partial<ConfigPushFlags> = {}): Promise<RolloutInput> {
    const input = await configPushInputFromFlags({
      inventory: fx.inventoryPath,
      format: 'auto',
      template: templatePath,
      failureBudget: '0',
      approval: false,
      timings: 'lab',
      verify: 'redundancy,interfaces,bgp',
      settle: '0s',
      save: true,
      window: '4',
      maxUnavailable: '1',
      siteConcurrency: '1',
      duration: '1',
      horizonDays: '14',
      ignoreWindows: true,
      name,
      ...flags,
    });
    return { ...input, settings: { ...input.settings, timings: TEST_TIMINGS } };
  }

  const runningConfigs = () => Object.fromEntries(fx.lab.devices.map((d) => [d.name, structuredClone(d.running)]));
  const eventsSince = (seq: number): LabEvent[] => fx.lab.events.filter((e) => e.seq > seq);
  const lastSeq = () => fx.lab.events.at(-1)?.seq ?? 0;

  it('a dry run shows each device its diff and changes nothing', async () => {
    const before = runningConfigs();
    const mark = lastSeq();
    await netops.startRollout(await pushInput('cfg-dry', { dryRun: true }));
    const report = await netops.result('cfg-dry');

    expect(report.status).toBe('completed');
    expect(report.dryRun).toBe(true);
    expect(report.counts.ready).toBe(6);
    const diffOf = (name: string) => report.devices.find((d) => d.name === name)?.notes?.join('\n') ?? '';
    expect(diffOf('r1-a')).toBe('2 of 2 line(s) to add:\n+ interface Loopback100\n+  description netops r1-a at site1');
    expect(diffOf('r3-b')).toBe('2 of 2 line(s) to add:\n+ interface lo\n+  description netops r3-b at site1');
    expect(runningConfigs()).toEqual(before);
    const touched = eventsSince(mark).filter((e) => e.type === 'config.change' || e.type === 'session.mutating' || e.type === 'config.save');
    expect(touched).toEqual([]);
  });

  it('applies per device, never working on both members of a pair at once, and saves', async () => {
    const mark = lastSeq();
    await netops.startRollout(await pushInput('cfg-apply'));
    const report = await netops.result('cfg-apply');

    expect(report.status, JSON.stringify(report.devices.filter((d) => d.error))).toBe('completed');
    expect(report.counts.changed).toBe(6);
    for (const d of fx.lab.devices) {
      const iface = d.running.interfaces.find((i) => i.name === (d.platform === 'frr' ? 'lo' : 'Loopback100'));
      expect(iface?.description, d.name).toBe(`netops ${d.name} at site1`);
      expect(d.startup.interfaces.some((i) => i.description === `netops ${d.name} at site1`), `${d.name} saved`).toBe(true);
    }
    expectLabInvariants(fx, 0);
    expectPairsNeverMutatedTogether(fx.lab.events, mark);
    // The engine's own record agrees: a pair's members were never in progress together.
    const span = (name: string) => {
      const r = report.devices.find((d) => d.name === name)!;
      return { from: r.startedAtMs!, to: r.startedAtMs! + r.durationMs! };
    };
    for (const k of [1, 2, 3]) {
      const [a, b] = [span(`r${k}-a`), span(`r${k}-b`)];
      expect(a.to <= b.from || b.to <= a.from, `r${k}-a and r${k}-b in progress together`).toBe(true);
    }
  });

  it('pushing the same change again reports every device unchanged and changes nothing', async () => {
    const mark = lastSeq();
    await netops.startRollout(await pushInput('cfg-again'));
    const report = await netops.result('cfg-again');

    expect(report.status).toBe('completed');
    expect(report.counts.unchanged).toBe(6);
    const since = eventsSince(mark);
    expect(since.filter((e) => e.type === 'config.change')).toEqual([]);
    expect(since.filter((e) => e.type === 'session.mutating')).toEqual([]);
  });

  it('a refused line rolls each platform back to its backup and reports the device words', async () => {
    const linesPath = join(fx.dir, 'doomed.cfg');
    writeFileSync(linesPath, 'interface Loopback200\n description doomed\n ip helper-address 10.9.9.9\n');
    const targets = ['r1-b', 'r2-b', 'r3-b'];
    const before = runningConfigs();
    await netops.startRollout(await pushInput('cfg-doomed', { template: undefined, lines: linesPath, devices: targets, failureBudget: '3', window: '3' }));
    const report = await netops.result('cfg-doomed');

    expect(report.status).toBe('failed');
    const words: Record<string, RegExp> = { 'r1-b': /% Invalid input detected/, 'r2-b': /% Invalid command/, 'r3-b': /% Unknown command/ };
    for (const name of targets) {
      const d = report.devices.find((x) => x.name === name)!;
      expect(d.outcome, name).toBe('rolled-back');
      expect(d.error?.type, name).toBe('CommandRejected');
      expect(d.error?.message, name).toMatch(words[name]!);
      expect(d.error?.message, name).toContain('ip helper-address 10.9.9.9');
      // FRR's rollback takes back a created interface's settings but keeps its (empty) section:
      // FRR refuses `no interface` for a kernel interface, and an empty section configures nothing.
      const configured = (c: (typeof before)[string] | undefined) => ({ ...c, interfaces: c!.interfaces.filter((i) => !(fx.lab.device(name).platform === 'frr' && Object.keys(i).every((k) => k === 'name' || k === 'shutdown') && !i.shutdown)) });
      expect(configured(fx.lab.device(name).running), `${name} running config equals its backup`).toEqual(configured(before[name]));
    }
    expectLabInvariants(fx, 0);
  });

  it('a change that breaks the device fails its post-check and is rolled back', async () => {
    const linesPath = join(fx.dir, 'shut.cfg');
    writeFileSync(linesPath, 'interface Vlan10\n shutdown\n');
    const before = runningConfigs();
    await netops.startRollout(await pushInput('cfg-shut', { template: undefined, lines: linesPath, devices: ['r1-b'] }));
    const report = await netops.result('cfg-shut');

    const d = report.devices[0]!;
    expect(d.outcome).toBe('rolled-back');
    expect(d.error?.type).toBe('PostCheckFailed');
    expect(d.error?.message).toMatch(/interfaces down that were up: .*Vlan10/);
    expect(fx.lab.device('r1-b').running).toEqual(before['r1-b']);
    expectLabInvariants(fx, 0);
  });

  it('an abort while lines are being sent waits for them, then rolls the device back', async () => {
    const linesPath = join(fx.dir, 'slow.cfg');
    writeFileSync(linesPath, 'interface Loopback300\n description slow to apply\n');
    const before = runningConfigs();
    const mark = lastSeq();
    fx.lab.setFault('r2-b', { kind: 'slow-command', delayMs: 1_500, match: 'slow to apply' });
    try {
      await netops.startRollout(await pushInput('cfg-abort', { template: undefined, lines: linesPath, devices: ['r2-b'] }));
      await fx.lab.waitForEvent((e) => e.type === 'config.change' && e.device === 'r2-b' && e.line === 'interface Loopback300', 20_000, mark);
      await netops.abort('cfg-abort', 'test: abort mid-change');
      const report = await netops.result('cfg-abort');

      expect(report.status).toBe('aborted');
      const d = report.devices[0]!;
      expect(d.outcome).toBe('aborted');
      expect(d.notes?.join(' ')).toMatch(/rolled back to the configuration saved before the push/);
      expect(fx.lab.device('r2-b').running).toEqual(before['r2-b']);
      // The rollback came after the last line the apply sent, never interleaved with it.
      const since = eventsSince(mark).filter((e) => e.type === 'config.change' && e.device === 'r2-b');
      expect(since.map((e) => (e.type === 'config.change' ? e.line : '')).at(-1)).toMatch(/^rollback to checkpoint/);
    } finally {
      fx.lab.clearFault('r2-b');
    }
    expectLabInvariants(fx, 0);
  });
});

/** From the lab's own log: the mutating sessions of the two members of a pair never overlap in time. */
function expectPairsNeverMutatedTogether(all: LabEvent[], sinceSeq: number): void {
  const start = all.find((e) => e.type === 'lab.start');
  const events = all.filter((e) => e.seq > sinceSeq);
  const groups = start?.type === 'lab.start' ? start.groups : undefined;
  const intervals = new Map<string, { device: string; from: number; to: number }>();
  for (const e of events) {
    if (e.type === 'session.mutating' && !intervals.has(e.session)) intervals.set(e.session, { device: e.device, from: e.t, to: Number.POSITIVE_INFINITY });
    if (e.type === 'session.close' && intervals.has(e.session)) intervals.get(e.session)!.to = e.t;
  }
  const byDevice = (name: string) => [...intervals.values()].filter((i) => i.device === name);
  expect(groups).toBeDefined();
  const pairs = Object.values(groups ?? {});
  let checked = 0;
  for (const [a, b] of pairs) {
    for (const x of byDevice(a!)) {
      for (const y of byDevice(b!)) {
        checked++;
        expect(x.to <= y.from || y.to <= x.from, `${a} ${x.from}-${x.to} overlaps ${b} ${y.from}-${y.to}`).toBe(true);
      }
    }
  }
  expect(checked).toBeGreaterThan(0);
}
