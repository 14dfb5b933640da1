import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutInputFromFlags } from '../../../src/client/commands/rollout-start';
import { labImageName, makeLabImage } from '../../../src/lab';
import { generateWorkflowSchemas, SCHEMA_DIR, WORKFLOW_SCHEMAS, type GeneratedSchema } from '../../../src/schemas/workflow-schemas';
import { childSpec } from '../../../src/workflows/rollout-jobs';
import { isDeviceTarget, type RolloutInput } from '../../../src/workflows/rollout-api';

const ROOT = join(__dirname, '..', '..', '..');
const INVENTORY = join(ROOT, 'test', 'fixtures', 'inventory', 'lab.yaml');

let generated: GeneratedSchema[];
let dir: string;
let input: RolloutInput;

function validator(workflow: string): ValidateFunction {
  const found = generated.find((g) => g.spec.workflow === workflow);
  if (!found) throw new Error(`no schema for ${workflow}`);
  return new Ajv({ allErrors: true, strict: false }).compile(found.schema);
}

/** Ajv's errors as a person reads them: where, and what is wrong. */
function problems(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

beforeAll(async () => {
  generated = generateWorkflowSchemas(ROOT);
  dir = mkdtempSync(join(tmpdir(), 'netops-schemas-'));
  const image = join(dir, labImageName('iosxe', '17.12.04'));
  writeFileSync(image, makeLabImage('17.12.04', 4096));
  input = await rolloutInputFromFlags({
    inventory: INVENTORY,
    format: 'auto',
    image,
    name: 'schema-check',
    canary: '1',
    window: '2',
    maxUnavailable: '1',
    siteConcurrency: '1',
    duration: '10',
    horizonDays: '14',
    failureBudget: '1',
    approval: true,
    timings: 'lab',
    rollback: true,
  });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('committed JSON Schemas', () => {
  it('are exactly what `npm run schemas` generates from the current types', () => {
    expect(generated.map((g) => g.spec.workflow)).toEqual(expect.arrayContaining(['rolloutWorkflow', 'deviceUpgradeWorkflow', 'probeWorkflow']));
    for (const g of generated) {
      const committed = readFileSync(join(ROOT, SCHEMA_DIR, g.spec.file), 'utf8');
      expect(committed, `${SCHEMA_DIR}/${g.spec.file} is stale: run \`npm run schemas\``).toBe(g.text);
    }
  });

  it('covers every workflow type the worker registers', () => {
    // src/workflows/index.ts is the list of workflow types; each one's input gets a schema.
    const index = readFileSync(join(ROOT, 'src', 'workflows', 'index.ts'), 'utf8');
    const registered = [...index.matchAll(/export \{([^}]+)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean));
    expect(registered.length).toBeGreaterThanOrEqual(3);
    expect(registered.filter((w) => !generated.some((g) => g.spec.workflow === w))).toEqual([]);
  });

  it('has no schema file left over from a workflow that is gone', () => {
    const known = new Set(WORKFLOW_SCHEMAS.map((s) => s.file));
    const files = readdirSync(join(ROOT, SCHEMA_DIR)).filter((f) => f.endsWith('.schema.json'));
    expect(files.filter((f) => !known.has(f))).toEqual([]);
  });
});

describe('rolloutWorkflow input schema', () => {
  it('accepts the input the CLI builds from an inventory and an image', () => {
    const validate = validator('rolloutWorkflow');
    expect(input.devices.length).toBeGreaterThan(1);
    expect(validate(input), problems(validate).join('\n')).toBe(true);
    // What actually travels: JSON, with undefined fields dropped.
    expect(validate(JSON.parse(JSON.stringify(input)))).toBe(true);
  });

  it('accepts the documented example (schemas/examples/rollout-input.example.json)', () => {
    const validate = validator('rolloutWorkflow');
    const example: unknown = JSON.parse(readFileSync(join(ROOT, SCHEMA_DIR, 'examples', 'rollout-input.example.json'), 'utf8'));
    expect(validate(example), problems(validate).join('\n')).toBe(true);
  });

  it('names the missing setting and where it belongs', () => {
    const validate = validator('rolloutWorkflow');
    const broken = structuredClone(input) as unknown as { settings: Record<string, unknown> };
    delete broken.settings.window;
    expect(validate(broken)).toBe(false);
    expect(problems(validate)).toContain("/settings must have required property 'window'");
  });

  it('rejects a wrong type, a typo in a field name and an unknown job kind', () => {
    const validate = validator('rolloutWorkflow');
    const wrongType = structuredClone(input) as unknown as { devices: Array<Record<string, unknown>> };
    wrongType.devices[0]!.port = '22';
    expect(validate(wrongType)).toBe(false);
    expect(problems(validate)).toContain('/devices/0/port must be number');

    const typo = structuredClone(input) as unknown as { settings: Record<string, unknown> };
    typo.settings.dryrun = true;
    expect(validate(typo)).toBe(false);
    expect(problems(validate)).toContain('/settings must NOT have additional properties (dryrun)');

    const job = structuredClone(input) as unknown as { job: Record<string, unknown> };
    job.job.kind = 'downgrade';
    expect(validate(job)).toBe(false);
    expect(problems(validate).some((p) => p.startsWith('/job/kind'))).toBe(true);
  });

  it('never asks for a secret: credentials are references', () => {
    const validate = validator('rolloutWorkflow');
    const withPassword = structuredClone(input) as unknown as { devices: Array<{ credentials: Record<string, unknown> }> };
    withPassword.devices[0]!.credentials.password = 'hunter2';
    expect(validate(withPassword)).toBe(false);
  });
});

describe('deviceUpgradeWorkflow input schema', () => {
  it('accepts what the rollout engine passes to each device child', () => {
    const validate = validator('deviceUpgradeWorkflow');
    for (const device of input.devices) {
      const spec = childSpec(input, device);
      expect(spec.workflowType).toBe('deviceUpgradeWorkflow');
      expect(validate(spec.args[0]), problems(validate).join('\n')).toBe(true);
    }
  });
});

describe('probeWorkflow input schema', () => {
  it('accepts targets with a timeout and rejects a target without a host', () => {
    const validate = validator('probeWorkflow');
    const ok = { targets: input.devices.filter(isDeviceTarget).map((d) => ({ name: d.name, host: d.host, port: d.port })), timeoutMs: 1000 };
    expect(validate(ok), problems(validate).join('\n')).toBe(true);
    expect(validate({ targets: [{ name: 'r1', port: 22 }] })).toBe(false);
    expect(problems(validate)).toContain("/targets/0 must have required property 'host'");
  });
});
