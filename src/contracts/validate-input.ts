import { fieldNamesOf, toInputProblems, type InputProblem } from './input-problems';
import { WORKFLOW_INPUTS, type WorkflowInputOf, type WorkflowTypeName } from './workflow-inputs';

export type InputCheck<W extends WorkflowTypeName> = { ok: true; value: WorkflowInputOf<W> } | { ok: false; problems: InputProblem[] };

/**
 * Checks one workflow's argument against its published schema and fills the
 * defaults. Pure and deterministic: the workflows run it on their first task,
 * inside Temporal's sandbox, and services may run it before they start one.
 */
export function checkWorkflowInput<W extends WorkflowTypeName>(workflow: W, raw: unknown): InputCheck<W> {
  const schema = WORKFLOW_INPUTS[workflow].schema;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data as WorkflowInputOf<W> };
  return { ok: false, problems: toInputProblems(parsed.error.issues, knownFields(workflow)) };
}

const fieldNames = new Map<WorkflowTypeName, Set<string>>();
function knownFields(workflow: WorkflowTypeName): Set<string> {
  let names = fieldNames.get(workflow);
  if (!names) fieldNames.set(workflow, (names = fieldNamesOf(WORKFLOW_INPUTS[workflow].schema)));
  return names;
}

/** The problems as one line each, the way a failure message lists them. */
export function describeProblems(problems: readonly InputProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}
