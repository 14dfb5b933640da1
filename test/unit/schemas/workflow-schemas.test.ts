import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutInputFromFlags } from '../../../src/cli/rollout/start';
import { checkWorkflowInput } from '../../../src/contracts/validate-input';
import type { WorkflowTypeName } from '../../../src/contracts/workflow-inputs';
import { labImageName, makeLabImage } from '../../../src/lab';
import { generateSchemas, SCHEMA_DIR, PUBLISHED_SCHEMAS, type GeneratedSchema } from '../../../src/schemas/workflow-schemas';
import { childSpec } from '../../../src/workflows/jobs';
import { isDeviceTarget, type RolloutInput } from '../../../src/contracts/rollout';

const ROOT = join(__dirname, '..', '..', '..');
const INVENTORY = join(ROOT, 'test', 'fixtures', 'inventory', 'lab.yaml');

let generated: GeneratedSchema[];
let dir: string;
let input: RolloutInput;

/** The committed file, as a service in another language reads it (not the generator's output). */
function published(workflow: string): ValidateFunction {
  const spec = PUBLISHED_SCHEMAS.find((s) => s.workflow === workflow);
  if (!spec) throw new Error(`no schema for ${workflow}`);
  return new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, SCHEMA_DIR, spec.file), 'utf8')) as object);
}

/** Ajv's verdict and the workflow's own validator agree: one source, no drift. */
function bothAccept(workflow: WorkflowTypeName, value: unknown): boolean {
  const validate = published(workflow);
  const schemaSays = validate(value);
  const check = checkWorkflowInput(workflow, value);
  expect(check.ok, `published schema says ${schemaSays}, validator says ${check.ok}: ${JSON.stringify(check.ok ? [] : check.problems)} / ${JSON.stringify(validate.errors)}`).toBe(schemaSays);
  return schemaSays;
}

function problemPaths(workflow: WorkflowTypeName, value: unknown): string[] {
  const check = checkWorkflowInput(workflow, value);
  return check.ok ? [] : check.problems.map((p) => p.path);
}

beforeAll(async () => {
  generated = generateSchemas();
  dir = mkdtempSync(join(tmpdir(), 'netops-schemas-'));
  const image = join(dir, labImageName('iosxe', '17.12.04'));
  writeFileSync(image, makeLabImage('17.12.04', 4096));
  input = await rolloutInputFromFlags({
    inventory: INVENTORY,
    format: 'auto',
    // FRR hosts take no image: their frr package is upgraded by the host's package manager.
    filter: 'platform != frr',
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
  it('are exactly what `npm run schemas` generates from src/contracts', () => {
    expect(generated.map((g) => g.spec.file)).toEqual(expect.arrayContaining(['rollout-input.schema.json', 'rollout-progress.schema.json', 'rollout-report.schema.json', 'invalid-input-details.schema.json']));
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
    const known = new Set(PUBLISHED_SCHEMAS.map((s) => s.file));
    const files = readdirSync(join(ROOT, SCHEMA_DIR)).filter((f) => f.endsWith('.schema.json'));
    expect(files.filter((f) => !known.has(f))).toEqual([]);
  });
});

describe('rolloutWorkflow input: the published schema and the workflow agree', () => {
  it('accept the input the CLI builds from an inventory and an image', () => {
    expect(input.devices.length).toBeGreaterThan(1);
    expect(bothAccept('rolloutWorkflow', JSON.parse(JSON.stringify(input)))).toBe(true);
  });

  it('accept the documented example (schemas/examples/rollout-input.example.json)', () => {
    const example: unknown = JSON.parse(readFileSync(join(ROOT, SCHEMA_DIR, 'examples', 'rollout-input.example.json'), 'utf8'));
    expect(bothAccept('rolloutWorkflow', example)).toBe(true);
  });

  it('accept an input with every defaulted field left out', () => {
    const wire = JSON.parse(JSON.stringify(input)) as { settings?: unknown; job: { image: { version?: string } }; devices: Array<Record<string, unknown>> };
    delete wire.settings;
    delete wire.job.image.version;
    for (const d of wire.devices) {
      delete d.port;
      delete d.groups;
      delete d.hostKeyCheck;
    }
    expect(bothAccept('rolloutWorkflow', wire)).toBe(true);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case reaches into the JSON it breaks
  type Json = Record<string, any>;
  const broken: Array<[string, (i: Json) => void, string]> = [
    ['no devices', (i) => delete i.devices, '/devices'],
    ['no sites', (i) => delete i.sites, '/sites'],
    ['a port as a string', (i) => (i.devices[0].port = '22'), '/devices/0/port'],
    ['a typo in a setting', (i) => (i.settings.dryrun = true), '/settings/dryrun'],
    ['no md5', (i) => delete i.job.image.md5, '/job/image/md5'],
    ['a literal password', (i) => (i.devices[0].credentials.password = 'hunter2'), '/devices/0/credentials/password'],
    ['an unknown platform', (i) => (i.devices[1].platform = 'junos'), '/devices/1/platform'],
    ['an unknown job kind', (i) => (i.job.kind = 'downgrade'), '/job/kind'],
    ['an unknown timings preset', (i) => (i.settings.timings = 'fast'), '/settings/timings'],
    ['a negative window', (i) => (i.settings.window = -1), '/settings/window'],
  ];
  for (const [what, breakIt, path] of broken) {
    it(`reject ${what}, naming ${path}`, () => {
      const bad = JSON.parse(JSON.stringify(input)) as Json;
      breakIt(bad);
      expect(bothAccept('rolloutWorkflow', bad)).toBe(false);
      expect(problemPaths('rolloutWorkflow', bad)).toContain(path);
    });
  }
});

describe('device children: what the engine builds passes both', () => {
  it('every device child input of a rollout', () => {
    for (const device of input.devices) {
      const spec = childSpec(input, device);
      // The function's name is the workflow type the engine asks the server for.
      expect(spec.workflow.name).toBe('deviceUpgradeWorkflow');
      expect(bothAccept('deviceUpgradeWorkflow', JSON.parse(JSON.stringify(spec.args[0])))).toBe(true);
    }
  });
});

describe('probeWorkflow input', () => {
  it('accepts targets with a timeout and rejects a target without a host', () => {
    const ok = { targets: input.devices.filter(isDeviceTarget).map((d) => ({ name: d.name, host: d.host, port: d.port })), timeoutMs: 1000 };
    expect(bothAccept('probeWorkflow', ok)).toBe(true);
    expect(bothAccept('probeWorkflow', { targets: [{ name: 'r1', port: 22 }] })).toBe(false);
    expect(problemPaths('probeWorkflow', { targets: [{ name: 'r1', port: 22 }] })).toEqual(['/targets/0/host']);
  });
});
