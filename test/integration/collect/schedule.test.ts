import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openResultStore } from '../../../src/results';
import { useCollectCliEnv } from './support';

// The operator's view: `collect run`, `show`, `diff` and `schedule ...`
// through the real CLI against the suite's dev server and an in-process worker.

describe('netops collect schedule', () => {
  const ctx = useCollectCliEnv();
  const id = randomUUID().slice(0, 6);
  const { common, cli } = ctx;

  it('creates, triggers, pauses, lists and deletes a collection schedule', { timeout: 90_000 }, async () => {
    const name = `sched-${id}`;
    const created = await cli(['collect', 'schedule', 'create', name, ...common(), '--every', '1h', '--overlap', 'buffer-one']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`created schedule ${name} \\(collect-${name}\\): 8 devices, every 1h, overlap buffer-one`));
    const desc = await ctx.env.client.schedule.getHandle(`collect-${name}`).describe();
    expect(desc.policies.overlap).toBe('BUFFER_ONE');
    expect(desc.action.type === 'startWorkflow' && desc.action.workflowType).toBe('collectWorkflow');

    // The schedule's action really collects: trigger it and wait for the run in the store.
    expect((await cli(['collect', 'schedule', 'trigger', name, '--address', ctx.env.address])).code).toBe(0);
    const store = openResultStore({ kind: 'local', root: ctx.fx.resultsDir });
    const deadline = Date.now() + 45_000;
    let run;
    while (!(run = (await store.listRuns()).find((r) => r.name === name && r.finishedAt)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    expect(run?.runId).toMatch(new RegExp(`^${name}-\\d{4}-\\d\\d-\\d\\dT\\d{6}Z$`));
    const up = ctx.fx.lab.devices.filter((d) => d.power === 'up').length;
    expect(run?.counts).toEqual({ ok: up, failed: 8 - up, resumedBatches: 0, resumedDevices: 0, recollectedDevices: 0 });

    expect((await cli(['collect', 'schedule', 'pause', name, '--address', ctx.env.address, '--note', 'freeze'])).code).toBe(0);
    const list = await cli(['collect', 'schedule', 'list', '--address', ctx.env.address, '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { name: string; paused: boolean; spec: string; note?: string }[]).find((s) => s.name === name)).toMatchObject({ paused: true, spec: 'every 1h', note: 'freeze' });
    expect((await cli(['collect', 'schedule', 'delete', name, '--address', ctx.env.address])).code).toBe(0);
    await expect(ctx.env.client.schedule.getHandle(`collect-${name}`).describe()).rejects.toThrow(/not found/i);
    const gone = await cli(['collect', 'schedule', 'pause', name, '--address', ctx.env.address]);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain(`no such collection schedule: ${name}`);
  });
});
