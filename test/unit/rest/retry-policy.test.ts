import { describe, expect, it } from 'vitest';
import { backoffDelay, isIdempotent, shouldRetry, type AttemptOutcome, type HttpMethod } from '../../../src/devices/rest/retry-policy';

const s = (status: number): AttemptOutcome => ({ kind: 'status', status });
const lost: AttemptOutcome = { kind: 'lost' };
const notSent: AttemptOutcome = { kind: 'not-sent' };

describe('shouldRetry', () => {
  // method, key declared safe, outcome, expected
  const table: [HttpMethod, boolean, AttemptOutcome, boolean][] = [
    ['GET', false, s(500), true],
    ['GET', false, s(502), true],
    ['GET', false, s(503), true],
    ['GET', false, s(501), false],
    ['GET', false, lost, true],
    ['GET', false, s(429), false],
    ['GET', false, s(404), false],
    ['GET', false, s(400), false],
    ['GET', false, s(401), false],
    ['HEAD', false, s(503), true],
    ['PUT', false, s(502), true],
    ['PUT', false, lost, true],
    ['DELETE', false, s(500), true],
    ['POST', false, s(500), false],
    ['POST', false, s(502), false],
    ['POST', false, s(503), false],
    ['POST', false, lost, false],
    ['POST', false, notSent, true],
    ['POST', false, s(429), false],
    ['POST', true, s(502), true],
    ['POST', true, lost, true],
    ['PATCH', false, s(500), false],
    ['PATCH', false, lost, false],
    ['PATCH', true, s(500), true],
  ];
  it.each(table)('%s (key safe: %s) after %j -> retry %s', (method, idempotencyKeySafe, outcome, expected) => {
    expect(shouldRetry(outcome, { method, idempotencyKeySafe })).toBe(expected);
  });
});

describe('isIdempotent', () => {
  it('is true for GET/HEAD/PUT/DELETE and false for POST/PATCH unless a safe key is declared', () => {
    expect((['GET', 'HEAD', 'PUT', 'DELETE'] as HttpMethod[]).every((method) => isIdempotent({ method }))).toBe(true);
    expect(isIdempotent({ method: 'POST' })).toBe(false);
    expect(isIdempotent({ method: 'PATCH' })).toBe(false);
    expect(isIdempotent({ method: 'POST', idempotencyKeySafe: true })).toBe(true);
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
