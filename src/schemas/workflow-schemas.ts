import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator, type Config } from 'ts-json-schema-generator';

/**
 * One JSON Schema per workflow input, generated from the TypeScript types the
 * workflows themselves use, so services in other languages can validate what
 * they send before Temporal sees it. `npm run schemas` writes them to
 * schemas/; a unit test fails when the committed files are stale.
 */
export interface WorkflowSchemaSpec {
  /** The workflow type name to start (`rolloutWorkflow`, ...). */
  workflow: string;
  /** The exported input type in `source`. */
  type: string;
  /** Source file, relative to the project root. */
  source: string;
  /** File name under schemas/. */
  file: string;
}

export const WORKFLOW_SCHEMAS: readonly WorkflowSchemaSpec[] = [
  { workflow: 'rolloutWorkflow', type: 'RolloutInput', source: 'src/workflows/rollout-api.ts', file: 'rollout-input.schema.json' },
  { workflow: 'deviceUpgradeWorkflow', type: 'DeviceUpgradeInput', source: 'src/workflows/device-upgrade.ts', file: 'device-upgrade-input.schema.json' },
  { workflow: 'probeWorkflow', type: 'ProbeInput', source: 'src/workflows/probe.ts', file: 'probe-input.schema.json' },
  { workflow: 'collectWorkflow', type: 'CollectInput', source: 'src/workflows/collect-api.ts', file: 'collect-input.schema.json' },
  { workflow: 'deviceConfigWorkflow', type: 'DeviceConfigInput', source: 'src/workflows/device-config.ts', file: 'device-config-input.schema.json' },
  { workflow: 'dashboardStatusWorkflow', type: 'DashboardStatusInput', source: 'src/workflows/dashboard-api.ts', file: 'dashboard-status-input.schema.json' },
  { workflow: 'dashboardOrgStatusWorkflow', type: 'OrgStatusInput', source: 'src/workflows/dashboard-api.ts', file: 'dashboard-org-status-input.schema.json' },
  { workflow: 'dashboardNetworkUpgradeWorkflow', type: 'DashboardNetworkUpgradeInput', source: 'src/workflows/dashboard-api.ts', file: 'dashboard-network-upgrade-input.schema.json' },
];

export const SCHEMA_DIR = 'schemas';
const SCHEMA_ID_BASE = 'https://temporal-netops.dev/schemas/';

export interface GeneratedSchema {
  spec: WorkflowSchemaSpec;
  schema: Record<string, unknown>;
  /** The file's exact contents (stable key order, trailing newline). */
  text: string;
}

/** Generates every workflow input schema from the sources under `root`. */
export function generateWorkflowSchemas(root: string, specs: readonly WorkflowSchemaSpec[] = WORKFLOW_SCHEMAS): GeneratedSchema[] {
  // Inputs of workflows that are not written yet are left out, not errors.
  const present = specs.filter((spec) => existsSync(join(root, spec.source)));
  const sources = [...new Set(present.map((spec) => spec.source))];
  if (sources.length === 0) return [];
  const config: Config = {
    // One program for every input (a brace glob): building it is most of the cost.
    path: join(root, sources.length === 1 ? (sources[0] ?? '') : `{${sources.join(',')}}`),
    tsconfig: join(root, 'tsconfig.json'),
    // tsc checks the types already; checking again here only costs time.
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    sortProps: true,
    additionalProperties: false,
  };
  const generator = createGenerator(config);
  return present.map((spec) => {
    const generated = generator.createSchema(spec.type) as Record<string, unknown>;
    const schema: Record<string, unknown> = {
      $id: `${SCHEMA_ID_BASE}${spec.file}`,
      title: `${spec.workflow} input`,
      description: `The single argument of the ${spec.workflow} workflow (task queue "netops"). Generated from ${spec.type} in ${spec.source} by \`npm run schemas\`; do not edit by hand.`,
      ...generated,
    };
    return { spec, schema, text: `${JSON.stringify(schema, null, 2)}\n` };
  });
}
