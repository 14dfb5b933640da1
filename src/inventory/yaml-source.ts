import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { problemAt, type Problem, type Spot } from './problems';

export type PathKey = string | number;

/** A parsed YAML file that can say where any value (or key) came from. */
export interface YamlSource {
  /** The file name as shown in problems (what the user typed). */
  file: string;
  /** Absolute directory of the file, for relative references inside it. */
  dir: string;
  /** The document as plain data. */
  value: unknown;
  /** Where the node at `path` starts; falls back to the nearest existing parent. */
  spotOf(path: readonly PathKey[], part?: 'key' | 'value'): Spot;
}

/** Names a duplicate key for the message, e.g. `device name` under `devices`. */
export type DuplicateLabel = (parentPath: readonly PathKey[]) => string | undefined;

export type ReadResult = { source: YamlSource; problems: Problem[] } | { source?: undefined; problems: Problem[] };

/**
 * Reads and parses one YAML file keeping source positions. Syntax errors and
 * unreadable files come back as problems (no source); duplicate keys come
 * back as problems alongside the source, since the rest is still checkable.
 */
export async function readYamlSource(path: string, display: string, label?: DuplicateLabel): Promise<ReadResult> {
  const start: Spot = { file: display, line: 1, column: 1 };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { problems: [problemAt(start, '', describeReadError(err))] };
  }
  const lineCounter = new LineCounter();
  // Duplicate keys are found by our own walk so the message can name what is duplicated.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const spotAt = (offset: number): Spot => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: display, line: Math.max(line, 1), column: Math.max(col, 1) };
  };
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => problemAt(spotAt(e.pos[0]), '', `not valid YAML: ${firstLine(e.message)}`)),
    };
  }
  const root = doc.contents as Node | null;
  const source: YamlSource = {
    file: display,
    dir: dirname(resolve(path)),
    value: doc.toJS(),
    spotOf(keys, part = 'value') {
      const found = findNode(root, keys);
      const node = part === 'key' && found.pair && found.complete ? (found.pair.key as Node) : found.node;
      const offset = node?.range?.[0] ?? (found.pair?.key as Node | undefined)?.range?.[0];
      return offset === undefined ? start : spotAt(offset);
    },
  };
  const problems: Problem[] = [];
  findDuplicateKeys(root, [], (pathToKey, keyOffset, firstOffset) => {
    const parent = pathToKey.slice(0, -1);
    const key = String(pathToKey[pathToKey.length - 1]);
    const what = label?.(parent) ?? 'key';
    const first = spotAt(firstOffset);
    problems.push(
      problemAt(spotAt(keyOffset), joinPath(pathToKey), `duplicate ${what} "${key}", first defined at line ${first.line}`),
    );
  });
  return { source, problems };
}

/** `devices.r1-a.groups[0]` */
export function joinPath(keys: readonly PathKey[]): string {
  let out = '';
  for (const k of keys) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

function findNode(root: Node | null, keys: readonly PathKey[]): { node: Node | null; pair?: Pair; complete: boolean } {
  let node: Node | null = root;
  let pair: Pair | undefined;
  for (const key of keys) {
    if (isMap(node)) {
      const match = [...node.items].reverse().find((p) => isPair(p) && keyText(p.key) === String(key));
      if (!match) return { node, pair, complete: false };
      pair = match as Pair;
      node = (match.value as Node | null) ?? (match.key as Node);
    } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
      pair = undefined;
      node = node.items[key] as Node;
    } else {
      return { node, pair, complete: false };
    }
  }
  return { node, pair, complete: true };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function findDuplicateKeys(
  node: unknown,
  path: PathKey[],
  report: (pathToKey: PathKey[], keyOffset: number, firstOffset: number) => void,
): void {
  if (isAlias(node)) return;
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const item of node.items) {
      const text = keyText(item.key);
      if (text === undefined) continue;
      const offset = (item.key as Node).range?.[0] ?? 0;
      const first = seen.get(text);
      if (first === undefined) seen.set(text, offset);
      else report([...path, text], offset, first);
      findDuplicateKeys(item.value, [...path, text], report);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => findDuplicateKeys(item, [...path, i], report));
  }
}

function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'cannot read the file: it does not exist';
  if (code === 'EACCES') return 'cannot read the file: permission denied';
  if (code === 'EISDIR') return 'cannot read the file: it is a directory, expected a YAML file';
  return `cannot read the file: ${code ?? (err instanceof Error ? err.message : String(err))}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
