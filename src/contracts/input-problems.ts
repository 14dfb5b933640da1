import type { z } from './zod';

/** One bad field: where (a JSON Pointer into the input, RFC 6901) and what is wrong with it. */
export interface InputProblem {
  path: string;
  message: string;
}

/** `/devices/0/port`; the whole input is `/`. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '/';
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * zod's issues as one problem per bad field. Messages say what was expected,
 * never the value that was sent: a field may hold a secret by mistake.
 */
export function toInputProblems(issues: readonly z.core.$ZodIssue[], knownFields: ReadonlySet<string> = new Set(), base: readonly PropertyKey[] = []): InputProblem[] {
  const out: InputProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: jsonPointer([...path, key]), message: `unknown field${caseHint(key, knownFields)}` });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A plain union (not told apart by a field). When the value's type fits
      // one option only (an object where a name or an object may go), that
      // option's fields are what is wrong; otherwise each option's reasons.
      const fitting = issue.errors.filter((branch) => !branch.some((b) => b.path.length === 0 && (b.code === 'invalid_type' || b.code === 'invalid_value')));
      if (fitting.length === 1) {
        out.push(...toInputProblems(fitting[0]!, knownFields, path));
        continue;
      }
      const branches = issue.errors.map((branch, i) => `option ${i + 1}: ${toInputProblems(branch, knownFields).map((p) => `${p.path === '/' ? '' : `${p.path} `}${p.message}`).join('; ')}`);
      out.push({ path: jsonPointer(path), message: `matches none of the options (${branches.join(' | ')})` });
    } else if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      out.push({ path: jsonPointer(path), message: `is required (${issue.expected})` });
    } else {
      out.push({ path: jsonPointer(path), message: plain(issue.message) });
    }
  }
  return out;
}

/** "Invalid input: expected number, received string" -> "expected number, received string". */
function plain(message: string): string {
  return message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
}

/** `dryrun` for `dryRun`: the commonest typo, named in the message. */
function caseHint(key: string, knownFields: ReadonlySet<string>): string {
  const lower = key.toLowerCase();
  for (const k of knownFields) if (k !== key && k.toLowerCase() === lower) return ` (did you mean "${k}"?)`;
  return '';
}

/** Every field name an input schema knows, at any depth: the candidates for a typo hint. */
export function fieldNamesOf(schema: z.core.$ZodType): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (def['type'] === 'object' && def['shape']) {
      for (const [key, child] of Object.entries(def['shape'] as Record<string, unknown>)) {
        names.add(key);
        visit(child);
      }
    }
    for (const key of ['innerType', 'in', 'out', 'element', 'valueType', 'left', 'right']) visit(def[key]);
    if (Array.isArray(def['options'])) for (const option of def['options']) visit(option);
  };
  visit(schema);
  return names;
}
