import { CliError } from './cli-error';

/** Flag values arrive as strings; these turn them into numbers or fail with one clear line. */
export function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new CliError(`${flag}: "${value}" is not a TCP port (expected a whole number from 1 to 65535)`);
  }
  return port;
}

export function parsePositiveInt(value: string, flag: string, opts: { min?: number; max?: number } = {}): number {
  const min = opts.min ?? 1;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || (opts.max !== undefined && n > opts.max)) {
    const range = opts.max !== undefined ? `from ${min} to ${opts.max}` : `of at least ${min}`;
    throw new CliError(`${flag}: "${value}" is not valid (expected a whole number ${range})`);
  }
  return n;
}

/** A comma list with the blanks left out: "a, b,,c" -> a, b, c. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
