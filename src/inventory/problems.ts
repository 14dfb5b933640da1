/** A place in an inventory file; line and column are 1-based. */
export interface Spot {
  file: string;
  line: number;
  column: number;
}

/** One thing wrong with an inventory, pinned to where the user must fix it. */
export interface Problem extends Spot {
  /** Field path such as `devices.r1-a.port`; empty for whole-file problems. */
  path: string;
  /** What was found and what is expected, e.g. `found 70000, expected a port number 1-65535`. */
  message: string;
}

export function problemAt(at: Spot, path: string, message: string): Problem {
  return { file: at.file, line: at.line, column: at.column, path, message };
}

/** Orders problems as a reader walks the files: by file, line, column. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
  );
}

/** `FILE:LINE:COL: PATH: MESSAGE`, the form editors and CI logs can jump to. */
export function formatProblem(p: Problem): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** One line per problem, in reading order. */
export function formatProblems(problems: Problem[]): string {
  return sortProblems(problems).map(formatProblem).join('\n');
}

/** Every problem found while loading an inventory, reported together. */
export class InventoryError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const sorted = sortProblems(problems);
    super(formatProblems(sorted));
    this.name = 'InventoryError';
    this.problems = sorted;
  }
}
