import { describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/shared/cli-error';
import { versionFromFileName } from '../../../src/client/image-file';
import { parseDuration, parseFailureBudget, timingsFromFlags } from '../../../src/cli/rollout/settings';
import { webUiBase, workflowUrl } from '../../../src/cli/shared/ui-link';

describe('image version from the file name', () => {
  it.each([
    ['cat9k_iosxe.17.12.04.SPA.bin', '17.12.04'],
    ['/images/cat9k_iosxe.17.09.04a.SPA.bin', '17.09.04a'],
    ['isr4300-universalk9.17.06.05.SPA.bin', '17.06.05'],
    ['nxos64-cs.10.4.3.F.bin', '10.4.3'],
    ['nxos.9.3.10.bin', '9.3.10'],
    ['frr-8.5.4.bin', '8.5.4'],
  ])('%s -> %s', (file, version) => expect(versionFromFileName(file)).toBe(version));
  it('says nothing for unknown names', () => expect(versionFromFileName('firmware.img')).toBeUndefined());
});

describe('--failure-budget', () => {
  it.each([
    ['0', { count: 0 }],
    ['3', { count: 3 }],
    ['5%', { percent: 5 }],
    ['2.5%', { percent: 2.5 }],
  ])('%s', (v, expected) => expect(parseFailureBudget(v)).toEqual(expected));
  it.each([
    ['-1', '--failure-budget: "-1" is not a count or a percentage (e.g. 2 or 5%)'],
    ['many', '--failure-budget: "many" is not a count or a percentage (e.g. 2 or 5%)'],
    ['150%', '--failure-budget: "150%" is more than 100%'],
  ])('refuses %s', (v, message) => {
    expect(() => parseFailureBudget(v)).toThrow(new CliError(message));
  });
});

describe('durations and timing presets', () => {
  it.each([
    ['90s', 90_000],
    ['20m', 1_200_000],
    ['1h', 3_600_000],
    ['1500', 1500],
  ])('%s is %i ms', (v, ms) => expect(parseDuration(v, '--x')).toBe(ms));
  it('refuses nonsense with the flag name', () => {
    expect(() => parseDuration('soon', '--reload-timeout')).toThrow('--reload-timeout: "soon" is not a duration (e.g. 90s, 20m, 1h)');
  });
  it('has real defaults in minutes and lab ones in seconds', () => {
    expect(timingsFromFlags({ timings: 'real' }).reloadTimeoutMs).toBe(20 * 60_000);
    expect(timingsFromFlags({ timings: 'lab' }).reloadTimeoutMs).toBeLessThanOrEqual(60_000);
    expect(timingsFromFlags({ timings: 'real', reloadTimeout: '45m' }).reloadTimeoutMs).toBe(45 * 60_000);
  });
  it('refuses an unknown preset', () => {
    expect(() => timingsFromFlags({ timings: 'fast' })).toThrow('--timings: "fast" is not a preset (expected real or lab)');
  });
});

describe('Web UI links', () => {
  it('derives the dev server UI from a loopback address', () => {
    expect(webUiBase('127.0.0.1:7233', undefined, {})).toBe('http://127.0.0.1:8233');
  });
  it('prefers an explicit URL, then NETOPS_UI_URL', () => {
    expect(webUiBase('127.0.0.1:7233', 'https://ui.example/', {})).toBe('https://ui.example');
    expect(webUiBase('x.tmprl.cloud:7233', undefined, { NETOPS_UI_URL: 'https://cloud.temporal.io' })).toBe('https://cloud.temporal.io');
  });
  it('does not guess for a remote cluster', () => {
    expect(webUiBase('temporal.corp:7233', undefined, {})).toBeUndefined();
  });
  it('escapes the workflow id', () => {
    expect(workflowUrl('http://127.0.0.1:8233', 'default', 'rollout/ams1')).toBe('http://127.0.0.1:8233/namespaces/default/workflows/rollout%2Fams1');
  });
});
