import { Liquid, type Template } from 'liquidjs';
import type { Device } from '../inventory/types';
import { templateVariables, TEMPLATE_ROOTS } from './variables';

/**
 * Configuration templates: Liquid (liquidjs), rendered on the client, once
 * per device, with that device's inventory variables. Strict: an unknown
 * variable or filter is an error, never an empty string in a config line.
 */

/** A template the CLI refuses; the message is one line and names the file (and device, when it is per device). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** Variable names that would carry a secret into a configuration line. */
const SECRET_NAME = /^(credentials?|password|passwd|secret|enable_?secret|passphrase|private_?key|api_?key|token)$|password|secret/i;

// Templates are self-contained: no `include`/`render`/`layout` of other files,
// so what was reviewed is what is pushed.
const noFiles = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => Promise.reject(new TemplateError('templates cannot include other files')),
  readFileSync: () => {
    throw new TemplateError('templates cannot include other files');
  },
  resolve: (_root: string, file: string) => file,
};

const engine = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true, lenientIf: true, fs: noFiles, relativeReference: false });

export interface CompiledTemplate {
  source: string;
  template: Template[];
  /** Variable paths the template reads, e.g. `data.vlans`. */
  variables: string[];
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

function pathText(segments: readonly unknown[]): string {
  return segments.map((s) => (Array.isArray(s) ? `[${pathText(s)}]` : String(s))).join('.');
}

/**
 * Parses a template and checks what it may read: only `device.*` and
 * `data.*`, and nothing named like a credential. Throws TemplateError.
 */
export function compileTemplate(text: string, source: string): CompiledTemplate {
  let template: Template[];
  try {
    template = engine.parse(text);
  } catch (err) {
    throw new TemplateError(`${source}: template syntax error: ${firstLine((err as Error).message)}`);
  }
  let segments: ReturnType<typeof engine.globalVariableSegmentsSync>;
  try {
    segments = engine.globalVariableSegmentsSync(template);
  } catch (err) {
    const message = firstLine((err as Error).message);
    throw new TemplateError(`${source}: ${/Failed to lookup|include other files/.test(message) ? 'templates cannot include other files (include, render, layout)' : message}`);
  }
  const flat = (segs: readonly unknown[]): string[] => segs.flatMap((s) => (Array.isArray(s) ? flat(s) : [String(s)]));
  for (const path of segments) {
    const secret = flat(path).find((s) => SECRET_NAME.test(s));
    if (secret !== undefined) {
      throw new TemplateError(
        `${source}: the template references "${pathText(path)}": templates may not use credentials or secrets (configure secrets on the device, or through its own secret store)`,
      );
    }
  }
  for (const path of segments) {
    const root = String(path[0]);
    if (!TEMPLATE_ROOTS.includes(root)) {
      throw new TemplateError(`${source}: unknown variable "${pathText(path)}" (templates can use ${TEMPLATE_ROOTS.map((r) => `${r}.*`).join(' and ')})`);
    }
  }
  return { source, template, variables: [...new Set(segments.map(pathText))] };
}

/**
 * The template rendered for one device, as configuration lines: trailing
 * blanks trimmed, empty lines (left by `{% if %}` and loops) dropped.
 */
export function renderForDevice(tpl: CompiledTemplate, device: Device): string[] {
  let text: string;
  try {
    text = engine.renderSync(tpl.template, templateVariables(device)) as string;
  } catch (err) {
    throw new TemplateError(`${tpl.source}: ${device.name}: ${firstLine((err as Error).message)}`);
  }
  return toConfigLines(text);
}

/** Text as configuration lines: no trailing whitespace, no blank lines. */
export function toConfigLines(text: string): string[] {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l.trim() !== '');
}
