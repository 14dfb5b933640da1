import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/devices/rest/retry-after';

const NOW = Date.parse('2026-11-23T04:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['2', 2_000],
    ['0', 0],
    [' 30 ', 30_000],
    ['1.5', 1_500],
  ])('reads delta-seconds %j', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('reads an HTTP-date as the time left until it', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 04:00:05 GMT', NOW)).toBe(5_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 03:59:00 GMT', NOW)).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['3', '9'], NOW)).toBe(3_000);
  });

  it.each([undefined, '', 'soon', '-1', '1e3', '12:00'])('gives undefined for %j so the caller uses its own back-off', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});
