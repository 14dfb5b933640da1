import { z } from 'zod';
import type { InventoryDraft } from './draft';
import { isObject, LevelReader } from './level-reader';
import {
  booleanRule,
  dataRule,
  hostKeyCheckRule,
  hostKeyRule,
  hostRule,
  isValidName,
  nameListRule,
  nameRule,
  pathRule,
  platformRule,
  portRule,
  secretRule,
  tagListRule,
  timeZoneRule,
  usernameRule,
  windowRule,
} from './field-rules';
import { problemAt, type Problem } from './problems';
import type { CredentialRef, MaintenanceWindow, Site } from './types';
import { checkWithSchema, valueAt } from './zod-problems';
import { joinPath, type PathKey, type YamlSource } from './yaml-source';

const levelShape = {
  port: portRule.optional(),
  platform: platformRule.optional(),
  site: nameRule.optional(),
  tags: tagListRule.optional(),
  credentials: nameRule.optional(),
  host_key_check: hostKeyCheckRule.optional(),
  known_hosts: pathRule.optional(),
  data: dataRule.optional(),
};

const defaultsSchema = z.strictObject(levelShape, { error: 'expected a mapping of default values (port:, platform:, ...)' });
const groupSchema = z.strictObject(
  { ...levelShape, groups: nameListRule.optional() },
  { error: 'expected a mapping of group values (platform:, site:, groups:, ...)' },
);
const deviceSchema = z.strictObject(
  {
    host: hostRule,
    ...levelShape,
    groups: nameListRule.optional(),
    redundancy_group: nameRule.optional(),
    host_key: hostKeyRule.optional(),
  },
  { error: 'expected a mapping with host: and the device settings' },
);
const credentialSchema = z.strictObject(
  {
    username: usernameRule,
    password: secretRule.optional(),
    enable_secret: secretRule.optional(),
    private_key: pathRule.optional(),
    passphrase: secretRule.optional(),
    agent: booleanRule.optional(),
  },
  { error: 'expected a mapping with username: and password:/private_key:/agent:' },
);
export const siteSchema = z.strictObject(
  { timezone: timeZoneRule, windows: z.array(windowRule, { error: 'expected a list of windows' }).optional() },
  { error: 'expected a mapping with timezone: and optional windows:' },
);
const section = <T extends z.ZodType>(entry: T, what: string) =>
  z.record(z.string(), entry, { error: `expected a mapping of ${what} by name` }).nullish();

const fileSchema = z.strictObject(
  {
    defaults: defaultsSchema.nullish(),
    credentials: section(credentialSchema, 'credential sets'),
    groups: section(groupSchema, 'groups'),
    sites: section(siteSchema, 'sites'),
    devices: section(deviceSchema, 'devices'),
  },
  { error: 'expected a mapping with devices: (and optionally defaults:, credentials:, groups:, sites:)' },
);

function allowedKeys(path: readonly PathKey[]): readonly string[] {
  const [top, , sub, , extra] = path;
  if (path.length === 0) return Object.keys(fileSchema.shape);
  if (top === 'defaults') return Object.keys(defaultsSchema.shape);
  if (top === 'groups') return Object.keys(groupSchema.shape);
  if (top === 'devices') return Object.keys(deviceSchema.shape);
  if (top === 'credentials') return Object.keys(credentialSchema.shape);
  if (top === 'sites' && sub === 'windows' && extra === undefined && path.length === 4) return Object.keys(windowRule.shape);
  if (top === 'sites') return Object.keys(siteSchema.shape);
  return [];
}

/** Message word for a duplicate key under each section. */
export function netopsDuplicateLabel(parent: readonly PathKey[]): string | undefined {
  if (parent.length !== 1) return undefined;
  const names: Record<string, string> = { devices: 'device name', groups: 'group name', sites: 'site name', credentials: 'credential set name' };
  return names[String(parent[0])];
}

/** Reads our own format (one YAML file) into a draft, with every shape problem positioned. */
export function readNetopsInventory(source: YamlSource, earlier: Problem[]): InventoryDraft {
  const checked = checkWithSchema(source, fileSchema, allowedKeys);
  const problems = [...earlier, ...checked.problems];
  const ok = (path: PathKey[]) => !checked.invalid.has(joinPath(path));
  const read = new LevelReader(source, ok);
  const draft: InventoryDraft = {
    format: 'netops',
    source: source.file,
    at: source.spotOf(['devices'], 'key'),
    devicesUnreadable: checked.invalid.has('devices') || !isObject(source.value),
    labels: { devices: 'under devices:', groups: 'under groups:', sites: 'under sites:', credentials: 'under credentials:' },
    groups: new Map(),
    devices: new Map(),
    credentials: new Map(),
    sites: new Map(),
    problems,
  };
  if (isObject(valueAt(source.value, ['defaults']))) draft.defaults = read.level('defaults', 'defaults', ['defaults']);
  for (const [name, path] of entries(source, 'groups', problems, 'group')) draft.groups.set(name, read.level('group', name, path));
  for (const [name, path] of entries(source, 'devices', problems, 'device')) draft.devices.set(name, read.level('device', name, path));
  for (const [name, path] of entries(source, 'sites', problems, 'site')) draft.sites.set(name, readSite(source, name, path, ok));
  for (const [name, path] of entries(source, 'credentials', problems, 'credential set')) {
    draft.credentials.set(name, readCredentialSet(source, name, path, ok, problems));
  }
  return draft;
}

function* entries(source: YamlSource, sectionName: string, problems: Problem[], what: string): Generator<[string, PathKey[]]> {
  const sectionValue = valueAt(source.value, [sectionName]);
  if (!isObject(sectionValue)) return;
  for (const [name, value] of Object.entries(sectionValue)) {
    const path = [sectionName, name];
    if (!isValidName(name)) {
      problems.push(problemAt(source.spotOf(path, 'key'), joinPath(path), `found ${JSON.stringify(name)}, expected a ${what} name of letters, digits, ".", "_" or "-"`));
    }
    if (isObject(value)) yield [name, path];
  }
}

export function readSite(source: YamlSource, name: string, path: PathKey[], ok: (p: PathKey[]) => boolean): Site {
  const timezone = valueAt(source.value, [...path, 'timezone']);
  const windows = valueAt(source.value, [...path, 'windows']);
  return {
    name,
    timezone: typeof timezone === 'string' ? timezone : 'UTC',
    windows: Array.isArray(windows) && ok([...path, 'windows']) ? (windows as MaintenanceWindow[]) : [],
  };
}

function readCredentialSet(
  source: YamlSource,
  name: string,
  path: PathKey[],
  ok: (p: PathKey[]) => boolean,
  problems: Problem[],
): CredentialRef {
  const read = new LevelReader(source, ok);
  const username = read.located<string>([...path, 'username']);
  const ref: CredentialRef = { set: name, username: username?.value ?? '' };
  const password = read.secret([...path, 'password']);
  const enableSecret = read.secret([...path, 'enable_secret']);
  const privateKey = read.filePath([...path, 'private_key']);
  const passphrase = read.secret([...path, 'passphrase']);
  const agent = read.located<boolean>([...path, 'agent']);
  if (password) ref.password = password.value;
  if (enableSecret) ref.enableSecret = enableSecret.value;
  if (privateKey) ref.privateKey = privateKey.value;
  if (passphrase) ref.passphrase = passphrase.value;
  if (agent) ref.agent = agent.value;
  const given = (key: string) => valueAt(source.value, [...path, key]) !== undefined;
  if (!given('password') && !given('private_key') && !given('agent')) {
    problems.push(
      problemAt(source.spotOf(path, 'key'), joinPath([...path, 'password']), 'missing, expected password: (env:NAME or file:PATH), private_key: or agent: true'),
    );
  }
  return ref;
}
