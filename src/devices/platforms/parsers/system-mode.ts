import { ParseProblem } from '../../errors';
import { cleanLines } from './text';

export type SystemMode = 'normal' | 'maintenance';

/**
 * `show system mode` (NX-OS and IOS-XE GIR): `System Mode: Normal` or
 * `System Mode: Maintenance`, IOS-XE adding its template and timers below.
 * Any other mode word, or no mode line, is refused with the line quoted.
 */
export function parseSystemMode(text: string): SystemMode {
  const lines = cleanLines(text).filter((l) => l.trim() !== '');
  const line = lines.find((l) => /^\s*System Mode\s*:/i.test(l));
  if (!line) throw new ParseProblem('system mode', [{ line: lines[0] ?? '', reason: "no 'System Mode:' line: not the output of show system mode" }]);
  const word = line.split(':')[1]!.trim().toLowerCase();
  if (word === 'normal' || word === 'maintenance') return word;
  throw new ParseProblem('system mode', [{ line, reason: `mode '${word}' is neither Normal nor Maintenance` }]);
}
