import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// The layering rules of the map (../shared/ARCHITECTURE.md), as data over a
// graph of import edges. Kept pure (a graph in, a list of violations out) so a
// synthetic graph can prove each rule fails; `readImportGraph` is the only part
// that touches the file system.

/** One import: `from` and `to` are paths relative to the repository root
 * (`src/...`) for our files, or the bare package name for packages. */
export interface ImportEdge {
  from: string;
  to: string;
  /** The specifier as written, for the message. */
  specifier: string;
}

export interface Violation {
  rule: string;
  message: string;
}

const isOurs = (to: string) => to.startsWith('src/');
const under = (path: string, dir: string) => path.startsWith(`src/${dir}/`);
const temporalPackage = (to: string) => to.startsWith('@temporalio/');

interface LayerRule {
  name: string;
  applies: (from: string) => boolean;
  forbids: (to: string, from: string) => boolean;
}

const RULES: readonly LayerRule[] = [
  {
    name: 'workflows are imported only by workflows/ and workers/',
    applies: (f) => !under(f, 'workflows') && !under(f, 'workers'),
    forbids: (t) => under(t, 'workflows'),
  },
  {
    name: 'devices/ has no Temporal import',
    applies: (f) => under(f, 'devices'),
    forbids: (t) => temporalPackage(t),
  },
  {
    name: 'devices/ imports nothing of ours but devices/ and contracts/',
    applies: (f) => under(f, 'devices'),
    forbids: (t) => isOurs(t) && !under(t, 'devices') && !under(t, 'contracts'),
  },
  {
    name: 'contracts/ imports nothing of ours outside contracts/',
    applies: (f) => under(f, 'contracts'),
    forbids: (t) => isOurs(t) && !under(t, 'contracts'),
  },
  {
    name: 'contracts/ imports no Temporal package but @temporalio/common',
    applies: (f) => under(f, 'contracts'),
    forbids: (t) => temporalPackage(t) && t !== '@temporalio/common',
  },
  {
    name: 'lab/ imports nothing of ours outside lab/',
    applies: (f) => under(f, 'lab'),
    forbids: (t) => isOurs(t) && !under(t, 'lab'),
  },
  {
    name: 'plan/ imports only plan/ and contracts/',
    applies: (f) => under(f, 'plan'),
    forbids: (t) => isOurs(t) && !under(t, 'plan') && !under(t, 'contracts'),
  },
  {
    name: 'client/ (the library) imports nothing of cli/',
    applies: (f) => under(f, 'client'),
    forbids: (t) => under(t, 'cli'),
  },
  {
    name: 'activities/ import no workflows/, cli/ or client/',
    applies: (f) => under(f, 'activities'),
    forbids: (t) => under(t, 'workflows') || under(t, 'cli') || under(t, 'client'),
  },
];

/** Every edge that breaks a layering rule, named by file and specifier. */
export function layerViolations(edges: readonly ImportEdge[]): Violation[] {
  const found: Violation[] = [];
  for (const edge of edges) {
    for (const rule of RULES) {
      if (rule.applies(edge.from) && rule.forbids(edge.to, edge.from)) {
        found.push({ rule: rule.name, message: `${edge.from} imports '${edge.specifier}' (${rule.name})` });
      }
    }
  }
  return found;
}

/** Every elementary cycle among our files that Tarjan's strongly connected
 * components reveal, one per component, printed as a -> b -> a. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!isOurs(to)) continue;
    const list = next.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    next.set(from, list);
  }
  const nodes = [...new Set(edges.flatMap((e) => (isOurs(e.to) ? [e.from, e.to] : [e.from])))].sort();

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  // Iterative Tarjan: the real graph has hundreds of files, recursion is fine
  // but an explicit stack keeps the order of discovery obvious.
  const visit = (root: string) => {
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = next.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        const selfLoop = (next.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);

  return components.map((component) => shortestCycle(component.sort()[0]!, new Set(component), next));
}

/** The shortest path from `start` back to itself inside one component. */
function shortestCycle(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const w of next.get(node) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(w) && w !== start) {
        previous.set(w, node);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const SOURCE = /\.(ts|mts|cts)$/;

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveOurs(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier.replace(/\.(js|mjs|cjs)$/, ''));
  const candidates = [`${base}.ts`, `${base}.mts`, `${base}.cts`, join(base, 'index.ts'), base];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every import, re-export and dynamic import of every file under `root/src`,
 * type-only ones included (they make cycles as much as value imports do). */
export function readImportGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of listSources(join(root, 'src'))) {
    const from = relative(root, file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) {
        const target = resolveOurs(file, specifier);
        if (!target) throw new Error(`${from}: cannot resolve '${specifier}'`);
        edges.push({ from, to: relative(root, target), specifier });
      } else {
        edges.push({ from, to: packageName(specifier), specifier });
      }
    }
  }
  return edges;
}
