/**
 * Wall-clock arithmetic in IANA time zones using only `Intl.DateTimeFormat`,
 * which is available (and deterministic) inside Temporal's workflow sandbox.
 * "Wall ms" is a site's local date and time encoded as if it were UTC.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall time of an instant, as wall ms. */
export function toWallMs(timeZone: string, utcMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(utcMs);
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    return part ? Number(part.value) : 0;
  };
  // Some engines print midnight as 24 even with h23.
  const hour = get('hour') % 24;
  const wholeSeconds = Date.UTC(get('year'), get('month') - 1, get('day'), hour, get('minute'), get('second'));
  return wholeSeconds + (((utcMs % 1000) + 1000) % 1000);
}

/** Offset of local time from UTC at an instant, in ms (+1h for CET). */
export function offsetMs(timeZone: string, utcMs: number): number {
  return toWallMs(timeZone, utcMs) - utcMs;
}

/**
 * The instant a local wall time happens. A time skipped by a DST jump is
 * moved forward by the jump (02:30 on a spring-forward day becomes 03:30);
 * a time that happens twice resolves to its first occurrence.
 */
export function fromWallMs(timeZone: string, wallMs: number): number {
  const before = wallMs - offsetMs(timeZone, wallMs - DAY_MS);
  const after = wallMs - offsetMs(timeZone, wallMs + DAY_MS);
  const valid = [before, after].filter((t) => toWallMs(timeZone, t) === wallMs);
  if (valid.length > 0) return Math.min(...valid);
  return before;
}

/** Days since 1970-01-01 of the local date of an instant. */
export function localDay(timeZone: string, utcMs: number): number {
  return Math.floor(toWallMs(timeZone, utcMs) / DAY_MS);
}

/** 0 = Monday ... 6 = Sunday, matching `WEEKDAYS`. */
export function weekdayIndex(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 3) % 7) + 7) % 7;
}

/** Minutes after midnight for 'HH:MM' (00:00..24:00), or undefined when malformed. */
export function parseHhMm(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(typeof text === 'string' ? text : '');
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}
