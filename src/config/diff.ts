import type { DesiredLineState } from './desired-state';

/** What a push would do to one device, small enough for a workflow result. */
export interface ConfigDiff {
  /** Desired lines the running configuration lacks. */
  missing: number;
  /** Desired lines in total (noise such as `!` and `exit` left out). */
  total: number;
  /** `+ ` for a line to add, two spaces for a line already there (context); capped. */
  lines: string[];
  /** Diff lines left out to keep the result small. */
  omitted: number;
}

export const MAX_DIFF_LINES = 200;

/**
 * The desired lines as a diff against the running configuration. Context
 * lines are kept only where they locate an addition (its parent sections), so
 * a large template with one new line shows one short hunk.
 */
export function configDiff(states: readonly DesiredLineState[], maxLines = MAX_DIFF_LINES): ConfigDiff {
  const keep = new Array<boolean>(states.length).fill(false);
  for (let i = 0; i < states.length; i++) {
    if (states[i]!.present) continue;
    keep[i] = true;
    // Walk back to each enclosing section header, so the addition is read in place.
    let depth = states[i]!.depth;
    for (let j = i - 1; j >= 0 && depth > 0; j--) {
      if (states[j]!.depth < depth) {
        keep[j] = true;
        depth = states[j]!.depth;
      }
    }
  }
  const all = states.filter((_, i) => keep[i]).map((s) => `${s.present ? '  ' : '+ '}${' '.repeat(s.depth)}${s.line}`);
  return {
    missing: states.filter((s) => !s.present).length,
    total: states.length,
    lines: all.slice(0, maxLines),
    omitted: Math.max(0, all.length - maxLines),
  };
}

/** The diff as text for a person: a summary line, then the hunk. */
export function formatConfigDiff(diff: ConfigDiff): string {
  if (diff.missing === 0) return `in the desired state: all ${diff.total} line(s) present`;
  const head = `${diff.missing} of ${diff.total} line(s) to add:`;
  const tail = diff.omitted > 0 ? [`  ... ${diff.omitted} more diff line(s) not shown`] : [];
  return [head, ...diff.lines, ...tail].join('\n');
}
