import { describe, expect, it } from 'vitest';
import { backoffDelay, isIdempotent, rateLimitBackoff, shouldRetry, type AttemptOutcome, type HttpMethod } from '../../../src/devices/rest/retry-policy';

const s = (status: number): AttemptOutcome => ({ kind: 'status', status });
const lost: AttemptOutcome = { kind: 'lost' };
const notSent: AttemptOutcome = { kind: 'not-sent' };

describe('shouldRetry', () => {
  // method, outcome, expected
  const table: [HttpMethod, AttemptOutcome, boolean][] = [
    ['GET', s(500), true],
    ['GET', s(502), true],
    ['GET', s(503), true],
    ['GET', s(501), false],
    ['GET', lost, true],
    ['GET', s(429), false],
    ['GET', s(404), false],
    ['GET', s(400), false],
    ['GET', s(401), false],
    ['HEAD', s(503), true],
    ['PUT', s(502), true],
    ['PUT', lost, true],
    ['DELETE', s(500), true],
    ['POST', s(500), false],
    ['POST', s(502), false],
    ['POST', s(503), false],
    ['POST', lost, false],
    ['POST', notSent, true],
    ['POST', s(429), false],
    ['PATCH', s(500), false],
    ['PATCH', lost, false],
  ];
  it.each(table)('%s after %j -> retry %s', (method, outcome, expected) => {
    expect(shouldRetry(outcome, { method })).toBe(expected);
  });
});

describe('isIdempotent', () => {
  it('is true for GET/HEAD/PUT/DELETE and false for POST/PATCH (the dashboard has no idempotency key)', () => {
    expect((['GET', 'HEAD', 'PUT', 'DELETE'] as HttpMethod[]).every((method) => isIdempotent({ method }))).toBe(true);
    expect(isIdempotent({ method: 'POST' })).toBe(false);
    expect(isIdempotent({ method: 'PATCH' })).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt up to the maximum, with full jitter', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(200);
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
  });
});

describe('rateLimitBackoff (a 429 without Retry-After)', () => {
  it('doubles per 429 in a row from 1 s, with up to the same again as jitter, capped', () => {
    expect([1, 2, 3, 4].map((n) => rateLimitBackoff(n, 60_000, () => 0))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3, 4].map((n) => rateLimitBackoff(n, 60_000, () => 0.999))).toEqual([1_999, 3_998, 7_996, 15_992]);
    expect(rateLimitBackoff(10, 60_000, () => 0.5)).toBe(60_000);
    expect(rateLimitBackoff(0, 60_000, () => 0)).toBe(1_000);
  });

  it('spreads workers refused together', () => {
    const draws = [0.1, 0.4, 0.7, 0.95].map((r) => rateLimitBackoff(3, 60_000, () => r));
    expect(new Set(draws).size).toBe(4);
    expect(draws.every((d) => d >= 4_000 && d < 8_000)).toBe(true);
  });
});
