import type { z } from 'zod';
import { isLiteralSecret, SECRET_FIELDS } from './field-rules';
import { problemAt, type Problem } from './problems';
import { closest, didYouMean } from './suggest';
import { joinPath, type PathKey, type YamlSource } from './yaml-source';

/** Which keys a mapping at `path` accepts, for "unknown key" hints. */
export type AllowedKeys = (path: readonly PathKey[]) => readonly string[];

/** Result of checking a document against a schema: positioned problems plus the paths to ignore. */
export interface Checked {
  problems: Problem[];
  /** Joined paths of values that failed (and all their parents); builders skip them. */
  invalid: Set<string>;
}

/**
 * Runs a zod schema over a YAML source and turns every issue into a
 * positioned, readable problem. Zod collects all issues in one pass, so the
 * user sees every mistake at once.
 */
export function checkWithSchema(source: YamlSource, schema: z.ZodType, allowedKeys: AllowedKeys, base: PathKey[] = []): Checked {
  const problems: Problem[] = [];
  const invalid = new Set<string>();
  const value = valueAt(source.value, base);
  const result = schema.safeParse(value);
  if (result.success) return { problems, invalid };
  for (const issue of result.error.issues) {
    const path = [...base, ...(issue.path as PathKey[])];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(path);
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        const hint = didYouMean(key, allowed);
        const message = hint ? `unknown key "${key}"${hint}` : `unknown key "${key}", expected one of: ${allowed.join(', ')}`;
        problems.push(problemAt(source.spotOf(keyPath, 'key'), joinPath(keyPath), message));
        // A misspelt key means the field it was meant to be is set, so it is not reported as missing too.
        const guess = closest(key, allowed);
        if (guess !== undefined) invalid.add(joinPath([...path, guess]));
      }
      continue;
    }
    for (let i = 0; i <= path.length; i++) invalid.add(joinPath(path.slice(0, i)));
    const found = valueAt(source.value, path);
    const expected = issue.message.startsWith('expected') ? issue.message : `expected ${issue.message}`;
    // A missing key has no place of its own: point at the entry that lacks it.
    const spot = found === undefined ? source.spotOf(path.slice(0, -1), 'key') : source.spotOf(path);
    problems.push(problemAt(spot, joinPath(path), `${describeFound(found, path)}, ${expected}`));
  }
  return { problems, invalid };
}

/** The value at a path inside plain data, or undefined. */
export function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return node;
}

/** The "found ..." half of a message; secrets are described, never shown. */
export function describeFound(value: unknown, path: readonly PathKey[] = []): string {
  const last = path[path.length - 1];
  if (typeof last === 'string' && SECRET_FIELDS.has(last) && isLiteralSecret(value)) return 'found a literal secret (not shown)';
  if (value === undefined) return 'missing';
  if (value === null && path.length === 0) return 'found an empty file';
  return `found ${describeValue(value)}`;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
