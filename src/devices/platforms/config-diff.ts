/**
 * The configuration lines that turn `running` into `saved`, for CLIs without
 * a configure-replace (FRR's vtysh): a line-level diff over the indentation
 * tree, like frr-reload.py does in spirit. Lines only in running are negated
 * (`no X`, or `X` for a `no X` line), lines only in saved are added, and
 * changed sections are entered and left with `exit`.
 */
interface Node {
  line: string;
  children: Node[];
}

/** Headers, separators and settings vtysh prints but does not take back in config mode. */
const NOISE = /^(Building configuration|Current configuration|frr version|frr defaults|service integrated-vtysh-config|!|end$|exit$|exit-address-family$|exit-vrf$)/;

export function parseConfigTree(text: string): Node[] {
  const root: Node = { line: '', children: [] };
  const stack: { indent: number; node: Node }[] = [{ indent: -1, node: root }];
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    if (raw.trim() === '' || NOISE.test(raw.trim())) continue;
    const indent = raw.length - raw.trimStart().length;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const node: Node = { line: raw.trim(), children: [] };
    stack[stack.length - 1]!.node.children.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

/** Settings that hold one value: setting the saved value replaces the current one, no removal needed. */
const SINGLE_VALUED = /^(hostname|description|router-id|bgp router-id|log file|password|enable password)\b/;

function keyword(line: string): string | undefined {
  return SINGLE_VALUED.exec(line)?.[1];
}

/**
 * The line that takes `line` back. A single-valued setting is removed by its
 * keyword alone: FRR refuses `no description <text>` (`% Unknown command`)
 * and takes `no description`.
 */
function negate(line: string): string {
  if (line.startsWith('no ')) return line.slice(3);
  const k = keyword(line);
  return k ? `no ${k}` : `no ${line}`;
}

function emitAll(node: Node, depth: number, out: string[]): void {
  out.push(`${' '.repeat(depth)}${node.line}`);
  for (const c of node.children) emitAll(c, depth + 1, out);
  if (node.children.length > 0) out.push(`${' '.repeat(depth)}exit`);
}

function diff(running: Node[], saved: Node[], depth: number, out: string[]): void {
  const pad = ' '.repeat(depth);
  const savedByLine = new Map(saved.map((n) => [n.line, n]));
  const runningByLine = new Map(running.map((n) => [n.line, n]));
  // Removals first, so a replaced value (e.g. a new priority) is not removed after being set.
  const savedKeywords = new Set(saved.map((n) => keyword(n.line)).filter((k) => k !== undefined));
  for (const r of running) {
    if (savedByLine.has(r.line)) continue;
    const k = keyword(r.line);
    if (k && savedKeywords.has(k)) continue; // replaced below; `no hostname` would also change the prompt
    // An interface the push gave its first settings still exists in the kernel: FRR refuses
    // `no interface lo` (`only inactive interfaces can be deleted`), so take back its settings
    // instead. The empty `interface lo` section FRR then keeps printing configures nothing.
    if (/^interface\s/.test(r.line)) {
      const inner: string[] = [];
      diff(r.children, [], depth + 1, inner);
      if (inner.length > 0) out.push(`${pad}${r.line}`, ...inner, `${pad}exit`);
      continue;
    }
    out.push(`${pad}${negate(r.line)}`);
  }
  for (const s of saved) {
    const r = runningByLine.get(s.line);
    if (!r) {
      if (/^interface\s/.test(s.line) && s.children.length === 0) continue; // an empty section configures nothing
      emitAll(s, depth, out);
      continue;
    }
    const inner: string[] = [];
    diff(r.children, s.children, depth + 1, inner);
    if (inner.length > 0) out.push(`${pad}${s.line}`, ...inner, `${pad}exit`);
  }
}

/** Config-mode lines that make the running configuration equal to the saved one (empty when equal). */
export function configDiffLines(runningText: string, savedText: string): string[] {
  const out: string[] = [];
  diff(parseConfigTree(runningText), parseConfigTree(savedText), 0, out);
  return out;
}
