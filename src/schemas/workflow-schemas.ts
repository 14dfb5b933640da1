import { invalidInputDetailsSchema, rolloutFailureDetailsSchema, updateRefusalDetailsSchema } from '../contracts/failure-types';
import { approveArgsSchema, controlAnswerSchema, deviceArgsSchema, reasonArgsSchema, rolloutProgressSchema, rolloutReportSchema } from '../contracts/rollout-schemas';
import { WORKFLOW_INPUTS } from '../contracts/workflow-inputs';
import { z } from '../contracts/zod';

/**
 * The JSON Schemas published in schemas/, generated from the same zod
 * schemas the workflows validate their input with, so the two cannot drift.
 * `npm run schemas` writes them; a unit test fails when the files are stale.
 */
export interface PublishedSchemaSpec {
  /** File name under schemas/. */
  file: string;
  title: string;
  description: string;
  schema: z.core.$ZodType;
  /** Inputs are described as a caller writes them (defaults optional), answers as the workflow sends them. */
  io: 'input' | 'output';
  /** The workflow type whose argument this is, for inputs. */
  workflow?: string;
}

const inputs: PublishedSchemaSpec[] = Object.entries(WORKFLOW_INPUTS).map(([workflow, { schema, file }]) => ({
  file,
  workflow,
  title: `${workflow} input`,
  description: `The single argument of the ${workflow} workflow (task queue "netops"). The workflow checks it on its first task and fails with InvalidInput (details: invalid-input-details.schema.json) when it does not match. Fields with a "default" may be left out.`,
  schema,
  io: 'input',
}));

const answers: PublishedSchemaSpec[] = [
  { file: 'rollout-progress.schema.json', title: 'rolloutWorkflow query "progress" answer', description: 'What the progress query returns.', schema: rolloutProgressSchema, io: 'output' },
  { file: 'rollout-report.schema.json', title: 'rolloutWorkflow result', description: 'The result of a completed rollout.', schema: rolloutReportSchema, io: 'output' },
  { file: 'rollout-reason-args.schema.json', title: 'rolloutWorkflow updates pause, resume, abort: argument', description: 'The single argument of the pause, resume and abort updates.', schema: reasonArgsSchema, io: 'input' },
  { file: 'rollout-approve-args.schema.json', title: 'rolloutWorkflow update approve: argument', description: 'The single argument of the approve update.', schema: approveArgsSchema, io: 'input' },
  { file: 'rollout-device-args.schema.json', title: 'rolloutWorkflow updates retryDevice, skipDevice: argument', description: 'The single argument of the retryDevice and skipDevice updates.', schema: deviceArgsSchema, io: 'input' },
  { file: 'rollout-control-answer.schema.json', title: 'rolloutWorkflow update answer', description: 'What every accepted update returns.', schema: controlAnswerSchema, io: 'output' },
  { file: 'invalid-input-details.schema.json', title: 'InvalidInput failure details', description: 'details[0] of an ApplicationFailure of type InvalidInput: every bad field of a workflow input.', schema: invalidInputDetailsSchema, io: 'output' },
  { file: 'update-refusal-details.schema.json', title: 'Refused update failure details', description: 'details[0] of the ApplicationFailure a refused rollout update fails with; its type is `refusal`.', schema: updateRefusalDetailsSchema, io: 'output' },
  { file: 'rollout-failure-details.schema.json', title: 'RolloutFailed / RolloutAborted failure details', description: 'details[0] of the ApplicationFailure a failed or aborted rollout ends with: its report.', schema: rolloutFailureDetailsSchema, io: 'output' },
];

export const PUBLISHED_SCHEMAS: readonly PublishedSchemaSpec[] = [...inputs, ...answers];

export const SCHEMA_DIR = 'schemas';
const SCHEMA_ID_BASE = 'https://temporal-netops.dev/schemas/';

export interface GeneratedSchema {
  spec: PublishedSchemaSpec;
  schema: Record<string, unknown>;
  /** The file's exact contents (stable key order, trailing newline). */
  text: string;
}

/** Every published schema, as JSON Schema draft-07 (what Python's jsonschema and ajv read by default). */
export function generateSchemas(specs: readonly PublishedSchemaSpec[] = PUBLISHED_SCHEMAS): GeneratedSchema[] {
  return specs.map((spec) => {
    const generated = z.toJSONSchema(spec.schema, { target: 'draft-7', io: spec.io, unrepresentable: 'throw' }) as Record<string, unknown>;
    const { $schema, ...body } = generated;
    const schema: Record<string, unknown> = {
      $schema,
      $id: `${SCHEMA_ID_BASE}${spec.file}`,
      title: spec.title,
      description: `${spec.description} Generated from src/contracts by \`npm run schemas\`; do not edit by hand.`,
      ...body,
    };
    return { spec, schema, text: `${JSON.stringify(schema, null, 2)}\n` };
  });
}
