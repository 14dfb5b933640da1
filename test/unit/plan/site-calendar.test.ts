import { describe, expect, it } from 'vitest';
import { fromWallMs, parseHhMm, toWallMs, weekdayIndex } from '../../../src/plan/local-time';
import { SiteCalendar, nextWindowOpening } from '../../../src/plan/index';
import { DAY, HOUR, MIN, MONDAY, site } from './fixtures';

const ams = (windows: Parameters<typeof site>[2]) => site('ams', 'Europe/Amsterdam', windows);
const utc = (iso: string) => Date.parse(iso);

describe('local time', () => {
  it('numbers weekdays Monday = 0 like WEEKDAYS', () => {
    expect(weekdayIndex(Math.floor(MONDAY / DAY))).toBe(0);
    expect(weekdayIndex(Math.floor(MONDAY / DAY) + 6)).toBe(6);
    expect(weekdayIndex(-1)).toBe(2); // 1969-12-31 was a Wednesday
  });

  it('moves a wall time skipped by spring-forward to after the jump', () => {
    // 2026-03-29 02:30 does not exist in Amsterdam; 03:30 CEST is 01:30 UTC.
    expect(fromWallMs('Europe/Amsterdam', Date.UTC(2026, 2, 29, 2, 30))).toBe(utc('2026-03-29T01:30:00Z'));
  });

  it('resolves a wall time that happens twice (fall-back) to its first occurrence', () => {
    // 2026-10-25 02:30 happens at 00:30 UTC (CEST) and 01:30 UTC (CET).
    expect(fromWallMs('Europe/Amsterdam', Date.UTC(2026, 9, 25, 2, 30))).toBe(utc('2026-10-25T00:30:00Z'));
  });

  it('round-trips ordinary times in zones with half-hour offsets', () => {
    const t = utc('2026-06-01T12:34:00Z');
    expect(fromWallMs('Asia/Kolkata', toWallMs('Asia/Kolkata', t))).toBe(t);
    expect(toWallMs('Asia/Kolkata', t) - t).toBe(5.5 * HOUR);
  });

  it('parses HH:MM including 24:00 and rejects nonsense', () => {
    expect(parseHhMm('00:00')).toBe(0);
    expect(parseHhMm('22:30')).toBe(22 * 60 + 30);
    expect(parseHhMm('24:00')).toBe(1440);
    for (const bad of ['24:01', '7:00', '12:60', 'noon', '']) expect(parseHhMm(bad)).toBeUndefined();
  });
});

describe('SiteCalendar', () => {
  const lateMonday = ams([{ days: ['mon'], start: '22:00', end: '02:00' }]);

  it('treats a site without windows as always open', () => {
    const cal = new SiteCalendar(site('x', 'UTC'));
    expect(cal.alwaysOpen).toBe(true);
    expect(cal.fits(MONDAY, 30 * DAY)).toBe(true);
    expect(nextWindowOpening(site('x', 'UTC'), MONDAY + 5)).toBe(MONDAY + 5);
  });

  it('keeps a window that crosses midnight open into the next day', () => {
    const cal = new SiteCalendar(lateMonday);
    // Monday 23:30 CET = 22:30 UTC; Tuesday 01:30 CET = 00:30 UTC.
    expect(cal.intervalAt(utc('2026-11-23T22:30:00Z'))).toEqual({
      openMs: utc('2026-11-23T21:00:00Z'),
      closeMs: utc('2026-11-24T01:00:00Z'),
    });
    expect(cal.intervalAt(utc('2026-11-24T00:30:00Z'))).toBeDefined();
    expect(cal.intervalAt(utc('2026-11-24T01:00:00Z'))).toBeUndefined();
    // Tuesday evening is not a window: only Monday's days are listed.
    expect(cal.intervalAt(utc('2026-11-24T22:00:00Z'))).toBeUndefined();
  });

  it('gives the next opening in the site time zone, or now when open', () => {
    expect(nextWindowOpening(lateMonday, utc('2026-11-23T12:00:00Z'))).toBe(utc('2026-11-23T21:00:00Z'));
    expect(nextWindowOpening(lateMonday, utc('2026-11-23T23:00:00Z'))).toBe(utc('2026-11-23T23:00:00Z'));
    // After Monday's window closed the next one is a week later.
    expect(nextWindowOpening(lateMonday, utc('2026-11-24T02:00:00Z'))).toBe(utc('2026-11-30T21:00:00Z'));
  });

  it('uses each site its own zone: New York midnight is 05:00 UTC in winter', () => {
    const nyc = site('nyc', 'America/New_York', [{ days: ['mon'], start: '00:00', end: '04:00' }]);
    expect(nextWindowOpening(nyc, MONDAY)).toBe(utc('2026-11-23T05:00:00Z'));
  });

  it('rejects work that would overrun the window and accepts work that ends in it', () => {
    const cal = new SiteCalendar(lateMonday);
    const at = utc('2026-11-23T22:30:00Z'); // 2h30 before close
    expect(cal.fits(at, 2.5 * HOUR)).toBe(true);
    expect(cal.fits(at, 2.5 * HOUR + MIN)).toBe(false);
  });

  it('merges touching windows so long work can span them', () => {
    const cal = new SiteCalendar(
      ams([
        { days: ['mon'], start: '22:00', end: '24:00' },
        { days: ['tue'], start: '00:00', end: '03:00' },
      ]),
    );
    expect(cal.fits(utc('2026-11-23T21:00:00Z'), 5 * HOUR)).toBe(true);
    expect(cal.fits(utc('2026-11-23T21:00:00Z'), 5 * HOUR + MIN)).toBe(false);
  });

  it('reads end == start as a window lasting 24 hours', () => {
    const cal = new SiteCalendar(site('x', 'UTC', [{ days: ['wed'], start: '06:00', end: '06:00' }]));
    const wed6 = utc('2026-11-25T06:00:00Z');
    expect(cal.intervalAt(wed6)).toEqual({ openMs: wed6, closeMs: wed6 + DAY });
  });

  it('is shorter on the spring-forward Sunday (Europe/Amsterdam, last Sunday of March)', () => {
    const cal = new SiteCalendar(ams([{ days: ['sun'], start: '01:00', end: '04:00' }]));
    const open = utc('2026-03-29T00:00:00Z'); // 01:00 CET
    expect(cal.intervalAt(open)).toEqual({ openMs: open, closeMs: utc('2026-03-29T02:00:00Z') }); // 04:00 CEST
    expect(cal.fits(open, 2 * HOUR)).toBe(true);
    expect(cal.fits(open, 2.5 * HOUR)).toBe(false);
    // So 2h30 of work waits for the next Sunday, a normal 3-hour window.
    expect(cal.earliestStart(open, 2.5 * HOUR, open + 14 * DAY)).toBe(utc('2026-04-04T23:00:00Z'));
  });

  it('is longer on the fall-back Sunday (last Sunday of October)', () => {
    const cal = new SiteCalendar(ams([{ days: ['sun'], start: '01:00', end: '04:00' }]));
    const open = utc('2026-10-24T23:00:00Z'); // 01:00 CEST
    expect(cal.intervalAt(open)).toEqual({ openMs: open, closeMs: utc('2026-10-25T03:00:00Z') }); // 04:00 CET
    expect(cal.fits(open, 4 * HOUR)).toBe(true);
  });

  it('opens a window whose start falls in the DST gap right after the jump', () => {
    const cal = new SiteCalendar(ams([{ days: ['sun'], start: '02:30', end: '05:00' }]));
    expect(cal.nextOpening(utc('2026-03-28T12:00:00Z'))).toBe(utc('2026-03-29T01:30:00Z'));
  });

  it('finds the first window long enough, skipping shorter ones', () => {
    const cal = new SiteCalendar(
      ams([
        { days: ['mon', 'tue', 'wed'], start: '22:00', end: '02:00' },
        { days: ['sat'], start: '00:00', end: '08:00' },
      ]),
    );
    expect(cal.earliestStart(MONDAY, 3 * HOUR, MONDAY + 14 * DAY)).toBe(utc('2026-11-23T21:00:00Z'));
    expect(cal.earliestStart(MONDAY, 5 * HOUR, MONDAY + 14 * DAY)).toBe(utc('2026-11-27T23:00:00Z'));
    expect(cal.earliestStart(MONDAY, 9 * HOUR, MONDAY + 14 * DAY)).toBeUndefined();
  });

  it('ignores windows when asked not to respect them', () => {
    const cal = new SiteCalendar(lateMonday, false);
    expect(cal.fits(utc('2026-11-25T12:00:00Z'), 10 * HOUR)).toBe(true);
  });

  it('looks beyond its first few weeks when the horizon is long', () => {
    const cal = new SiteCalendar(site('x', 'UTC', [{ days: ['fri'], start: '00:00', end: '01:00' }]));
    // 40 days later the Friday windows still come every 7 days.
    const later = MONDAY + 40 * DAY;
    const next = cal.nextOpening(later);
    expect(next).toBeDefined();
    expect(((next as number) - utc('2026-11-27T00:00:00Z')) % (7 * DAY)).toBe(0);
    expect((next as number) - later).toBeLessThan(7 * DAY);
  });
});
