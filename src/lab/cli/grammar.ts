import type { LabPlatform } from '../types';

export interface Tok {
  text: string;
  at: number;
}

export function tokenize(line: string): Tok[] {
  const out: Tok[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ text: m[0], at: m.index });
  return out;
}

/** One exec command: its keywords (matched by prefix, like IOS), where it exists and what it does. */
export interface CommandSpec<S> {
  words: string[];
  platforms: LabPlatform[];
  /** Needs privileged mode (`#`) on platforms that have a user mode. */
  privileged: boolean;
  run: (session: S, args: Tok[], line: string) => Promise<void>;
}

export type MatchResult<S> =
  | { kind: 'ok'; spec: CommandSpec<S>; args: Tok[] }
  | { kind: 'invalid'; at: number }
  | { kind: 'incomplete' }
  | { kind: 'ambiguous' };

function keywordMatches(token: string, word: string): boolean {
  return word.toLowerCase().startsWith(token.toLowerCase());
}

/**
 * Finds the command the tokens name. Keywords may be abbreviated to any
 * prefix; the command matching the most keywords wins. When nothing matches,
 * reports the first token no command accepts (for the caret).
 */
export function matchCommand<S>(specs: Array<CommandSpec<S>>, toks: Tok[], lineLength: number): MatchResult<S> {
  let best: { spec: CommandSpec<S>; n: number } | undefined;
  let deepest = 0;
  let incomplete = false;
  for (const spec of specs) {
    let n = 0;
    while (n < spec.words.length && n < toks.length && keywordMatches(toks[n]!.text, spec.words[n]!)) n++;
    deepest = Math.max(deepest, n);
    if (n === spec.words.length) {
      if (!best || n > best.n) best = { spec, n };
    } else if (n === toks.length && n > 0) incomplete = true;
  }
  if (best) return { kind: 'ok', spec: best.spec, args: toks.slice(best.n) };
  if (incomplete) return { kind: 'incomplete' };
  const bad = toks[deepest];
  return { kind: 'invalid', at: bad ? bad.at : lineLength };
}

/** Output filter after `|`: include, exclude, begin, section. */
export function parsePipe(line: string): { command: string; filter?: (lines: string[]) => string[]; error?: number } {
  const idx = line.indexOf('|');
  if (idx < 0) return { command: line };
  const command = line.slice(0, idx);
  const rest = line.slice(idx + 1);
  const m = /^\s*(\S+)\s+(.*)$/.exec(rest);
  if (!m) return { command, error: line.length };
  const [, verb, patternText] = m;
  let re: RegExp;
  try {
    re = new RegExp(patternText!.trim());
  } catch {
    return { command, error: idx + 1 };
  }
  const v = verb!.toLowerCase();
  if ('include'.startsWith(v) || v === 'grep') return { command, filter: (ls) => ls.filter((l) => re.test(l)) };
  if ('exclude'.startsWith(v)) return { command, filter: (ls) => ls.filter((l) => !re.test(l)) };
  if ('begin'.startsWith(v)) {
    return {
      command,
      filter: (ls) => {
        const i = ls.findIndex((l) => re.test(l));
        return i < 0 ? [] : ls.slice(i);
      },
    };
  }
  if ('section'.startsWith(v)) {
    return {
      command,
      filter: (ls) => {
        const out: string[] = [];
        let inSection = false;
        for (const l of ls) {
          if (!/^\s/.test(l)) inSection = re.test(l);
          if (inSection) out.push(l);
        }
        return out;
      },
    };
  }
  return { command, error: line.indexOf(verb!, idx) };
}

/** Thrown by a command for an argument it rejects; the session prints the caret. */
export class RejectArg extends Error {
  constructor(readonly at?: number) {
    super('invalid argument');
  }
}

export function rejectArg(t: Tok | undefined): never {
  throw new RejectArg(t?.at);
}

