import { versionFromImageFileName } from './image-version';
import { z } from './zod';
import { deviceTargetSchema, rolloutTargetSchema, secretRefSchema, siteSchema, timingsSchema, nameSchema } from './target-schemas';

/**
 * The rollout's input as it crosses the boundary: what a caller must give,
 * what it may leave out (and the default it then gets), and what is refused.
 */

export const imageSpecSchema = z
  .strictObject({
    fileName: z.string().min(1).describe('File name on the device, e.g. cat9k_iosxe.17.12.04.SPA.bin'),
    version: z.string().min(1).optional().describe('Version the image boots into, as `show version` prints it; default: read from fileName (cat9k_iosxe.<v>.SPA.bin, <platform>-universalk9.<v>.SPA.bin, nxos64-cs.<v>.F.bin, nxos.<v>.bin, frr-<v>.bin)'),
    md5: z.string().regex(/^[0-9a-fA-F]{32}$/, { error: 'must be the image MD5 as 32 hex digits' }),
    sizeBytes: z.int().min(0),
    path: z.string().min(1).describe('Where the worker reads the file; never sent to a device'),
  })
  .transform((image, ctx) => {
    const version = image.version ?? versionFromImageFileName(image.fileName);
    if (version === undefined) {
      ctx.issues.push({ code: 'custom', path: ['version'], input: undefined, message: `is required: the file name ${JSON.stringify(image.fileName)} does not tell the version` });
      return z.NEVER;
    }
    return { ...image, version };
  })
  .meta({ id: 'ImageSpec' });

export const upgradeJobSchema = z
  .strictObject({
    kind: z.literal('upgrade'),
    image: imageSpecSchema,
    rollbackOnFailedPostCheck: z.boolean().default(true).describe('Boot the previous image and reload when the post-check fails'),
    isolation: z.enum(['isolate', 'drain', 'none']).optional().describe('How a device leaves the forwarding path before its reload: isolate (maintenance mode), drain (HSRP/VRRP priority; the default), none'),
  })
  .meta({ id: 'UpgradeJob' });

export const configVerifySchema = z
  .strictObject({
    redundancy: z.boolean(),
    interfaces: z.boolean(),
    bgp: z.boolean(),
    settleMs: z.int().min(0),
  })
  .meta({ id: 'ConfigVerify' });

export const configJobSchema = z
  .strictObject({
    kind: z.literal('config'),
    label: z.string().min(1),
    lineSets: z.array(z.array(z.string())),
    lineSetOf: z.record(z.string(), z.int().min(0)).describe('Device name -> index into lineSets'),
    verify: configVerifySchema.optional(),
    saveAfter: z.boolean(),
  })
  .meta({ id: 'ConfigJob' });

export const dashboardConnectionSchema = z
  .strictObject({
    baseUrl: z.url({ protocol: /^https?$/ }).describe('e.g. https://api.meraki.com/api/v1, or the region: api.meraki.ca, api.meraki.cn, api.meraki.in, api.gov-meraki.com'),
    apiKey: secretRefSchema,
    caller: z
      .string()
      .regex(/^[A-Za-z0-9]+(?:\/[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*(?:-[a-z]+)?)? [A-Za-z0-9-]+$/, { error: 'must be "ApplicationName[/version] VendorName" (Meraki\'s User-Agent format)' })
      .optional()
      .describe("The User-Agent's caller part; default: the worker's NETOPS_DASHBOARD_CALLER"),
  })
  .meta({ id: 'DashboardConnection' });

export const firmwareJobSchema = z
  .strictObject({
    kind: z.literal('dashboard-firmware'),
    firmware: z.string().min(1),
    dashboard: dashboardConnectionSchema,
    productType: z.enum(['wireless', 'appliance', 'switch', 'camera', 'cellularGateway', 'sensor']).optional().describe('Default: the product of each network that offers `firmware`'),
    startDelayMs: z.int().min(0).optional().describe('Upgrade starts this long after the network\'s turn; default 60 s'),
    pollIntervalMs: z.int().min(1).optional(),
    rollbackOnFailure: z.boolean().optional(),
    staged: z.boolean().optional().describe('Switch networks: upgrade through the network\'s staged upgrade groups, stage by stage'),
    stageIntervalMs: z.int().min(0).optional().describe('Staged: stages scheduled this far apart; default 1 h'),
    stagedAbort: z.enum(['defer', 'rollback']).optional().describe('Staged: an abort defers the pending stages (default) or rolls the event back'),
  })
  .meta({ id: 'FirmwareJob' });

export const rolloutJobSchema = z.discriminatedUnion('kind', [upgradeJobSchema, firmwareJobSchema, configJobSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'kind must be one of upgrade, dashboard-firmware, config' : undefined),
});

const count = () => z.int().min(1);

export const rolloutSettingsSchema = z
  .strictObject({
    window: count().default(1).describe('Max targets in flight overall'),
    canary: z
      .strictObject({ count: z.int().min(0).optional(), devices: z.array(z.string()).optional() })
      .optional()
      .describe('Canaries first (standby and non-redundant picked first), then the approval gate'),
    perSite: count().optional(),
    perGroup: z.union([count(), z.record(z.string(), count())]).optional(),
    maxUnavailablePerRedundancyGroup: count().optional().describe('Default 1; must stay below the group size'),
    siteOrder: z.array(z.string()).optional(),
    siteConcurrency: count().optional().describe('Default 1: one site after the other'),
    expectedDeviceDurationMs: z.int().min(1).default(30 * 60_000),
    respectWindows: z.boolean().default(true).describe('Only start a target that can finish inside its site’s maintenance window'),
    horizonMs: z.int().min(1).optional().describe('How far ahead to look for a window; default 14 days'),
    failureBudget: z
      .strictObject({ count: z.int().min(0).optional(), percent: z.number().min(0).max(100).optional() })
      .default({ count: 0 })
      .describe('Failures tolerated; one more stops the rollout. Default: none'),
    requireApproval: z.boolean().default(true).describe('After the canaries, wait for the approve update'),
    dryRun: z.boolean().default(false).describe('Run the pre-checks only; change nothing'),
    timings: timingsSchema,
    historyEventLimit: z.int().min(100).optional(),
    busyWaitMs: z.int().min(0).optional().describe('How long a target another operation holds is waited for before it is reported busy; default 30 minutes'),
  })
  .meta({ id: 'RolloutSettings' });

export const OUTCOMES = ['upgraded', 'changed', 'unchanged', 'already-current', 'rolled-back', 'failed', 'skipped', 'busy', 'aborted', 'ready', 'would-fail'] as const;
export const outcomeSchema = z.enum(OUTCOMES).meta({ id: 'DeviceOutcome' });
export const DEVICE_STATES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export const ROLLOUT_STATUSES = ['planning', 'running', 'awaiting-approval', 'paused', 'blocked', 'stopping', 'completed', 'failed', 'aborted'] as const;

export const deviceErrorSchema = z
  .strictObject({ type: z.string(), message: z.string(), hint: z.string().optional() })
  .meta({ id: 'DeviceError', description: 'Why a target failed: a stable type, what happened, what to do' });

export const approvalRecordSchema = z
  .strictObject({
    by: z.enum(['operator', 'automatic']),
    atMs: z.number(),
    despiteFailedCanary: z.boolean(),
    failedCanaries: z.array(z.string()),
    reason: z.string().optional(),
  })
  .meta({ id: 'ApprovalRecord', description: 'How the canary gate was opened' });

export const busyWaitSchema = z
  .strictObject({ holder: z.string(), sinceMs: z.number(), untilMs: z.number(), retryAtMs: z.number(), tries: z.int().min(0) })
  .meta({ id: 'BusyWait', description: 'A target whose device/<name> id another operation holds' });

export const deviceProgressSchema = z
  .strictObject({
    name: z.string(),
    state: z.enum(DEVICE_STATES),
    site: z.string(),
    redundancyGroup: z.string().optional(),
    canary: z.boolean(),
    outcome: outcomeSchema.optional(),
    waitingFor: z.string().optional().describe('Why a pending target has not started yet'),
    heldBy: z.array(z.string()).optional(),
    busy: busyWaitSchema.optional(),
    error: deviceErrorSchema.optional(),
    versionBefore: z.string().optional(),
    versionAfter: z.string().optional(),
    attempts: z.int().min(0),
  })
  .meta({ id: 'DeviceProgress' });

export const deviceReportSchema = z
  .strictObject({
    name: z.string(),
    outcome: outcomeSchema,
    versionBefore: z.string().optional(),
    versionAfter: z.string().optional(),
    startedAtMs: z.number().optional(),
    durationMs: z.number().optional(),
    attempts: z.int().min(0),
    canary: z.boolean(),
    error: deviceErrorSchema.optional(),
    notes: z.array(z.string()).optional(),
  })
  .meta({ id: 'DeviceReport' });

export const carriedStateSchema = z
  .strictObject({
    generation: z.int().min(1),
    startedAtMs: z.number(),
    plannedAtMs: z.number(),
    roles: z.record(z.string(), z.enum(['active', 'standby', 'unknown'])),
    devices: z.record(z.string(), deviceProgressSchema),
    reports: z.record(z.string(), deviceReportSchema),
    approved: z.boolean(),
    approval: approvalRecordSchema.optional(),
    paused: z.boolean(),
    stopReason: z.string().optional(),
  })
  .meta({ id: 'CarriedState', description: 'Set by the workflow itself when it continues as new; never by a caller' });

export const rolloutInputSchema = z
  .strictObject({
    name: nameSchema.describe('The workflow id is rollout/<name>'),
    job: rolloutJobSchema,
    devices: z.array(rolloutTargetSchema).min(1).describe('The targets: devices (SSH) or networks (dashboard)'),
    sites: z.record(z.string(), siteSchema).describe('Every site a target names, by name'),
    settings: rolloutSettingsSchema.prefault({}).describe('Policy; every field has a default'),
    carried: carriedStateSchema.optional(),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.devices.forEach((d, i) => {
      if (seen.has(d.name)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'name'], message: `${JSON.stringify(d.name)} is listed twice` });
      seen.add(d.name);
      if (!(d.site in input.sites)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'site'], message: `site ${JSON.stringify(d.site)} is not in sites` });
    });
  });

/** The updates' single argument and their answer. */
export const reasonArgsSchema = z.strictObject({ reason: z.string().optional() }).meta({ id: 'ReasonArgs' });
export const approveArgsSchema = z
  .strictObject({ reason: z.string().optional(), despiteFailedCanary: z.boolean().optional().describe('Open the gate although a canary did not succeed; recorded in the rollout') })
  .meta({ id: 'ApproveArgs' });
export const deviceArgsSchema = z.strictObject({ device: z.string().min(1), reason: z.string().optional() }).meta({ id: 'DeviceArgs' });
export const controlAnswerSchema = z.strictObject({ ok: z.literal(true), message: z.string() }).meta({ id: 'ControlAnswer' });

export const rolloutProgressSchema = z
  .strictObject({
    name: z.string(),
    status: z.enum(ROLLOUT_STATUSES),
    targetVersion: z.string(),
    dryRun: z.boolean(),
    total: z.int(),
    pending: z.int(),
    running: z.int(),
    done: z.int(),
    failed: z.int(),
    skipped: z.int(),
    failureBudget: z.int(),
    failuresCounted: z.int().optional(),
    canary: z.array(z.string()),
    approved: z.boolean(),
    approval: approvalRecordSchema.optional(),
    paused: z.boolean(),
    stopReason: z.string().optional(),
    generation: z.int().min(1),
    devices: z.array(deviceProgressSchema),
  })
  .meta({ id: 'RolloutProgress' });

export const rolloutReportSchema = z
  .strictObject({
    name: z.string(),
    status: z.enum(ROLLOUT_STATUSES),
    targetVersion: z.string(),
    dryRun: z.boolean(),
    startedAtMs: z.number(),
    endedAtMs: z.number(),
    counts: z.record(outcomeSchema, z.int().min(0)),
    devices: z.array(deviceReportSchema),
    stopReason: z.string().optional(),
    approval: approvalRecordSchema.optional(),
  })
  .meta({ id: 'RolloutReport' });

export { deviceTargetSchema };
