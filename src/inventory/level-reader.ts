import { emptyLevel, type LevelDraft, type Located } from './draft';
import { normalizePlatform } from './platforms';
import { parseSecretRef, resolvePath } from './secret-ref';
import type { HostKeyCheck, SecretRef } from './types';
import { valueAt } from './zod-problems';
import { joinPath, type PathKey, type YamlSource } from './yaml-source';

/** Turns one level's valid fields into a draft; invalid ones are remembered, not used. */
export class LevelReader {
  constructor(
    private readonly source: YamlSource,
    private readonly ok: (path: PathKey[]) => boolean,
  ) {}

  located<T>(path: PathKey[] | null, map: (raw: unknown) => T | undefined = (raw) => raw as T): Located<T> | undefined {
    if (path === null) return undefined;
    const raw = valueAt(this.source.value, path);
    if (raw === undefined || raw === null || !this.ok(path)) return undefined;
    const value = map(raw);
    return value === undefined ? undefined : { value, at: this.source.spotOf(path), path: joinPath(path) };
  }

  secret(path: PathKey[] | null): Located<SecretRef> | undefined {
    return this.located(path, (raw) => {
      const parsed = parseSecretRef(String(raw), this.source.dir);
      return parsed.ok ? parsed.ref : undefined;
    });
  }

  filePath(path: PathKey[] | null): Located<string> | undefined {
    return this.located(path, (raw) => resolvePath(String(raw), this.source.dir));
  }

  /**
   * Reads the level attributes shared by both formats. `fields` maps each
   * attribute to where it sits (Nornir keeps some of them under data:).
   */
  level(kind: LevelDraft['kind'], name: string, path: PathKey[], fields: Partial<Record<LevelField, PathKey[] | null>> = {}): LevelDraft {
    // null: the format has no such field (Nornir has no named credential sets).
    const at = (field: LevelField): PathKey[] | null => (fields[field] === undefined ? [...path, SNAKE[field]] : fields[field]);
    const level = emptyLevel(kind, name, joinPath(path), this.source.spotOf(path, 'key'));
    for (const field of Object.keys(SNAKE) as LevelField[]) {
      const fieldPath = at(field);
      if (fieldPath && !this.ok(fieldPath)) level.invalid.add(field);
    }
    level.host = this.located(at('host'));
    level.port = this.located(at('port'));
    level.platform = this.located(at('platform'), (raw) => normalizePlatform(String(raw)));
    level.site = this.located(at('site'));
    level.redundancyGroup = this.located(at('redundancyGroup'));
    level.credentials = this.located(at('credentials'));
    level.hostKey = this.located(at('hostKey'));
    level.hostKeyCheck = this.located<HostKeyCheck>(at('hostKeyCheck'));
    level.knownHosts = this.filePath(at('knownHosts'));
    const parents = this.located<unknown[]>(at('groups'));
    const groupsPath = at('groups');
    level.parents = groupsPath ? (parents?.value ?? []).flatMap((_, i) => this.located<string>([...groupsPath, i]) ?? []) : [];
    level.tags = this.located<string[]>(at('tags'))?.value ?? [];
    level.data = this.located<Record<string, unknown>>(at('data'))?.value ?? {};
    return level;
  }
}

export type LevelField = 'host' | 'port' | 'platform' | 'site' | 'groups' | 'tags' | 'redundancyGroup' | 'credentials' | 'hostKey' | 'hostKeyCheck' | 'knownHosts' | 'data';

const SNAKE: Record<LevelField, string> = {
  host: 'host',
  port: 'port',
  platform: 'platform',
  site: 'site',
  groups: 'groups',
  tags: 'tags',
  redundancyGroup: 'redundancy_group',
  credentials: 'credentials',
  hostKey: 'host_key',
  hostKeyCheck: 'host_key_check',
  knownHosts: 'known_hosts',
  data: 'data',
};

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
