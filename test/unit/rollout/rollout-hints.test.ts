import { describe, expect, it } from 'vitest';
import { connectionFlags, renderProgress } from '../../../src/cli/rollout/render';
import type { DeviceProgress, RolloutProgress } from '../../../src/contracts/rollout';
import { CELL_GAP, renderRolloutDetails } from '../../../src/contracts/rollout-details';
import { deviceDetail, failedCanaryRefusal, nextSteps } from '../../../src/contracts/rollout-hints';

function device(name: string, extra: Partial<DeviceProgress> = {}): DeviceProgress {
  return { name, state: 'pending', site: 'site1', canary: false, attempts: 0, ...extra };
}

function progress(devices: DeviceProgress[], extra: Partial<RolloutProgress> = {}): RolloutProgress {
  const count = (s: DeviceProgress['state']) => devices.filter((d) => d.state === s).length;
  return {
    name: 'second',
    status: 'running',
    targetVersion: '17.12.04',
    dryRun: false,
    total: devices.length,
    pending: count('pending'),
    running: count('running'),
    done: count('done'),
    failed: count('failed'),
    skipped: count('skipped'),
    failureBudget: 0,
    canary: [],
    approved: true,
    paused: false,
    generation: 1,
    devices,
    ...extra,
  };
}

const busyFailed = device('r1-a', { state: 'failed', outcome: 'busy', redundancyGroup: 'g1', error: { type: 'DeviceBusy', message: 'r1-a was still held by rollout/dev after waiting 30 min' } });
const heldPeer = device('r1-b', { redundancyGroup: 'g1', waitingFor: 'redundancy', heldBy: ['r1-a'] });

describe('what a waiting or failed device says', () => {
  it.each([
    ['a peer blocked by a busy device', heldPeer, 'waiting: redundancy: held by r1-a busy'],
    ['a device waiting for another rollout', device('r2-a', { waitingFor: 'busy in rollout/dev', busy: { holder: 'rollout/dev', sinceMs: 0, untilMs: 9, retryAtMs: 1, tries: 1 } }), 'waiting: busy in rollout/dev'],
    ['a gated device', device('r3-a', { waitingFor: 'canary-gate' }), 'waiting: canary-gate'],
    ['a pending device with no reason', device('r3-b'), ''],
    ['the busy device itself', busyFailed, 'busy: DeviceBusy: r1-a was still held by rollout/dev after waiting 30 min'],
    ['a running canary', device('c1', { state: 'running', canary: true }), 'canary'],
  ])('%s', (_what, d, expected) => {
    expect(deviceDetail(progress([busyFailed, heldPeer, d]), d)).toBe(expected);
  });

  it('names a peer that is itself waiting for another rollout', () => {
    const waiting = device('r1-a', { redundancyGroup: 'g1', waitingFor: 'busy in rollout/dev', busy: { holder: 'rollout/dev', sinceMs: 0, untilMs: 9, retryAtMs: 1, tries: 2 } });
    expect(deviceDetail(progress([waiting, heldPeer]), heldPeer)).toBe('waiting: redundancy: held by r1-a waiting (busy in rollout/dev)');
  });
});

describe('what the operator can do now', () => {
  it('names the device holding its peer back, with retry and skip in full, and the connection flags in use', () => {
    const p = progress([busyFailed, heldPeer], { status: 'blocked' });
    expect(nextSteps(p, ' --address 127.0.0.1:7244')).toEqual([
      'r1-a busy holds r1-b back: netops rollout retry second r1-a --address 127.0.0.1:7244 (after fixing it) or netops rollout skip second r1-a --address 127.0.0.1:7244',
    ]);
  });

  it('keeps the gate shut after a failed canary and offers the three ways on', () => {
    const canary = device('c1', { state: 'failed', outcome: 'failed', canary: true, error: { type: 'AuthenticationFailed', message: 'login refused' } });
    const p = progress([canary, device('r1-a', { waitingFor: 'canary-gate' })], { status: 'awaiting-approval', canary: ['c1'], approved: false });
    expect(nextSteps(p)).toEqual([
      'canary c1 failed, the gate stays shut: netops rollout retry second c1 (after fixing it) or netops rollout skip second c1',
      'or go on anyway: netops rollout approve second --despite-failed-canary',
    ]);
    expect(failedCanaryRefusal(p, ['c1'])).toBe(
      'the canary did not succeed: c1 failed (login refused). Fix it and `netops rollout retry second c1`, or `netops rollout skip second c1`, or approve with --despite-failed-canary to start the remaining devices anyway',
    );
  });

  it('says approve once the canary succeeded, and nothing when nobody is needed', () => {
    const gated = progress([device('c1', { state: 'done', outcome: 'upgraded', canary: true })], { status: 'awaiting-approval', canary: ['c1'], approved: false });
    expect(nextSteps(gated, ' --namespace lab')).toEqual(['the canary succeeded: netops rollout approve second --namespace lab']);
    expect(nextSteps(progress([device('r1-a', { state: 'running' })]))).toEqual([]);
  });

  it('explains a spent budget while the running devices finish', () => {
    const p = progress([device('r1-a', { state: 'running' })], { status: 'stopping', stopReason: 'failure budget spent: 1 failed, 0 tolerated' });
    expect(nextSteps(p)).toEqual(['the failure budget is spent: no device starts; the running ones finish, then the rollout ends failed with its report']);
  });
});

describe('connectionFlags', () => {
  it.each([
    [{ address: '127.0.0.1:7233', namespace: 'default' }, ''],
    [{ address: '127.0.0.1:7244', namespace: 'default' }, ' --address 127.0.0.1:7244'],
    [{ address: '127.0.0.1:7233', namespace: 'lab' }, ' --namespace lab'],
    [{ address: 'temporal:7233', namespace: 'prod', profile: 'cloud' }, ' --address temporal:7233 --namespace prod --profile cloud'],
    [{}, ''],
  ])('%j -> "%s"', (opts, expected) => {
    expect(connectionFlags(opts)).toBe(expected);
  });
});

describe('the views agree', () => {
  it('status counts only budget-spending failures, and shows the same detail as the Web UI', () => {
    const p = progress([busyFailed, heldPeer], { status: 'blocked', failuresCounted: 0 });
    const text = renderProgress(p);
    expect(text.split('\n')[0]).toBe('second: blocked · 0/2 done · 0 running · 1 failed · 0 skipped · budget 0/0');
    expect(text).toContain('What to do:\n  r1-a busy holds r1-b back: netops rollout retry second r1-a');
    expect(text).toMatch(/r1-b +site1 +g1 +pending .*waiting: redundancy: held by r1-a busy/);
    const details = renderRolloutDetails(p);
    const g = CELL_GAP;
    expect(details).toContain(`| r1-b${g} | site1${g} | g1${g} | pending${g} | waiting: redundancy: held by r1-a busy |`);
    expect(details).toContain(`| r1-a${g} | site1${g} | g1${g} | busy${g} | busy: DeviceBusy: r1-a was still held by rollout/dev after waiting 30 min |`);
    expect(details).toContain('failure budget 0/0');
    expect(details).toContain('- r1-a busy holds r1-b back: netops rollout retry second r1-a (after fixing it) or netops rollout skip second r1-a');
  });

  it('keeps the details a well-formed table: five cells a row, pipes in messages escaped, a gap the UI keeps after each cell', () => {
    const piped = device('r9', { state: 'failed', outcome: 'failed', error: { type: 'PreCheckFailed', message: 'show | include failed' } });
    const rows = renderRolloutDetails(progress([piped, heldPeer])).split('\n').filter((l) => l.startsWith('|'));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2, row).toBe(5);
    const g = CELL_GAP;
    expect(rows).toContain(`| r9${g} | site1${g} | -${g} | failed${g} | failed: PreCheckFailed: show \\| include failed |`);
  });
});
