import {
  configVerifySchema,
  dashboardConnectionSchema,
  firmwareJobSchema,
  imageSpecSchema,
  rolloutInputSchema,
} from './rollout-schemas';
import { deviceTargetSchema, nameSchema, networkTargetSchema, timingsSchema } from './target-schemas';
import { z } from './zod';

/**
 * Every workflow's single argument, by workflow type: the one source of the
 * validator each workflow runs on its first task and of the JSON Schemas
 * published in schemas/ (`npm run schemas`).
 */

export const deviceUpgradeInputSchema = z.strictObject({
  rollout: z.string().min(1).describe('Name of the rollout this device belongs to'),
  device: deviceTargetSchema,
  peers: z.array(deviceTargetSchema).default([]).describe('The other members of its redundancy group: a drain is confirmed on them'),
  image: imageSpecSchema,
  timings: timingsSchema,
  dryRun: z.boolean().default(false),
  rollbackOnFailedPostCheck: z.boolean().default(true),
  isolation: z.enum(['isolate', 'drain', 'none']).optional().describe('Absent: drain'),
});

export const deviceConfigInputSchema = z.strictObject({
  rollout: z.string().min(1),
  device: deviceTargetSchema,
  label: z.string().min(1),
  lines: z.array(z.string()),
  verify: configVerifySchema,
  saveAfter: z.boolean(),
  dryRun: z.boolean().default(false),
  timings: timingsSchema,
  backupName: z.string().regex(/^[\w.-]{1,80}$/).describe('Restore point on the device (a flash file, an NX-OS checkpoint)'),
});

export const probeInputSchema = z.strictObject({
  targets: z.array(z.strictObject({ name: z.string().min(1), host: z.string().min(1), port: z.int().min(1).max(65535) })),
  timeoutMs: z.int().min(1).optional().describe('Default 3000'),
});

const collectTimingsSchema = z.strictObject({
  heartbeatTimeoutMs: z.int().min(1).optional(),
  batchTimeoutMs: z.int().min(1).optional(),
  deviceAttempts: z.int().min(1).optional(),
  retryDelayMs: z.int().min(0).optional(),
  commandTimeoutMs: z.int().min(1).optional(),
});

const collectSummarySchema = z.strictObject({
  devices: z.int(),
  ok: z.int(),
  failed: z.int(),
  byError: z.record(z.string(), z.int()),
  failures: z.array(z.strictObject({ device: z.string(), type: z.string(), message: z.string() })),
  batchesDone: z.int(),
  batches: z.int(),
  resumedBatches: z.int(),
  resumedDevices: z.int(),
  recollectedDevices: z.int().optional(),
});

export const collectInputSchema = z
  .strictObject({
    name: nameSchema.describe('The workflow id is collect/<name>'),
    devices: z.array(deviceTargetSchema).optional().describe('Inline targets (small fleets); or deviceSet'),
    deviceSet: z.strictObject({ key: z.string().min(1), count: z.int().min(0) }).optional().describe('A device set stored in the result store'),
    commands: z.array(z.string().min(1)).optional().describe('`a|b` picks the one each platform speaks; default: the health profile'),
    profile: z.enum(['health']).optional(),
    batchSize: z.int().min(1).optional(),
    concurrencyPerBatch: z.int().min(1).optional(),
    parallelBatches: z.int().min(1).optional(),
    store: z.strictObject({ kind: z.literal('local'), root: z.string().min(1).optional() }),
    timings: collectTimingsSchema.optional(),
    batchesPerRun: z.int().min(1).optional(),
    carry: z
      .strictObject({ runId: z.string(), startedAt: z.string(), nextBatch: z.int().min(0), summary: collectSummarySchema })
      .optional()
      .describe('Set by the workflow itself when it continues as new; never by a caller'),
  })
  .refine((c) => (c.devices === undefined) !== (c.deviceSet === undefined), { message: 'give exactly one of devices or deviceSet', path: ['devices'] });

const orgIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be 1-64 letters, digits, ".", "_" or "-"' });
const dashboardStatusFields = {
  dashboard: dashboardConnectionSchema,
  perPage: z.int().min(3).max(1000).optional().describe('Default 1000'),
  concurrencyPerOrg: z.int().min(1).optional().describe('Default 4'),
  maxListed: z.int().min(0).optional().describe('Default 50'),
  noWorkerTimeoutMs: z.int().min(1).optional().describe('Default 2 minutes'),
  countsOnly: z.boolean().optional().describe('Counts from devices/statuses/overview, one request per organisation'),
};

export const dashboardStatusInputSchema = z.strictObject({ ...dashboardStatusFields, orgIds: z.array(orgIdSchema).min(1) });
export const dashboardOrgStatusInputSchema = z.strictObject({ ...dashboardStatusFields, orgId: orgIdSchema });

export const dashboardNetworkUpgradeInputSchema = z.strictObject({
  rollout: z.string().min(1),
  network: networkTargetSchema,
  job: firmwareJobSchema,
  timings: timingsSchema,
  dryRun: z.boolean().default(false),
});

export const redundancyRolesInputSchema = z.strictObject({
  devices: z.array(deviceTargetSchema).min(1).describe('The devices whose HSRP/VRRP role `rollout plan` asks for'),
});

export const redundancyDiscoveryInputSchema = z.strictObject({
  devices: z.array(deviceTargetSchema).min(1).describe('The devices asked what they report about their redundancy partners (discover, cross-check)'),
});

export const WORKFLOW_INPUTS = {
  rolloutWorkflow: { schema: rolloutInputSchema, file: 'rollout-input.schema.json' },
  deviceUpgradeWorkflow: { schema: deviceUpgradeInputSchema, file: 'device-upgrade-input.schema.json' },
  deviceConfigWorkflow: { schema: deviceConfigInputSchema, file: 'device-config-input.schema.json' },
  probeWorkflow: { schema: probeInputSchema, file: 'probe-input.schema.json' },
  collectWorkflow: { schema: collectInputSchema, file: 'collect-input.schema.json' },
  dashboardStatusWorkflow: { schema: dashboardStatusInputSchema, file: 'dashboard-status-input.schema.json' },
  dashboardOrgStatusWorkflow: { schema: dashboardOrgStatusInputSchema, file: 'dashboard-org-status-input.schema.json' },
  dashboardNetworkUpgradeWorkflow: { schema: dashboardNetworkUpgradeInputSchema, file: 'dashboard-network-upgrade-input.schema.json' },
  redundancyRolesWorkflow: { schema: redundancyRolesInputSchema, file: 'redundancy-roles-input.schema.json' },
  redundancyDiscoveryWorkflow: { schema: redundancyDiscoveryInputSchema, file: 'redundancy-discovery-input.schema.json' },
} as const;

export type WorkflowTypeName = keyof typeof WORKFLOW_INPUTS;
export type WorkflowInputOf<W extends WorkflowTypeName> = z.output<(typeof WORKFLOW_INPUTS)[W]['schema']>;
export type WorkflowWireInputOf<W extends WorkflowTypeName> = z.input<(typeof WORKFLOW_INPUTS)[W]['schema']>;
