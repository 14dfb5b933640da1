/**
 * Whether a device already holds a set of configuration lines, each in its
 * section. Pure (no I/O, no Node APIs): the worker runs it on the running
 * configuration it just read, and the tests run it on fixtures.
 *
 * Lines are compared after trimming and collapsing inner whitespace, so a
 * template indented with one space matches NX-OS's two; sections are found by
 * indentation, as every supported CLI prints them. Abbreviations are not
 * expanded: write lines the way `show running-config` prints them.
 */

export interface ConfigNode {
  line: string;
  children: ConfigNode[];
}

/** Lines that structure a printout or leave a mode, but are not configuration. */
const NOISE = /^(!.*|end|exit|exit-address-family|exit-vrf|quit|Building configuration.*|Current configuration.*)$/;

export function normaliseLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/** The indentation tree of a configuration text (or of lines), noise left out. */
export function parseConfigTree(text: string | readonly string[]): ConfigNode[] {
  const lines = typeof text === 'string' ? text.replace(/\r/g, '').split('\n') : text;
  const root: ConfigNode = { line: '', children: [] };
  const stack: { indent: number; node: ConfigNode }[] = [{ indent: -1, node: root }];
  for (const raw of lines) {
    const line = normaliseLine(raw);
    if (line === '' || NOISE.test(line)) continue;
    const indent = raw.length - raw.trimStart().length;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const node: ConfigNode = { line, children: [] };
    stack[stack.length - 1]!.node.children.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

/** One desired line and whether the running configuration already has it there. */
export interface DesiredLineState {
  /** The line as the template gave it, normalised. */
  line: string;
  /** Nesting depth: 0 for a global line, 1 inside `interface X`, ... */
  depth: number;
  present: boolean;
}

/**
 * `no X` is satisfied when the section says `no X` or has no `X` at all: most
 * platforms print a default (`no shutdown` on IOS-XE) by leaving it out.
 */
function negationHolds(line: string, siblings: readonly ConfigNode[]): boolean {
  if (siblings.some((s) => s.line === line)) return true;
  const positive = line.slice(3);
  return !siblings.some((s) => s.line === positive || s.line.startsWith(`${positive} `));
}

function walk(desired: readonly ConfigNode[], running: readonly ConfigNode[] | undefined, depth: number, out: DesiredLineState[]): void {
  for (const d of desired) {
    // Inside a section the device does not have yet, every line is missing.
    const match = running?.find((r) => r.line === d.line);
    const present = running !== undefined && (match !== undefined || (d.line.startsWith('no ') && d.children.length === 0 && negationHolds(d.line, running)));
    out.push({ line: d.line, depth, present });
    walk(d.children, match?.children, depth + 1, out);
  }
}

/** Every desired line in order, each marked present or missing against the running configuration. */
export function compareWithRunning(runningConfig: string, desiredLines: readonly string[]): DesiredLineState[] {
  const out: DesiredLineState[] = [];
  walk(parseConfigTree(desiredLines), parseConfigTree(runningConfig), 0, out);
  return out;
}

/** True when every desired line is already in the running configuration, in its section. */
export function inDesiredState(states: readonly DesiredLineState[]): boolean {
  return states.every((s) => s.present);
}
