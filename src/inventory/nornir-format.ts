import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { InventoryDraft, LevelDraft } from './draft';
import {
  booleanRule,
  dataRule,
  hostKeyCheckRule,
  hostKeyRule,
  hostRule,
  nameListRule,
  nameRule,
  pathRule,
  platformRule,
  portRule,
  secretRule,
  tagListRule,
  usernameRule,
  windowRule,
} from './field-rules';
import { isObject, LevelReader, type LevelField } from './level-reader';
import { readSite, siteSchema } from './netops-format';
import { problemAt, type Problem } from './problems';
import { checkWithSchema, valueAt } from './zod-problems';
import { joinPath, readYamlSource, type PathKey, type YamlSource } from './yaml-source';

/*
 * Nornir SimpleInventory: hosts.yaml, groups.yaml and defaults.yaml side by
 * side. Nornir's own keys are read as Nornir means them; what Nornir has no
 * key for (site, tags, pairs, host keys, extra credential fields, sites) may
 * sit at the top level of an entry or under its data:, so existing
 * inventories that keep such facts in data: load unchanged.
 */

const credentialExtras = z.strictObject(
  {
    enable_secret: secretRule.optional(),
    private_key: pathRule.optional(),
    passphrase: secretRule.optional(),
    agent: booleanRule.optional(),
  },
  { error: 'expected a mapping with enable_secret:, private_key:, passphrase: or agent:' },
);

const extrasShape = {
  site: nameRule.optional(),
  tags: tagListRule.optional(),
  redundancy_group: nameRule.optional(),
  host_key: hostKeyRule.optional(),
  host_key_check: hostKeyCheckRule.optional(),
  known_hosts: pathRule.optional(),
  credentials: credentialExtras.optional(),
};
const EXTRA_KEYS = [...Object.keys(extrasShape), 'sites'];

const sitesRule = z.record(z.string(), siteSchema, { error: 'expected a mapping of sites by name' }).optional();

const nornirShape = {
  hostname: hostRule.optional(),
  port: portRule.optional(),
  username: usernameRule.optional(),
  password: secretRule.optional(),
  platform: platformRule.optional(),
  groups: nameListRule.optional(),
  connection_options: dataRule.nullish(),
};

const entrySchema = (withSites: boolean) => {
  const extras = withSites ? { ...extrasShape, sites: sitesRule } : extrasShape;
  return z.strictObject(
    { ...nornirShape, ...extras, data: z.looseObject(extras, { error: 'expected a mapping of variables' }).nullish() },
    { error: 'expected a mapping of Nornir settings (hostname:, platform:, groups:, data:, ...)' },
  );
};
const hostsSchema = z.record(z.string(), entrySchema(false), { error: 'expected a mapping of hosts by name' }).nullish();
const groupsSchema = z.record(z.string(), entrySchema(false), { error: 'expected a mapping of groups by name' }).nullish();
const defaultsSchema = entrySchema(true).nullish();

const ENTRY_KEYS = [...Object.keys(nornirShape), ...Object.keys(extrasShape), 'data'];

function allowedKeys(inDefaults: boolean) {
  return (path: readonly PathKey[]): readonly string[] => {
    const rel = inDefaults ? path : path.slice(1);
    const keys = rel.filter((k) => k !== 'data');
    if (keys.includes('sites')) {
      const afterSites = keys.slice(keys.indexOf('sites') + 1);
      return afterSites.length === 3 ? Object.keys(windowRule.shape) : Object.keys(siteSchema.shape);
    }
    if (keys[keys.length - 1] === 'credentials') return Object.keys(credentialExtras.shape);
    return inDefaults ? [...ENTRY_KEYS.filter((k) => k !== 'groups'), 'sites'] : ENTRY_KEYS;
  };
}

interface NornirFiles {
  hosts: string;
  groups: string;
  defaults: string;
}

/** The three file paths for a directory or a path to hosts.yaml, as the user will see them. */
export async function nornirFiles(path: string): Promise<NornirFiles> {
  const info = await stat(path).catch(() => undefined);
  const dir = info?.isDirectory() ? path : dirname(path);
  const hosts = info?.isDirectory() ? await firstExisting(join(path, 'hosts.yaml'), join(path, 'hosts.yml')) : path;
  const ext = basename(hosts).endsWith('.yml') ? 'yml' : 'yaml';
  return {
    hosts,
    groups: await firstExisting(join(dir, `groups.${ext}`), join(dir, `groups.${ext === 'yml' ? 'yaml' : 'yml'}`)),
    defaults: await firstExisting(join(dir, `defaults.${ext}`), join(dir, `defaults.${ext === 'yml' ? 'yaml' : 'yml'}`)),
  };
}

async function firstExisting(preferred: string, other: string): Promise<string> {
  if (await stat(preferred).catch(() => undefined)) return preferred;
  return (await stat(other).catch(() => undefined)) ? other : preferred;
}

/** Reads a Nornir SimpleInventory into a draft; groups.yaml and defaults.yaml are optional. */
export async function readNornirInventory(path: string): Promise<InventoryDraft> {
  const files = await nornirFiles(path);
  const problems: Problem[] = [];
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory() && !(await stat(files.hosts).catch(() => undefined))) {
    problems.push(problemAt({ file: path, line: 1, column: 1 }, '', 'found a directory without hosts.yaml, expected a Nornir inventory directory (hosts.yaml, groups.yaml, defaults.yaml) or an inventory file'));
    return { ...emptyDraft(path, files, problems), devicesUnreadable: true };
  }
  const hosts = await readOne(files.hosts, true, 'host name', problems);
  const groups = await readOne(files.groups, false, 'group name', problems);
  const defaults = await readOne(files.defaults, false, undefined, problems);

  const draft = emptyDraft(path, files, problems);
  // Without a readable hosts.yaml there is nothing to resolve; the read problem says why.
  if (!hosts) return { ...draft, devicesUnreadable: true };
  if (defaults) {
    const ok = okFor(checkWithSchema(defaults, defaultsSchema, allowedKeys(true)), problems);
    if (isObject(defaults.value)) {
      draft.defaults = readEntry(defaults, 'defaults', 'defaults', [], ok, problems);
      const where = whereIs(defaults, [], 'sites');
      const sites = valueAt(defaults.value, where);
      if (isObject(sites) && ok(where)) {
        for (const name of Object.keys(sites)) {
          if (isObject(sites[name])) draft.sites.set(name, readSite(defaults, name, [...where, name], ok));
        }
      }
    }
  }
  for (const [source, kind, target] of [
    [groups, 'group', draft.groups],
    [hosts, 'device', draft.devices],
  ] as const) {
    if (!source) continue;
    const checked = checkWithSchema(source, kind === 'group' ? groupsSchema : hostsSchema, allowedKeys(false));
    if (kind === 'device' && source.value !== null && !isObject(source.value)) draft.devicesUnreadable = true;
    const ok = okFor(checked, problems);
    if (!isObject(source.value)) continue;
    for (const [name, value] of Object.entries(source.value)) {
      if (isObject(value)) target.set(name, readEntry(source, kind, name, [name], ok, problems));
    }
  }
  return draft;
}

function emptyDraft(path: string, files: NornirFiles, problems: Problem[]): InventoryDraft {
  return {
    format: 'nornir',
    source: path,
    at: { file: files.hosts, line: 1, column: 1 },
    labels: { devices: 'in hosts.yaml', groups: 'in groups.yaml', sites: 'under sites: in defaults.yaml', credentials: 'in defaults.yaml' },
    groups: new Map(),
    devices: new Map(),
    credentials: new Map(),
    sites: new Map(),
    problems,
  };
}

async function readOne(path: string, required: boolean, duplicate: string | undefined, problems: Problem[]): Promise<YamlSource | undefined> {
  if (!required && !(await stat(path).catch(() => undefined))) return undefined;
  const read = await readYamlSource(path, path, (parent) => (parent.length === 0 ? duplicate : undefined));
  problems.push(...read.problems);
  return read.source;
}

function okFor(checked: { problems: Problem[]; invalid: Set<string> }, problems: Problem[]) {
  problems.push(...checked.problems);
  return (path: PathKey[]) => !checked.invalid.has(joinPath(path));
}

/** Path of an extra key: the top level when set there, else under data:. */
function whereIs(source: YamlSource, path: PathKey[], key: string): PathKey[] {
  return valueAt(source.value, [...path, key]) !== undefined ? [...path, key] : [...path, 'data', key];
}

function readEntry(
  source: YamlSource,
  kind: LevelDraft['kind'],
  name: string,
  path: PathKey[],
  ok: (p: PathKey[]) => boolean,
  problems: Problem[],
): LevelDraft {
  for (const key of EXTRA_KEYS) {
    if (valueAt(source.value, [...path, key]) !== undefined && valueAt(source.value, [...path, 'data', key]) !== undefined) {
      problems.push(problemAt(source.spotOf([...path, 'data', key], 'key'), joinPath([...path, 'data', key]), `found ${key} both here and at the top level of ${name}, expected it in one place`));
    }
  }
  const read = new LevelReader(source, ok);
  const fields: Partial<Record<LevelField, PathKey[] | null>> = {
    host: [...path, 'hostname'],
    site: whereIs(source, path, 'site'),
    tags: whereIs(source, path, 'tags'),
    redundancyGroup: whereIs(source, path, 'redundancy_group'),
    hostKey: whereIs(source, path, 'host_key'),
    hostKeyCheck: whereIs(source, path, 'host_key_check'),
    knownHosts: whereIs(source, path, 'known_hosts'),
    // Nornir has no named credential sets; credentials are inline (below).
    credentials: null,
  };
  const level = read.level(kind, name, path.length === 0 ? [] : path, fields);
  if (path.length === 0) level.path = 'defaults';
  const data = valueAt(source.value, [...path, 'data']);
  level.data = isObject(data) && ok([...path, 'data']) ? Object.fromEntries(Object.entries(data).filter(([k]) => !EXTRA_KEYS.includes(k))) : {};
  const creds = whereIs(source, path, 'credentials');
  const login = level.login;
  const username = read.located<string>([...path, 'username']);
  const password = read.secret([...path, 'password']);
  const enableSecret = read.secret([...creds, 'enable_secret']);
  const privateKey = read.filePath([...creds, 'private_key']);
  const passphrase = read.secret([...creds, 'passphrase']);
  const agent = read.located<boolean>([...creds, 'agent']);
  if (username) login.username = username;
  if (password) login.password = password;
  if (enableSecret) login.enableSecret = enableSecret;
  if (privateKey) login.privateKey = privateKey;
  if (passphrase) login.passphrase = passphrase;
  if (agent) login.agent = agent;
  for (const key of ['username', 'password'] as const) {
    if (!ok([...path, key])) level.invalid.add(key);
  }
  return level;
}
