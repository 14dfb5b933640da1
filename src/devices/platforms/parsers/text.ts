/**
 * Shared helpers that make parsers indifferent to transport noise: CRLF,
 * backspaces/ANSI from paging, the echoed command and a trailing prompt.
 */

const PROMPT_ONLY = /^[\w.\-:/@~]+(\([\w.\-/ ]+\))?[#>$]\s*$/;
const PROMPT_WITH_COMMAND = /^[\w.\-:/@~]+(\([\w.\-/ ]+\))?[#>$]\s*(show|dir|verify|md5sum|ls|df|sh)\b/i;

export function cleanLines(text: string): string[] {
  return text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => !PROMPT_ONLY.test(l.trim()) && !PROMPT_WITH_COMMAND.test(l.trim()));
}

/** Leading spaces: how devices show that a line continues the row above. */
export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

export function tokens(line: string): string[] {
  return line.trim().split(/\s+/).filter((t) => t.length > 0);
}

/** Index of the first line whose tokens contain all `words` (case-insensitive). */
export function findHeader(lines: string[], words: string[]): number {
  const wanted = words.map((w) => w.toLowerCase());
  return lines.findIndex((l) => {
    const t = tokens(l).map((x) => x.toLowerCase());
    return wanted.every((w) => t.includes(w));
  });
}

export function toInt(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  return Number(s);
}

const UNIT_SECONDS: Record<string, number> = {
  year: 365 * 86400,
  week: 7 * 86400,
  day: 86400,
  hour: 3600,
  minute: 60,
  second: 1,
};

/**
 * Seconds in an uptime phrase. Accepts IOS (`1 year, 2 weeks, 3 days, 4 hours,
 * 5 minutes`), NX-OS (`12 day(s), 3 hour(s), 24 minute(s), 10 second(s)`) and
 * short forms (`2w1d`, `1d02h`, `01:45:12`).
 */
export function uptimeToSeconds(phrase: string): number | undefined {
  let total = 0;
  let found = false;
  for (const m of phrase.matchAll(/(\d+)\s*(year|week|day|hour|minute|second)s?(\(s\))?/gi)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2]!.toLowerCase()] ?? 0);
    found = true;
  }
  if (found) return total;
  const hms = /^(\d+):(\d{2}):(\d{2})$/.exec(phrase.trim());
  if (hms) return Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]);
  const short = phrase.trim().match(/^(\d+[ywdhms])+$/);
  if (short) {
    const units: Record<string, number> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1 };
    for (const m of phrase.matchAll(/(\d+)([ywdhms])/g)) total += Number(m[1]) * (units[m[2]!] ?? 0);
    return total;
  }
  return undefined;
}

/**
 * Whether two version strings name the same release: `10.2(5)` = `10.2.5`,
 * `17.09.04a` = `17.9.4a` (IOS-XE pads the train numbers in one banner line
 * and not in the other).
 */
export function sameVersion(a: string, b: string): boolean {
  const norm = (v: string) =>
    v
      .toLowerCase()
      .replace(/[()]/g, '.')
      .split('.')
      .filter((p) => p !== '')
      .map((p) => p.replace(/^0+(?=\w)/, ''))
      .join('.');
  return norm(a) === norm(b);
}
