import type { Problem, Spot } from './problems';
import type { CredentialRef, HostKeyCheck, Platform, SecretRef, Site } from './types';

/*
 * The shape both file formats are read into before inheritance is applied.
 * Every value remembers where it was written so problems found while
 * resolving (unknown group, single-member pair, ...) point at the right line.
 */

export interface Located<T> {
  value: T;
  at: Spot;
  /** Field path, e.g. `groups.core.site`. */
  path: string;
}

/** Credential fields given inline (Nornir's username/password), inherited one by one. */
export interface LoginDraft {
  username?: Located<string>;
  password?: Located<SecretRef>;
  enableSecret?: Located<SecretRef>;
  privateKey?: Located<string>;
  passphrase?: Located<SecretRef>;
  agent?: Located<boolean>;
}

/** The defaults, one group or one device: a level in the inheritance chain. */
export interface LevelDraft {
  kind: 'defaults' | 'group' | 'device';
  name: string;
  /** Path of the entity, e.g. `devices.r1-a`. */
  path: string;
  /** Where the entity is declared (its key). */
  at: Spot;
  host?: Located<string>;
  port?: Located<number>;
  platform?: Located<Platform>;
  site?: Located<string>;
  /** Groups this level inherits from, in priority order. */
  parents: Located<string>[];
  tags: string[];
  redundancyGroup?: Located<string>;
  /** Name of a credential set. */
  credentials?: Located<string>;
  login: LoginDraft;
  hostKey?: Located<string>;
  hostKeyCheck?: Located<HostKeyCheck>;
  knownHosts?: Located<string>;
  data: Record<string, unknown>;
  /** Fields that were given but invalid (already reported): never reported again as missing. */
  invalid: Set<string>;
}

/** How messages name the places things are defined in, which differ per format. */
export interface DraftLabels {
  devices: string;
  groups: string;
  sites: string;
  credentials: string;
}

export interface InventoryDraft {
  format: 'netops' | 'nornir';
  source: string;
  /** Where whole-inventory problems (e.g. no devices) are reported. */
  at: Spot;
  labels: DraftLabels;
  defaults?: LevelDraft;
  groups: Map<string, LevelDraft>;
  devices: Map<string, LevelDraft>;
  credentials: Map<string, CredentialRef>;
  sites: Map<string, Site>;
  /** The devices section itself was unreadable (already reported), so "no devices" would only repeat it. */
  devicesUnreadable?: boolean;
  /** Problems found while reading the files. */
  problems: Problem[];
}

export function emptyLevel(kind: LevelDraft['kind'], name: string, path: string, at: Spot): LevelDraft {
  return { kind, name, path, at, parents: [], tags: [], login: {}, data: {}, invalid: new Set() };
}
