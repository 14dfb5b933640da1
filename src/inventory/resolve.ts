import type { InventoryDraft, LevelDraft, Located, LoginDraft } from './draft';
import { problemAt, type Problem } from './problems';
import { didYouMean, listChoices } from './suggest';
import { PLATFORMS, type CredentialRef, type Device, type Inventory } from './types';

type Field = 'host' | 'port' | 'platform' | 'site' | 'redundancyGroup' | 'credentials' | 'hostKey' | 'hostKeyCheck' | 'knownHosts';

const ON_CHAIN = 'on the device, one of its groups or defaults';

/**
 * Applies Nornir-style inheritance (device > its groups in listed order,
 * depth-first through parent groups > defaults) and checks everything that
 * needs the whole inventory: references, cycles, pairs, required fields.
 */
export function resolveDraft(draft: InventoryDraft): { inventory: Inventory; problems: Problem[] } {
  const problems: Problem[] = [...draft.problems];
  const levels = [...(draft.defaults ? [draft.defaults] : []), ...draft.groups.values(), ...draft.devices.values()];
  for (const level of levels) problems.push(...checkReferences(level, draft));
  problems.push(...findCycles(draft.groups));

  const devices: Device[] = [];
  const pairs = new Map<string, Array<{ device: string; ref: Located<string> }>>();
  const addresses = new Map<string, string>();
  for (const device of draft.devices.values()) {
    const chain = chainOf(device, draft);
    const resolved = resolveDevice(device, chain, draft, problems);
    if (!resolved) continue;
    devices.push(resolved);
    const rg = pick(chain, 'redundancyGroup');
    if (rg) pairs.set(rg.value, [...(pairs.get(rg.value) ?? []), { device: device.name, ref: rg }]);
    const address = `${resolved.host}:${resolved.port}`;
    const other = addresses.get(address);
    if (other === undefined) addresses.set(address, device.name);
    else {
      const host = pick(chain, 'host');
      if (host) problems.push(problemAt(host.at, host.path, `found ${address}, which is also the address of device "${other}"; expected each device to have its own host and port`));
    }
  }
  problems.push(...checkPairs(pairs));
  if (draft.devices.size === 0 && !draft.devicesUnreadable) {
    problems.push(problemAt(draft.at, 'devices', `found no devices, expected at least one device ${draft.labels.devices}`));
  }
  const sites = Object.fromEntries(draft.sites);
  return { inventory: { source: draft.source, devices, sites }, problems };
}

function checkReferences(level: LevelDraft, draft: InventoryDraft): Problem[] {
  const problems: Problem[] = [];
  for (const parent of level.parents) {
    if (draft.groups.has(parent.value)) continue;
    problems.push(unknownName(parent, 'group', draft.labels.groups, draft.groups.keys()));
  }
  if (level.site && !draft.sites.has(level.site.value)) {
    problems.push(unknownName(level.site, 'site', draft.labels.sites, draft.sites.keys()));
  }
  if (level.credentials && !draft.credentials.has(level.credentials.value)) {
    problems.push(unknownName(level.credentials, 'credential set', draft.labels.credentials, draft.credentials.keys()));
  }
  return problems;
}

function unknownName(ref: Located<string>, what: string, where: string, known: Iterable<string>): Problem {
  const names = [...known];
  const hint = didYouMean(ref.value, names);
  const list = names.length === 0 ? `none are defined` : `known: ${names.join(', ')}`;
  return problemAt(ref.at, ref.path, `found "${ref.value}", expected a ${what} defined ${where} (${list})${hint}`);
}

function findCycles(groups: Map<string, LevelDraft>): Problem[] {
  const problems: Problem[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (group: LevelDraft): void => {
    state.set(group.name, 'visiting');
    stack.push(group.name);
    for (const parent of group.parents) {
      const next = groups.get(parent.value);
      if (!next) continue;
      const seen = state.get(next.name);
      if (seen === 'visiting') {
        const loop = [...stack.slice(stack.indexOf(next.name)), next.name].join(' -> ');
        problems.push(problemAt(parent.at, parent.path, `found "${parent.value}", which makes an inheritance cycle (${loop}); expected groups to inherit without loops`));
      } else if (seen === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(group.name, 'done');
  };
  for (const group of groups.values()) if (!state.has(group.name)) visit(group);
  return problems;
}

/** The device, then its groups depth-first in listed order (each once), then defaults. */
function chainOf(device: LevelDraft, draft: InventoryDraft): LevelDraft[] {
  const chain: LevelDraft[] = [device];
  const seen = new Set<string>();
  const walk = (level: LevelDraft): void => {
    for (const parent of level.parents) {
      const group = draft.groups.get(parent.value);
      if (!group || seen.has(group.name)) continue;
      seen.add(group.name);
      chain.push(group);
      walk(group);
    }
  };
  walk(device);
  if (draft.defaults) chain.push(draft.defaults);
  return chain;
}

function pick<F extends Field>(chain: LevelDraft[], field: F): LevelDraft[F] {
  for (const level of chain) if (level[field] !== undefined) return level[field];
  return undefined as LevelDraft[F];
}

function pickLogin<F extends keyof LoginDraft>(chain: LevelDraft[], field: F): { value: LoginDraft[F]; from?: LevelDraft } {
  for (const level of chain) if (level.login[field] !== undefined) return { value: level.login[field], from: level };
  return { value: undefined };
}

function invalidSomewhere(chain: LevelDraft[], field: string): boolean {
  return chain.some((level) => level.invalid.has(field));
}

function resolveDevice(device: LevelDraft, chain: LevelDraft[], draft: InventoryDraft, problems: Problem[]): Device | undefined {
  let complete = true;
  const need = <T>(value: T | undefined, field: string, expected: string): T | undefined => {
    if (value !== undefined) return value;
    complete = false;
    if (!invalidSomewhere(chain, field)) problems.push(problemAt(device.at, `${device.path}.${field}`, `missing, expected ${expected}`));
    return undefined;
  };
  const host = need(pick(chain, 'host')?.value, 'host', 'an IPv4/IPv6 address or DNS host name');
  const platform = need(pick(chain, 'platform')?.value, 'platform', `one of ${listChoices(PLATFORMS)} ${ON_CHAIN}`);
  const site = need(pick(chain, 'site')?.value, 'site', `the name of a site ${ON_CHAIN}`);
  const credentials = resolveCredentials(device, chain, draft, problems);
  if (!credentials) complete = false;
  if (!complete || !host || !platform || !site || !credentials) return undefined;
  if (!draft.sites.has(site)) return undefined;

  const groups = chain.filter((l) => l.kind === 'group').map((l) => l.name);
  const tags = [...new Set(chain.flatMap((l) => l.tags))];
  const data: Record<string, unknown> = {};
  for (const level of [...chain].reverse()) Object.assign(data, level.data);
  const result: Device = {
    name: device.name,
    host,
    port: pick(chain, 'port')?.value ?? 22,
    platform,
    site,
    groups,
    tags,
    credentials,
    hostKeyCheck: pick(chain, 'hostKeyCheck')?.value ?? 'strict',
    data,
  };
  const rg = pick(chain, 'redundancyGroup');
  if (rg) result.redundancyGroup = rg.value;
  const hostKey = pick(chain, 'hostKey');
  if (hostKey) result.hostKey = hostKey.value;
  const knownHosts = pick(chain, 'knownHosts');
  if (knownHosts) result.knownHostsFile = knownHosts.value;
  return result;
}

function resolveCredentials(device: LevelDraft, chain: LevelDraft[], draft: InventoryDraft, problems: Problem[]): CredentialRef | undefined {
  const named = pick(chain, 'credentials');
  if (named) return draft.credentials.get(named.value);
  const username = pickLogin(chain, 'username');
  const hasInline = chain.some((l) => Object.keys(l.login).length > 0);
  if (!hasInline) {
    if (!invalidSomewhere(chain, 'credentials') && !invalidSomewhere(chain, 'password')) {
      const expected =
        draft.format === 'netops'
          ? `the name of a credential set ${ON_CHAIN}`
          : `username and password (env:NAME or file:PATH) on the host, one of its groups or defaults`;
      problems.push(problemAt(device.at, `${device.path}.credentials`, `missing, expected ${expected}`));
    }
    return undefined;
  }
  if (!username.value || !username.from) {
    if (!invalidSomewhere(chain, 'username')) {
      problems.push(problemAt(device.at, `${device.path}.username`, `missing, expected a user name on the host, one of its groups or defaults`));
    }
    return undefined;
  }
  const ref: CredentialRef = { set: username.from.name, username: username.value.value };
  const password = pickLogin(chain, 'password').value;
  const enableSecret = pickLogin(chain, 'enableSecret').value;
  const privateKey = pickLogin(chain, 'privateKey').value;
  const passphrase = pickLogin(chain, 'passphrase').value;
  const agent = pickLogin(chain, 'agent').value;
  if (password) ref.password = password.value;
  if (enableSecret) ref.enableSecret = enableSecret.value;
  if (privateKey) ref.privateKey = privateKey.value;
  if (passphrase) ref.passphrase = passphrase.value;
  if (agent) ref.agent = agent.value;
  if (!ref.password && !ref.privateKey && !ref.agent) {
    if (!invalidSomewhere(chain, 'password')) {
      problems.push(problemAt(device.at, `${device.path}.password`, `missing, expected a password (env:NAME or file:PATH), a private_key or agent: true on the host, one of its groups or defaults`));
    }
    return undefined;
  }
  return ref;
}

function checkPairs(pairs: Map<string, Array<{ device: string; ref: Located<string> }>>): Problem[] {
  const problems: Problem[] = [];
  for (const [name, members] of pairs) {
    if (members.length > 1) continue;
    const only = members[0]!;
    problems.push(
      problemAt(only.ref.at, only.ref.path, `redundancy group "${name}" has only one member (${only.device}), expected at least two devices sharing it (is the name misspelt on its peer?)`),
    );
  }
  return problems;
}
