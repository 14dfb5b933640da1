import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../../../src/cli/shared/cli-error';
import { rolloutInputFromFlags } from '../../../src/cli/rollout/start';
import { imageRolloutRefusals } from '../../../src/contracts/image-platforms';

/** FRR has no image: `rollout start --image` refuses it before reading the image or contacting Temporal. */
const flags = {
  inventory: 'test/fixtures/inventory/lab.yaml',
  format: 'auto' as const,
  image: '/nonexistent/cat9k_iosxe.17.12.04.SPA.bin',
  window: '2',
  maxUnavailable: '1',
  siteConcurrency: '1',
  duration: '10',
  horizonDays: '14',
  failureBudget: '1',
  approval: false,
  timings: 'lab',
  rollback: true,
};

describe('image rollouts refuse FRR', () => {
  it('rollout start names the FRR device, says why and what to select instead, as a usage error', async () => {
    const err = (await rolloutInputFromFlags(flags).catch((e: unknown) => e)) as CliError;
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toMatch(/^--image: fra-frr1: FRR has no software image: it is the 'frr' package of a Linux host, upgraded with the host's package manager/);
    expect(err.message).toContain("--filter 'platform != frr'");
  });

  it('the same selection without FRR gets past the check (to the missing image file)', async () => {
    await expect(rolloutInputFromFlags({ ...flags, filter: 'platform != frr' })).rejects.toThrow(/--image: cannot read \/nonexistent/);
  });

  it('lists each platform once, naming at most five devices', () => {
    const devices = Array.from({ length: 7 }, (_, i) => ({ name: `f${i}`, platform: 'frr' })).concat({ name: 'r1', platform: 'iosxe' });
    const [line, ...rest] = imageRolloutRefusals(devices);
    expect(rest).toEqual([]);
    expect(line).toMatch(/^f0, f1, f2, f3, f4 and 2 more: FRR has no software image.*Leave them out/);
    expect(imageRolloutRefusals([{ name: 'r1', platform: 'iosxe' }, { name: 'n1', platform: 'nxos' }])).toEqual([]);
  });
});
