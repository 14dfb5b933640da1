import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The dynamic config says it carries only deliberate changes from the
// server's defaults, each with its reason. The defaults are those of the
// server version the deployment pins (test/fixtures/temporal/ORIGIN.md).
const root = join(__dirname, '..', '..', '..');
const file = 'deploy/temporal/dynamicconfig/production-sql.yaml';
const text = readFileSync(join(root, file), 'utf8');
const config = parse(text) as Record<string, Array<{ value: unknown; constraints: Record<string, unknown> }>>;
const defaults = JSON.parse(readFileSync(join(root, 'test/fixtures/temporal/dynamicconfig-defaults-1.29.1.json'), 'utf8')) as Record<string, unknown>;

describe(file, () => {
  it('names the server version whose defaults it was checked against, the one compose pins', () => {
    const pinned = /TEMPORAL_VERSION:-([0-9.]+)\}/.exec(readFileSync(join(root, 'docker-compose.yml'), 'utf8'))?.[1];
    expect(pinned).toBe('1.29.1');
    expect(text).toMatch(new RegExp(`go\\.temporal\\.io/server\\s+(# )?v${pinned!.replace(/\./g, '\\.')}`));
  });

  it('sets only keys whose default is known here, each to a value other than the default', () => {
    expect(Object.keys(config).length).toBeGreaterThan(0);
    for (const [key, entries] of Object.entries(config)) {
      expect(defaults, `${key}: add its 1.29.1 default to the fixture`).toHaveProperty([key]);
      for (const e of entries) expect(e.value, `${key} is set to its default`).not.toEqual(defaults[key]);
    }
  });

  it('gives every key its reason in a comment right above it', () => {
    const lines = text.split('\n');
    for (const key of Object.keys(config)) {
      const at = lines.findIndex((l) => l.startsWith(`${key}:`));
      expect(lines[at - 1], `${key} has no comment above it`).toMatch(/^# \S/);
    }
  });
});
