import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { ControlRejected } from '../../../src/client/netops-client';
import { ROOT } from '../../support/cli-process';
import { useRolloutEnv, waitForProgress } from '../../support/rollout-helpers';
import { startAndFail } from './contract-helpers';

// What a service in another language reads back (a query answer, an update's
// answer or refusal, the report, the failures' details) must match the
// schemas published in schemas/, checked here on real answers of real
// workflows with the files as a caller reads them.
const ajv = new Ajv({ allErrors: true, strict: false });
function expectMatches(file: string, value: unknown): void {
  const validate = ajv.getSchema(file) ?? (ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', file), 'utf8')) as object, file), ajv.getSchema(file)!);
  expect(validate(value), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

async function refusalOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause;
    throw err;
  }
  throw new Error('the update was accepted, expected a refusal');
}

describe('answers of a real rollout match the published schemas', () => {
  const t = useRolloutEnv();

  it('progress, update answers and refusals, the report', async () => {
    const fx = await t.lab(4);
    await t.netops.startRollout(await fx.input('answers', { canary: { count: 1 }, requireApproval: true, window: 2 }));
    const handle = t.netops.handle('answers');
    await waitForProgress(t.netops, 'answers', (p) => p.status === 'awaiting-approval');
    expectMatches('rollout-progress.schema.json', await handle.query('progress'));

    const paused = await handle.executeUpdate('pause', { args: [{ reason: 'look first' }] });
    expectMatches('rollout-control-answer.schema.json', paused);
    const twice = await refusalOf(handle.executeUpdate('pause', { args: [{}] }));
    expect([twice.type, twice.nonRetryable]).toEqual(['AlreadyPaused', true]);
    expectMatches('update-refusal-details.schema.json', twice.details?.[0]);
    const unknown = await refusalOf(handle.executeUpdate('retryDevice', { args: [{ device: 'nope-1' }] }));
    expect(unknown.type).toBe('UnknownDevice');
    expect(unknown.details?.[0]).toEqual({ update: 'retryDevice', refusal: 'UnknownDevice', device: 'nope-1' });
    const notFailed = await refusalOf(handle.executeUpdate('retryDevice', { args: [{ device: fx.lab.devices[0]!.name }] }));
    expect(notFailed.type).toBe('NotFailed');
    await handle.executeUpdate('resume', { args: [{}] });
    expect((await refusalOf(handle.executeUpdate('resume', { args: [{}] }))).type).toBe('NotPaused');

    expectMatches('rollout-control-answer.schema.json', await handle.executeUpdate('approve', { args: [{}] }));
    const again = await refusalOf(handle.executeUpdate('approve', { args: [{}] }));
    expect(again.type).toBe('AlreadyApproved');
    // The library carries the type too.
    await expect(t.netops.approve('answers')).rejects.toMatchObject({ name: 'ControlRejected', type: 'AlreadyApproved' });

    const report = await handle.result();
    expectMatches('rollout-report.schema.json', report);

    // After the end: the server answers the update itself, the workflow never sees it.
    await expect(handle.executeUpdate('pause', { args: [{}] })).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const ended = await t.netops.pause('answers').catch((err: unknown) => err);
    expect(ended).toBeInstanceOf(ControlRejected);
    expect((ended as ControlRejected).type).toBe('RolloutEnded');
  });

  it('an aborted rollout: RolloutAborted, its report in the failure details', async () => {
    const fx = await t.lab(4);
    for (const d of fx.lab.devices) fx.lab.setFault(d.name, { kind: 'slow-command', delayMs: 800, match: 'reload' });
    await t.netops.startRollout(await fx.input('answers-abort', { window: 2 }));
    await waitForProgress(t.netops, 'answers-abort', (p) => p.running > 0);
    await t.netops.abort('answers-abort', 'contract test');
    const failure = await t.netops
      .handle('answers-abort')
      .result()
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect([cause.type, cause.nonRetryable]).toEqual(['RolloutAborted', true]);
    expectMatches('rollout-failure-details.schema.json', cause.details?.[0]);
    expect((cause.details?.[0] as { status: string }).status).toBe('aborted');
  });

  it('an invalid input: InvalidInput, every bad field in the details', async () => {
    const fx = await t.lab(2);
    const input = JSON.parse(JSON.stringify(await fx.input('answers-invalid'))) as Record<string, Record<string, unknown>>;
    input.settings!.dryrun = true;
    const ended = await startAndFail(t.netops.client, t.netops.taskQueue, 'rolloutWorkflow', 'rollout/answers-invalid', input);
    expect(ended.type).toBe('InvalidInput');
    expectMatches('invalid-input-details.schema.json', ended.details[0]);
  });
});
