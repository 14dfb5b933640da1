import { z } from './zod';
import { NAME_PATTERN } from './names';
import { DEFAULT_TIMING_PRESET, TIMING_PRESET_NAMES, TIMING_PRESETS, type DeviceTimingValues } from './timing-presets';

/**
 * The building blocks every workflow input shares: where a device is, how to
 * log in to it (by reference only), its site, the image, the timings. The
 * TypeScript types the workflows use are checked against these schemas by the
 * type checker (test/unit/contracts/schema-types.test.ts), so they cannot drift.
 */

export const PLATFORM_IDS = ['iosxe', 'nxos', 'frr'] as const;

/** Defined in names.ts (no zod there), so the CLI checks a name without building the schemas. */
export { NAME_PATTERN };
export const nameSchema = z.string().regex(NAME_PATTERN, { error: 'must be 1-80 letters, digits, ".", "_" or "-", starting with a letter or digit' });
/** Device and network names as the inventory accepts them (no length cap there). */
export const targetNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'must be letters, digits, ".", "_" or "-", starting with a letter or digit' });

const REFERENCE_SHAPES = '{"kind":"env","name":"VAR"} or {"kind":"file","path":"/path"}';

/**
 * Where a secret lives; resolved on the worker, never carried. A string here
 * is a literal secret (or a reference written as the inventory writes it):
 * refused with a message that never repeats the value.
 */
export const secretRefSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('env'), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }) }),
    z.strictObject({ kind: z.literal('file'), path: z.string().min(1) }),
  ],
  {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `a literal secret is not accepted here: give a reference, ${REFERENCE_SHAPES}`
        : issue.code === 'invalid_union'
          ? `must be a secret reference: ${REFERENCE_SHAPES}`
          : undefined,
  },
).meta({ id: 'SecretRef', description: `Where a secret lives, resolved on the worker only: ${REFERENCE_SHAPES}. Never the secret itself.` });

export const credentialRefSchema = z
  .strictObject({
    set: z.string().min(1).describe('Name of the credential set in the inventory (`credentials:` key); shown in errors'),
    username: z.string().min(1),
    password: secretRefSchema.optional(),
    enableSecret: secretRefSchema.optional().describe('Enable secret for IOS-like platforms'),
    privateKey: z.string().min(1).optional().describe('Path of an OpenSSH private key file on the worker'),
    passphrase: secretRefSchema.optional(),
    agent: z.boolean().optional().describe('Use the ssh-agent at SSH_AUTH_SOCK on the worker'),
  })
  .meta({ id: 'CredentialRef' });

export const deviceTargetSchema = z
  .strictObject({
    kind: z.literal('device').optional().describe('Optional: a target without "kind" is a device'),
    name: targetNameSchema.describe('Device name; its operations run as workflow `device/<name>`'),
    host: z.string().min(1),
    port: z.int().min(1).max(65535).default(22),
    platform: z.enum(PLATFORM_IDS, { error: `must be one of ${PLATFORM_IDS.join(', ')}` }),
    site: z.string().min(1),
    groups: z.array(z.string()).default([]),
    redundancyGroup: z.string().min(1).optional().describe('HSRP/VRRP group id shared by the members of one redundancy group'),
    credentials: credentialRefSchema,
    hostKey: z.string().min(1).optional().describe('Pinned host key in OpenSSH public-key form, e.g. `ssh-ed25519 AAAA...`'),
    hostKeyCheck: z.enum(['strict', 'tofu', 'off']).default('strict'),
    knownHostsFile: z.string().min(1).optional(),
  })
  // The workflows tell a device from a network by the absence of `kind`.
  .transform(({ kind: _device, ...target }) => target)
  .meta({ id: 'DeviceTarget', description: 'A device reached over SSH: an inventory device without its free-form data and tags' });

export const networkTargetSchema = z
  .strictObject({
    kind: z.literal('network'),
    name: targetNameSchema,
    site: z.string().min(1).describe('The organisation; used as the "site" for limits and ordering'),
    groups: z.array(z.string()).default([]),
    redundancyGroup: z.string().min(1).optional(),
    orgId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    networkId: z.string().min(1),
  })
  .meta({ id: 'NetworkTarget', description: 'A cloud-managed network, rolled out through a dashboard API' });

/** A device or a network, told apart by `kind`, so an error names the branch the caller meant and why. */
export const rolloutTargetSchema = z.discriminatedUnion('kind', [deviceTargetSchema, networkTargetSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'kind must be "device" (or left out) for a device, or "network" for a dashboard network' : undefined),
});

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const siteSchema = z
  .strictObject({
    name: z.string().min(1),
    timezone: z.string().min(1).describe('IANA time zone, e.g. Europe/Amsterdam'),
    windows: z
      .array(
        z.strictObject({
          days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1),
          start: z.string().regex(HHMM, { error: 'must be HH:MM' }),
          end: z.string().regex(HHMM, { error: 'must be HH:MM' }),
        }),
      )
      .default([])
      .describe('Weekly maintenance windows in local time; none: always open'),
  })
  .meta({ id: 'Site' });

const ms = () => z.int().min(0);
const timingsObject = z
  .strictObject({
    preset: z.enum(TIMING_PRESET_NAMES).default(DEFAULT_TIMING_PRESET).describe('The preset the fields left out come from'),
    reloadTimeoutMs: ms().optional(),
    pollInitialMs: ms().optional(),
    pollMaxMs: ms().optional(),
    drainTimeoutMs: ms().optional(),
    settleMs: ms().optional(),
    stageTimeoutMs: ms().optional(),
    heartbeatTimeoutMs: ms().optional(),
    stepTimeoutMs: ms().optional(),
  })
  .transform(({ preset, ...fields }): DeviceTimingValues => {
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    return { ...TIMING_PRESETS[preset], ...defined };
  });

export const timingsSchema = z
  .union([z.enum(TIMING_PRESET_NAMES, { error: `a preset name must be one of ${TIMING_PRESET_NAMES.join(', ')}` }), timingsObject])
  .default(DEFAULT_TIMING_PRESET)
  .transform((t): DeviceTimingValues => (typeof t === 'string' ? { ...TIMING_PRESETS[t] } : t))
  .meta({
    id: 'DeviceTimings',
    description:
      'Waits and polls of the device procedure: a preset name ("real", the default: minutes, for real devices; "lab": seconds, for the simulated lab) or an object whose fields override the preset it names (default "real").',
  });
