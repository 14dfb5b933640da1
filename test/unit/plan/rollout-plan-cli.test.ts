import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../../src/cli/shared/cli-error';
import { getOrCreateGroup } from '../../../src/cli/shared/command-groups';
import { register } from '../../../src/cli/rollout/plan';
import { formatDuration } from '../../../src/cli/shared/format-duration';

const LAB = 'test/fixtures/inventory/lab.yaml';
const dir = mkdtempSync(join(tmpdir(), 'rollout-plan-'));
const image = join(dir, 'ios-17.bin');
writeFileSync(image, Buffer.alloc(2048));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(...args: string[]): Promise<string> {
  const program = new Command('netops').exitOverride();
  register(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  // Live roles need a worker (test/integration/rollout/plan-roles.test.ts); here the inventory's.
  await program.parseAsync(['node', 'netops', 'rollout', 'plan', '--inventory', LAB, '--image', image, '--roles', 'inventory', ...args]);
  return out;
}

describe('netops rollout plan', () => {
  it('prints pairs split across waves, unknown roles, and site-local window times', async () => {
    const out = await run('--filter', 'platform != frr', '--window', '4', '--at', '2026-11-28T00:00Z', '--duration', '60');
    expect(out).toContain('Rollout plan: 4 devices at 1 site, image ios-17.bin (2.0 KiB), from 2026-11-28 00:00 UTC');
    expect(out).toContain('ams1-hsrp-10  r1-a (unknown), r1-b (unknown)  1');
    expect(out).toMatch(/ams1 +Europe\/Amsterdam +sat,sun 01:00-05:00 +open until Sat 28 Nov, 05:00 CET/);
    const rows = out.split('\n').filter((l) => /^ {2}\d+ /.test(l));
    const wave = (name: string) => rows.find((r) => r.includes(` ${name} `))?.trim().split(/\s+/)[0];
    expect(wave('r1-a')).toBe('1');
    expect(wave('n1-a')).toBe('1');
    expect(wave('r1-b')).toBe('2');
    expect(wave('n1-b')).toBe('2');
    expect(out).toContain('expected makespan 2h');
  });

  it('says per grouped device where its role came from, and why when not from the device', async () => {
    const out = await run('--site', 'ams1', '--at', '2026-11-28T00:00Z');
    expect(out).toMatch(/Roles\n  DEVICE +ROLE +FROM +WHY\n  r1-a +unknown +- +not asked \(--roles inventory\)\n/);
    const parsed = JSON.parse(await run('--site', 'ams1', '--at', '2026-11-28T00:00Z', '--json')) as { roles: Record<string, unknown> };
    expect(parsed.roles['r1-b']).toEqual({ role: 'unknown', source: 'none', why: 'not asked (--roles inventory)' });
  });

  it('prints the plan as JSON with --json', async () => {
    const out = await run('--canary', '1', '--window', '2', '--site', 'ams1', '--at', '2026-11-28T00:00Z', '--json');
    const parsed = JSON.parse(out) as { selection: string; plan: { canary: string[]; order: string[] }; lowerBoundMakespanMs: number };
    expect(parsed.selection).toBe('--site ams1');
    expect(parsed.plan.order).toEqual(['r1-a', 'r1-b', 'n1-a', 'n1-b']);
    expect(parsed.plan.canary).toEqual(['r1-a']);
    expect(parsed.lowerBoundMakespanMs).toBe(2 * 30 * 60_000);
  });

  it('reports plan problems as one usage error', async () => {
    await expect(run('--canary', 'r9,r1-a', '--max-unavailable', '2')).rejects.toThrow(CliError);
    await expect(run('--site', 'ams1', '--canary', 'r9')).rejects.toThrow('canary device(s) not in the selection: r9');
    await expect(run('--at', 'tomorrow')).rejects.toThrow(/--at: "tomorrow" is not an ISO time with a zone/);
    await expect(run('--window', '0')).rejects.toThrow(/--window/);
  });

  it('refuses FRR devices, which have no image, and says why and what to select instead', async () => {
    await expect(run('--at', '2026-11-28T00:00Z')).rejects.toThrow(/^--image: fra-frr1: FRR has no software image: it is the 'frr' package of a Linux host.*--filter 'platform != frr'/);
  });

  it('refuses a missing image file before loading anything', async () => {
    const program = new Command('netops').exitOverride();
    register(program);
    await expect(
      program.parseAsync(['node', 'netops', 'rollout', 'plan', '--inventory', LAB, '--image', join(dir, 'missing.bin')]),
    ).rejects.toThrow(/--image: cannot read .*missing\.bin \(ENOENT\)/);
  });

  it('lists unschedulable devices when no window is long enough', async () => {
    const out = await run('--site', 'ams1', '--duration', '300', '--at', '2026-11-23T00:00Z');
    expect(out).toContain('Unschedulable (4):');
    expect(out).toContain('r1-a: no maintenance window at site ams1 is long enough for 5 h in the next 336 h');
  });
});

describe('getOrCreateGroup', () => {
  it('shares one `rollout` group between modules, whatever registers first', () => {
    const program = new Command('netops');
    getOrCreateGroup(program, 'rollout', 'first').command('start');
    register(program);
    const groups = program.commands.filter((c) => c.name() === 'rollout');
    expect(groups).toHaveLength(1);
    expect(groups[0]?.commands.map((c) => c.name()).sort()).toEqual(['plan', 'start']);
    expect(groups[0]?.description()).toBe('first');
  });
});

describe('formatDuration', () => {
  it('prints days, hours and minutes compactly', () => {
    expect(formatDuration(0, 'minutes')).toBe('0m');
    expect(formatDuration(90 * 60_000, 'minutes')).toBe('1h30m');
    expect(formatDuration(26 * 3_600_000, 'minutes')).toBe('1d2h');
    expect(formatDuration((3 * 1440 + 4 * 60 + 5) * 60_000, 'minutes')).toBe('3d4h5m');
    // Reports speak in seconds.
    expect(formatDuration(480)).toBe('480ms');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000 + 40_000)).toBe('2h03m');
  });
});
