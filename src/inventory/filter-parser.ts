import { normalizePlatform } from './platforms';
import { FilterSyntaxError } from './selection-error';
import { tokenize, type Token, type TokenKind } from './filter-lexer';
import { didYouMean } from './suggest';

/*
 * Grammar (lowest precedence first):
 *   or      := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" or ")" | compare
 *   compare := FIELD ("==" | "!=" | "~") VALUE | FIELD ["not"] "in" "[" VALUE ("," VALUE)* "]"
 */

export const FILTER_FIELDS = ['name', 'host', 'port', 'platform', 'site', 'group', 'tag', 'redundancy_group'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number] | `data.${string}`;

const FIELD_ALIASES: Record<string, FilterField> = { groups: 'group', tags: 'tag' };

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'eq' | 'ne'; field: FilterField; value: string }
  | { kind: 'match'; field: FilterField; pattern: RegExp }
  | { kind: 'in'; field: FilterField; values: string[] };

/** Parses a `--filter` expression; errors carry the column of the offending token. */
export function parseFilter(expression: string): FilterExpr {
  return new Parser(expression).parse();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly expression: string) {
    this.tokens = tokenize(expression);
  }

  parse(): FilterExpr {
    if (this.peek().kind === 'end') this.fail(this.peek(), 'found an empty expression, expected e.g. site == ams1');
    const expr = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') this.fail(rest, `found ${show(rest)}, expected "and", "or" or the end of the expression`);
    return expr;
  }

  private or(): FilterExpr {
    let left = this.and();
    while (this.peek().kind === 'or') {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterExpr {
    let left = this.unary();
    while (this.peek().kind === 'and') {
      this.next();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterExpr {
    const token = this.peek();
    if (token.kind === 'not') {
      this.next();
      return { kind: 'not', expr: this.unary() };
    }
    if (token.kind === '(') {
      this.next();
      const inner = this.or();
      this.expect(')', `to close the "(" at column ${token.column}`);
      return inner;
    }
    return this.compare();
  }

  private compare(): FilterExpr {
    const fieldToken = this.next();
    if (fieldToken.kind !== 'word') this.fail(fieldToken, `found ${show(fieldToken)}, expected a field (${FILTER_FIELDS.join(', ')}, data.NAME)`);
    const field = this.field(fieldToken);
    const op = this.next();
    if (op.kind === '==' || op.kind === '!=') {
      return { kind: op.kind === '==' ? 'eq' : 'ne', field, value: normalize(field, this.value(op).text) };
    }
    if (op.kind === '~') {
      const value = this.value(op);
      try {
        return { kind: 'match', field, pattern: new RegExp(value.text) };
      } catch (err) {
        this.fail(value, `found an invalid regular expression (${(err as Error).message.replace(/^Invalid regular expression: /, '')})`);
      }
    }
    if (op.kind === 'in') return { kind: 'in', field, values: this.list().map((v) => normalize(field, v)) };
    if (op.kind === 'not' && this.peek().kind === 'in') {
      this.next();
      return { kind: 'not', expr: { kind: 'in', field, values: this.list().map((v) => normalize(field, v)) } };
    }
    this.fail(op, `found ${show(op)}, expected an operator (==, !=, ~, in) after "${fieldToken.text}"`);
  }

  private field(token: Token): FilterField {
    const name = FIELD_ALIASES[token.text] ?? token.text;
    if ((FILTER_FIELDS as readonly string[]).includes(name)) return name as FilterField;
    if (name.startsWith('data.') && name.length > 5) return name as FilterField;
    this.fail(token, `found unknown field "${token.text}", expected ${FILTER_FIELDS.join(', ')} or data.NAME${didYouMean(token.text, FILTER_FIELDS)}`);
  }

  private value(after: Token): Token {
    const token = this.next();
    if (token.kind === 'word' || token.kind === 'string') return token;
    this.fail(token, `found ${show(token)}, expected a value after "${after.text}"`);
  }

  private list(): string[] {
    const open = this.expect('[', 'to start the list after "in"');
    const values: string[] = [];
    for (;;) {
      values.push(this.value(values.length === 0 ? open : this.tokens[this.pos - 1]!).text);
      const sep = this.next();
      if (sep.kind === ']') return values;
      if (sep.kind !== ',') this.fail(sep, `found ${show(sep)}, expected "," or "]" (list started at column ${open.column})`);
    }
  }

  private expect(kind: TokenKind, why: string): Token {
    const token = this.next();
    if (token.kind !== kind) this.fail(token, `found ${show(token)}, expected "${kind}" ${why}`);
    return token;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const token = this.tokens[this.pos]!;
    if (token.kind !== 'end') this.pos++;
    return token;
  }

  private fail(token: Token, detail: string): never {
    throw new FilterSyntaxError(this.expression, token.column, detail);
  }
}

function show(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  return token.kind === 'string' ? JSON.stringify(token.text) : `"${token.text}"`;
}

/** Lets `platform == cisco_ios` mean what the inventory means by it. */
function normalize(field: FilterField, value: string): string {
  return field === 'platform' ? (normalizePlatform(value) ?? value) : value;
}
