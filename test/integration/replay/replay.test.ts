import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../../support/cli-process';
import { installQuietRuntime } from '../../support/temporal';
import { historyFromJson } from './history-json';

// Every recorded history (scripts/record-history.ts) must replay on the
// current workflow code: a rollout started by the previous release is still
// running when the new worker picks it up, and any change in the commands it
// issues would wedge it. A failure here means: put the change behind
// `patched()`, do not re-record.

const HISTORIES = join(ROOT, 'test', 'fixtures', 'histories');
const EXPECTED = [
  'device-upgrade-aborted.json',
  'device-upgrade-active.json',
  'device-upgrade-defaults.json',
  'rollout-abort.json',
  'rollout-busy-wait.json',
  'rollout-canary-approval.json',
  // Recorded on the code that started children by type name (before workflows/jobs.ts): each kind's child type must stay.
  'rollout-config-push.json',
  'rollout-dashboard-firmware.json',
  // A staged dashboard rollout (issue 14): the rollout, a network upgraded stage by stage, one whose canary stage missed and was rolled back.
  'rollout-dashboard-staged.json',
  'dashboard-network-staged-upgraded.json',
  'dashboard-network-staged-rolled-back.json',
  'rollout-defaults.json',
  'rollout-failed-canary-despite.json',
  'rollout-failed-retry.json',
];

function recorded(): { file: string; history: ReturnType<typeof historyFromJson> }[] {
  return readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, history: historyFromJson(readFileSync(join(HISTORIES, file), 'utf8')) }));
}

async function replayAll(workflowBundle: { codePath: string } | { code: string }, histories = recorded()): Promise<{ replayed: string[]; failures: Record<string, string> }> {
  const replayed: string[] = [];
  const failures: Record<string, string> = {};
  const results = Worker.runReplayHistories(
    { workflowBundle, replayName: 'netops-replay' },
    histories.map((h) => ({ workflowId: h.file, history: h.history })),
  );
  for await (const r of results) {
    replayed.push(r.workflowId);
    if (r.error) failures[r.workflowId] = `${r.error.name}: ${r.error.message}`;
  }
  return { replayed, failures };
}

describe('recorded histories replay on the current workflow code', () => {
  installQuietRuntime();
  const scratch: string[] = [];

  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the scenarios worth guarding', () => {
    expect(recorded().map((h) => h.file)).toEqual(expect.arrayContaining(EXPECTED));
    for (const { file, history } of recorded()) {
      const types = (history.events ?? []).map((e) => e.eventType);
      expect(types.length, file).toBeGreaterThan(10);
    }
  });

  it('replays every history without non-determinism', async () => {
    const { replayed, failures } = await replayAll({ codePath: inject('workflowBundlePath') });
    expect(failures).toEqual({});
    expect(replayed.sort()).toEqual(recorded().map((h) => h.file));
  });

  it('would catch a breaking change: set boot moved after the reload', async () => {
    // The mutant is a scratch copy of src/, bundled from a temp dir; the real file is never touched.
    const dir = mkdtempSync(join(tmpdir(), 'netops-replay-mutant-'));
    scratch.push(dir);
    cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const file = join(dir, 'src', 'workflows', 'device-upgrade.ts');
    writeFileSync(file, moveSetBootAfterReload(readFileSync(file, 'utf8')));
    const { code } = await bundleWorkflowCode({ workflowsPath: join(dir, 'src', 'workflows', 'index.ts'), logger: silent() });

    const device = recorded().find((h) => h.file === 'device-upgrade-active.json');
    expect(device, 'device-upgrade-active.json is recorded').toBeDefined();
    // Only meaningful if the unmodified code replays it: otherwise any failure would "pass".
    const baseline = await replayAll({ codePath: inject('workflowBundlePath') }, [device!]);
    expect(baseline.failures, 'the current code must replay this history before a mutant can be judged').toEqual({});
    await expect(Worker.runReplayHistory({ workflowBundle: { code }, replayName: 'netops-mutant' }, device!.history, device!.file)).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});

/** The `set boot` step (one statement) moved to just after the reload's status check. */
function moveSetBootAfterReload(source: string): string {
  const lines = source.split('\n');
  const setBoot = lines.findIndex((l) => l.includes('await quick.setBootAndSave.executeWithOptions({ summary: `set boot'));
  const afterReload = lines.findIndex((l) => l.includes("if (reload.status !== 'reloaded')"));
  if (setBoot < 0 || afterReload < 0 || afterReload < setBoot) {
    throw new Error('src/workflows/device-upgrade.ts no longer has the set boot / reload statements this check moves; update moveSetBootAfterReload');
  }
  const [statement] = lines.splice(setBoot, 1);
  lines.splice(afterReload, 0, statement!);
  return lines.join('\n');
}

function silent() {
  const noop = () => undefined;
  return { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
}
