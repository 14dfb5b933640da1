/** A device selection that cannot be used: unknown names, no match, bad filter. */
export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

/** A `--filter` expression that does not parse; `column` is 1-based. */
export class FilterSyntaxError extends SelectionError {
  constructor(
    readonly expression: string,
    readonly column: number,
    detail: string,
  ) {
    super(`invalid --filter at column ${column}: ${detail} (in: ${expression})`);
    this.name = 'FilterSyntaxError';
  }
}
