import { ApplicationFailure, patched, setWorkflowOptions } from '@temporalio/workflow';
import { INVALID_INPUT, type InvalidInputDetails } from '../contracts/failure-types';
import { describeProblems, checkWorkflowInput } from '../contracts/validate-input';
import { WORKFLOW_INPUTS, type WorkflowInputOf, type WorkflowTypeName } from '../contracts/workflow-inputs';

/**
 * Executions started before inputs were checked replay without the check:
 * one of them may carry an input the check would now refuse, and failing it
 * on replay would end a rollout mid-way. New executions record the marker.
 */
export const INPUT_CHECK_PATCH = 'netops-input-check-v1';

/**
 * The first line of every workflow: the input as the schema describes it
 * (defaults filled in), or a non-retryable InvalidInput failure naming every
 * bad field, before the workflow does anything.
 */
export function acceptInput<W extends WorkflowTypeName>(workflow: W, raw: unknown): WorkflowInputOf<W> {
  if (!patched(INPUT_CHECK_PATCH)) return raw as WorkflowInputOf<W>;
  const check = checkWorkflowInput(workflow, raw);
  if (check.ok) return check.value;
  const details: InvalidInputDetails = { workflow, problems: check.problems };
  throw ApplicationFailure.create({
    type: INVALID_INPUT,
    nonRetryable: true,
    message: `${workflow}: the input does not match schemas/${WORKFLOW_INPUTS[workflow].file}: ${describeProblems(check.problems)}. Nothing was done; fix these fields and start it again.`,
    details: [details],
  });
}

/**
 * An error nobody expected (a TypeError on a shape no schema caught, a bug)
 * fails the execution instead of failing its workflow task over and over,
 * which would keep it Running forever and hold its device's id. The failure's
 * type is the error's name. Non-determinism errors are not Errors of this
 * kind for the SDK: they keep the task retrying until a fixed worker is
 * deployed, which is what a running rollout needs.
 */
export function failOnUnexpectedErrors(workflow: (...args: never[]) => Promise<unknown>): void {
  setWorkflowOptions({ failureExceptionTypes: [Error] }, workflow as (...args: unknown[]) => Promise<unknown>);
}
