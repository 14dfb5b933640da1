import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseProblem } from '../../../src/devices/errors';
import { fixture } from './fixtures';

/**
 * One command's captured outputs (test/fixtures/outputs/<platform>/<command>/) against
 * what we read in each by hand; `problem` names a line the parser must refuse, quoting it.
 * Every file in the folder must have a case and a row in ORIGIN.md.
 */
export interface Refused {
  problem: string;
}
export type Case<T extends object> = [file: string, want: T | Refused];

const refused = (w: object): w is Refused => 'problem' in w;

/** The ParseProblem `run` threw, or a failed expectation when it returned. */
export function problemOf(run: () => unknown): ParseProblem {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ParseProblem);
  return thrown as ParseProblem;
}

export function quoted(problem: ParseProblem): string {
  return problem.lines.map((l) => l.line).join('\n');
}

export function runCorpus<T extends object>(platform: string, command: string, cases: Case<T>[], read: (text: string) => unknown): void {
  describe(`${platform} ${command}`, () => {
    it('has an expectation and a recorded origin for every captured output', () => {
      const files = readdirSync(join(__dirname, '../../fixtures/outputs', platform, command)).sort();
      expect(cases.map(([f]) => f).sort()).toEqual(files);
      const origin = fixture('ORIGIN.md');
      expect(files.filter((f) => !new RegExp(`^\\| \`${platform}/${command}/${f.replace(/\./g, '\\.')}\` \\| \\S+ \\| \`[^\`]+\` \\| \`[0-9a-f]{40}\` \\|$`, 'm').test(origin))).toEqual([]);
    });
    for (const [file, want] of cases) {
      it(file, () => {
        const text = fixture(`${platform}/${command}/${file}`);
        if (refused(want)) expect(quoted(problemOf(() => read(text)))).toContain(want.problem);
        else expect(read(text)).toEqual(want);
      });
    }
  });
}
