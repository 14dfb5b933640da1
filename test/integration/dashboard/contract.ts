import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { AccessLogEntry } from '../../../src/lab/dashboard';

/**
 * Checks recorded dashboard traffic against the pinned extract of Meraki's
 * OpenAPI v1 specification (test/fixtures/meraki): every request (path,
 * query parameters, body) against the operation's parameters and request
 * schema, every 2xx answer against its response schema.
 *
 * Adaptations of OpenAPI 3.0 schemas for ajv, and why:
 * - objects that list their properties are closed (no other properties): the
 *   spec leaves them open, but then an invented field on either side (the old
 *   `toVersion.shortName`, `idempotencyKey`) would pass and drift would go unseen;
 * - `format: date-time` is checked as RFC 3339; other formats are not checked;
 * - array query parameters travel as repeated `name[]=v`, the dashboard's syntax.
 */

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: { type?: string; items?: { type?: string }; enum?: string[] };
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: { 'application/json': { schema: object } } };
  responses: Record<string, { content?: { 'application/json'?: { schema: object } } }>;
}
export interface SpecExtract {
  'x-origin': { repository: string; path: string; commit: string; apiVersion: string };
  paths: Record<string, Record<string, Operation>>;
}

export const EXTRACT: SpecExtract = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/meraki/dashboard-v1-extract.json'), 'utf8')) as SpecExtract;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v);
  if (out['type'] === 'object' && out['properties'] !== undefined && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

interface CompiledOperation {
  method: string;
  template: string;
  pattern: RegExp;
  op: Operation;
  request?: ValidateFunction;
  responses: Map<number, ValidateFunction | undefined>;
}

function compile(extract: SpecExtract): CompiledOperation[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // Formats the spec names that no test value depends on.
  ajv.addFormat('float', true);
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)) });
  const ops: CompiledOperation[] = [];
  for (const [template, methods] of Object.entries(extract.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    for (const [method, op] of Object.entries(methods)) {
      const body = op.requestBody?.content['application/json']?.schema;
      const responses = new Map<number, ValidateFunction | undefined>();
      for (const [code, r] of Object.entries(op.responses)) {
        const schema = r.content?.['application/json']?.schema;
        responses.set(Number(code), schema ? ajv.compile(closed(schema) as object) : undefined);
      }
      ops.push({ method: method.toUpperCase(), template, pattern, op, ...(body ? { request: ajv.compile(closed(body) as object) } : {}), responses });
    }
  }
  return ops;
}

const OPERATIONS = compile(EXTRACT);

function errorsOf(v: ValidateFunction): string {
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`).join('; ');
}

function checkQuery(op: Operation, search: URLSearchParams): string[] {
  const problems: string[] = [];
  const declared = new Map((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p]));
  const seen = new Set<string>();
  for (const key of new Set(search.keys())) {
    const isList = key.endsWith('[]');
    const name = isList ? key.slice(0, -2) : key;
    const param = declared.get(name);
    if (!param) {
      problems.push(`query parameter "${key}" is not a parameter of ${op.operationId}`);
      continue;
    }
    seen.add(name);
    const values = search.getAll(key);
    const type = param.schema.type;
    if (type === 'array' && !isList) problems.push(`query parameter "${name}" is a list: send it as ${name}[]=...`);
    if (type !== 'array' && (isList || values.length > 1)) problems.push(`query parameter "${name}" takes one value`);
    const scalar = type === 'array' ? param.schema.items?.type : type;
    for (const v of values) {
      if (scalar === 'integer' && !/^-?\d+$/.test(v)) problems.push(`query parameter "${name}" must be an integer, got "${v}"`);
      if (scalar === 'boolean' && v !== 'true' && v !== 'false') problems.push(`query parameter "${name}" must be true or false, got "${v}"`);
      if (param.schema.enum && !param.schema.enum.includes(v)) problems.push(`query parameter "${name}" must be one of ${param.schema.enum.join(', ')}`);
    }
  }
  for (const p of declared.values()) if (p.required && !seen.has(p.name)) problems.push(`required query parameter "${p.name}" is missing`);
  return problems;
}

/** One exchange the simulator recorded, checked; returns what is wrong with it (empty: it keeps the contract). */
export function checkExchange(e: Pick<AccessLogEntry, 'method' | 'path' | 'apiPath' | 'status' | 'requestBody' | 'responseBody'>): string[] {
  const where = `${e.method} ${e.path} (${e.status})`;
  const compiled = OPERATIONS.find((o) => o.method === e.method && o.pattern.test(e.apiPath));
  if (!compiled) return [`${where}: no such operation in the spec extract`];
  const problems: string[] = [];
  const params = compiled.pattern.exec(e.apiPath)?.slice(1) ?? [];
  if (params.some((p) => p === '')) problems.push('an empty path parameter');
  problems.push(...checkQuery(compiled.op, new URL(e.path, 'http://x').searchParams));
  if (compiled.request) {
    if (e.requestBody === undefined) {
      if (compiled.op.requestBody?.required) problems.push('the request body is required');
    } else if (!compiled.request(e.requestBody)) problems.push(`request body: ${errorsOf(compiled.request)}`);
  } else if (e.requestBody !== undefined) problems.push(`${compiled.op.operationId} takes no request body`);
  if (e.status >= 200 && e.status < 300) {
    if (!compiled.responses.has(e.status)) problems.push(`answered ${e.status}, which ${compiled.op.operationId} does not define (${[...compiled.responses.keys()].join(', ')})`);
    else {
      const validate = compiled.responses.get(e.status);
      if (validate && !validate(e.responseBody)) problems.push(`response body: ${errorsOf(validate)}`);
    }
  }
  return problems.map((p) => `${where} [${compiled.op.operationId}]: ${p}`);
}

/** Every problem in a simulator's log. Requires bodies to have been recorded (the simulator's default). */
export function checkContract(entries: readonly AccessLogEntry[]): string[] {
  return entries.flatMap((e) => (e.status === 401 ? [] : checkExchange(e)));
}

/** operationIds the log exercised with a 2xx answer. */
export function operationsCovered(entries: readonly AccessLogEntry[]): Set<string> {
  const ids = new Set<string>();
  for (const e of entries) {
    if (e.status < 200 || e.status >= 300) continue;
    const o = OPERATIONS.find((c) => c.method === e.method && c.pattern.test(e.apiPath));
    if (o) ids.add(o.op.operationId);
  }
  return ids;
}

export const ALL_OPERATIONS: readonly string[] = OPERATIONS.map((o) => o.op.operationId);

/** Fails (throws) when the simulator's log breaks the contract, naming the first problems. */
export function assertContract(entries: readonly AccessLogEntry[]): void {
  const problems = checkContract(entries);
  if (problems.length > 0) throw new Error(`${problems.length} exchanges break the Meraki API v1 contract (${EXTRACT['x-origin'].apiVersion}):\n${problems.slice(0, 10).join('\n')}`);
}
