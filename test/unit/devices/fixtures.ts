import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../fixtures/outputs');

export function fixture(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** The same output as a session might hand it over: CRLF, echoed command, trailing prompt, stray blank lines. */
export const VARIANTS: Record<string, (text: string, command: string) => string> = {
  plain: (t) => t,
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  'echo+prompt': (t, c) => `r1#${c}\n${t}r1#`,
  'long-prompt+crlf': (t, c) => `dc1-core-aggregation-switch-0001.example.net#${c}\r\n${t.replace(/\n/g, '\r\n')}\r\ndc1-core-aggregation-switch-0001.example.net#`,
  'blank-lines': (t) => `\n\n${t}\n\n`,
};
