import type { Site } from '../contracts/inventory';
import { WEEKDAYS } from '../contracts/inventory';
import { DAY_MS, MINUTE_MS, fromWallMs, localDay, parseHhMm, weekdayIndex } from './local-time';

/** A stretch of time during which a site may be worked on; touching windows are merged. */
export interface OpenInterval {
  openMs: number;
  closeMs: number;
}

const ALWAYS: OpenInterval = { openMs: -Infinity, closeMs: Infinity };
// Look this many local days behind/ahead of the instant asked about; the
// lookbehind catches windows that opened yesterday and cross midnight.
const DAYS_BEHIND = 2;
const DAYS_AHEAD = 21;
const REFRESH_MARGIN_DAYS = 10;

/**
 * The open intervals of one site, computed lazily for a few weeks around the
 * instants asked about. `respectWindows = false` makes every instant open.
 */
export class SiteCalendar {
  private fromDay = Number.NaN;
  private toDay = Number.NaN;
  private intervals: OpenInterval[] = [];

  constructor(
    readonly site: Site,
    private readonly respectWindows = true,
  ) {}

  get alwaysOpen(): boolean {
    return !this.respectWindows || this.site.windows.length === 0;
  }

  /** The open interval containing `t`, if the site is open at `t`. */
  intervalAt(t: number): OpenInterval | undefined {
    if (this.alwaysOpen) return ALWAYS;
    this.cover(t);
    return this.intervals.find((iv) => iv.openMs <= t && t < iv.closeMs);
  }

  /** `t` itself when open, else the next opening after `t` (undefined when none in the next weeks). */
  nextOpening(t: number): number | undefined {
    if (this.intervalAt(t)) return t;
    return this.intervals.find((iv) => iv.openMs > t)?.openMs;
  }

  /** True when work of `durationMs` started at `t` ends inside the window open at `t`. */
  fits(t: number, durationMs: number): boolean {
    const iv = this.intervalAt(t);
    return iv !== undefined && iv.closeMs - t >= durationMs;
  }

  /** Earliest instant in [t, untilMs] at which work of `durationMs` fits in a window. */
  earliestStart(t: number, durationMs: number, untilMs: number): number | undefined {
    let s = t;
    for (let guard = 0; guard < 10_000 && s <= untilMs; guard++) {
      if (this.fits(s, durationMs)) return s;
      const next = this.intervals.find((iv) => iv.openMs > s && iv.closeMs - iv.openMs >= durationMs);
      if (next) {
        s = next.openMs;
      } else {
        // Nothing long enough in the covered range: jump to its end and look again.
        const jump = (this.toDay - REFRESH_MARGIN_DAYS) * DAY_MS;
        s = Math.max(s + DAY_MS, jump);
      }
    }
    return undefined;
  }

  private cover(t: number): void {
    const day = localDay(this.site.timezone, t);
    if (day - DAYS_BEHIND >= this.fromDay && day + REFRESH_MARGIN_DAYS <= this.toDay) return;
    this.fromDay = day - DAYS_BEHIND;
    this.toDay = day + DAYS_AHEAD;
    this.intervals = buildIntervals(this.site, this.fromDay, this.toDay);
  }
}

function buildIntervals(site: Site, fromDay: number, toDay: number): OpenInterval[] {
  const raw: OpenInterval[] = [];
  for (let day = fromDay; day <= toDay; day++) {
    const weekday = WEEKDAYS[weekdayIndex(day)];
    for (const w of site.windows) {
      if (!weekday || !w.days.includes(weekday)) continue;
      const start = parseHhMm(w.start);
      const end = parseHhMm(w.end);
      if (start === undefined || end === undefined) continue;
      // `end` at or before `start` means the window runs past midnight.
      const endDay = end <= start ? day + 1 : day;
      const openMs = fromWallMs(site.timezone, day * DAY_MS + start * MINUTE_MS);
      const closeMs = fromWallMs(site.timezone, endDay * DAY_MS + end * MINUTE_MS);
      if (closeMs > openMs) raw.push({ openMs, closeMs });
    }
  }
  raw.sort((a, b) => a.openMs - b.openMs || a.closeMs - b.closeMs);
  const merged: OpenInterval[] = [];
  for (const iv of raw) {
    const last = merged[merged.length - 1];
    if (last && iv.openMs <= last.closeMs) last.closeMs = Math.max(last.closeMs, iv.closeMs);
    else merged.push({ ...iv });
  }
  return merged;
}

/**
 * When the workflow should next look at a site: `nowMs` when it is open now,
 * else its next window opening; undefined when no window opens in the next weeks.
 */
export function nextWindowOpening(site: Site, nowMs: number): number | undefined {
  return new SiteCalendar(site).nextOpening(nowMs);
}
