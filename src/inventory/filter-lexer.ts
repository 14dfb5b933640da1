import { FilterSyntaxError } from './selection-error';

export type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | ',' | '==' | '!=' | '~' | 'and' | 'or' | 'not' | 'in' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column of the token's first character. */
  column: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in']);
// Unquoted values cover names, addresses and prefixes: r1-a, 10.0.0.1, ams1/core.
const WORD = /[A-Za-z0-9_.:/@*+-]/;

/** Splits a filter expression into tokens; the last token is always `end`. */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i]!;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if ('()[],~'.includes(ch)) {
      tokens.push({ kind: ch as TokenKind, text: ch, column });
      i++;
    } else if (expression.startsWith('==', i) || expression.startsWith('!=', i)) {
      tokens.push({ kind: expression.slice(i, i + 2) as TokenKind, text: expression.slice(i, i + 2), column });
      i += 2;
    } else if (ch === '"' || ch === "'") {
      const { text, next } = readString(expression, i);
      tokens.push({ kind: 'string', text, column });
      i = next;
    } else if (WORD.test(ch)) {
      let j = i;
      while (j < expression.length && WORD.test(expression[j]!)) j++;
      const text = expression.slice(i, j);
      const lower = text.toLowerCase();
      tokens.push({ kind: KEYWORDS.has(lower) ? (lower as TokenKind) : 'word', text, column });
      i = j;
    } else if (ch === '=') {
      throw new FilterSyntaxError(expression, column, 'found "=", expected "==" (comparison)');
    } else {
      throw new FilterSyntaxError(expression, column, `unexpected character "${ch}"`);
    }
  }
  tokens.push({ kind: 'end', text: '', column: expression.length + 1 });
  return tokens;
}

function readString(expression: string, start: number): { text: string; next: number } {
  const quote = expression[start]!;
  let text = '';
  let i = start + 1;
  while (i < expression.length) {
    const ch = expression[i]!;
    if (ch === '\\' && i + 1 < expression.length) {
      const escaped = expression[i + 1]!;
      // Keep backslashes that are not quote escapes, so regexes like "\d" survive.
      text += escaped === quote || escaped === '\\' ? escaped : `\\${escaped}`;
      i += 2;
    } else if (ch === quote) {
      return { text, next: i + 1 };
    } else {
      text += ch;
      i++;
    }
  }
  throw new FilterSyntaxError(expression, start + 1, `unterminated string, expected a closing ${quote}`);
}
