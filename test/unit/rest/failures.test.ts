import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { restFailure, writeOutcomeUnknown } from '../../../src/activities/rest/failures';
import { BadRequest, NotFound, RateLimited, ServerError, Timeout, Unauthorized } from '../../../src/devices/rest/errors';

const T = 'dashboard api.example.com';

describe('restFailure', () => {
  it('turns a 429 into a retryable failure whose next retry waits exactly the Retry-After', () => {
    const f = restFailure(new RateLimited(T, 'GET', '/organizations/1/devices', 7_000)) as ApplicationFailure;
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f).toMatchObject({ type: 'RateLimited', nonRetryable: false, nextRetryDelay: 7_000 });
  });

  it.each([
    [new Unauthorized(T, 'GET', '/organizations', 401), 'Unauthorized', true],
    [new NotFound(T, 'GET', '/networks/N_1'), 'NotFound', true],
    [new BadRequest(T, 'POST', '/networks/N_1/x', 400, ['bad']), 'BadRequest', true],
    [new ServerError(T, 'GET', '/organizations', 503, true, 4), 'ServerError', false],
    [new ServerError(T, 'POST', '/networks/N_1/x', 502, false, 1), 'ServerError', true],
    [new Timeout(T, 'GET', '/organizations', 'headers', true), 'Timeout', false],
  ])('%s -> type %s, nonRetryable %s', (err, type, nonRetryable) => {
    const f = restFailure(err) as ApplicationFailure;
    expect(f).toMatchObject({ type, nonRetryable });
    expect(f.nextRetryDelay).toBeUndefined();
    expect(f.details?.[0]).toMatchObject({ type, method: err.method, path: err.path });
  });

  it('keeps the API error text of a 400 in the message and details', () => {
    const f = restFailure(new BadRequest(T, 'POST', '/networks/N_1/x', 400, ["'toVersion.shortName' is required"])) as ApplicationFailure;
    expect(f.message).toContain("'toVersion.shortName' is required");
    expect(f.details?.[0]).toMatchObject({ apiErrors: ["'toVersion.shortName' is required"] });
  });

  it('marks an unknown write outcome retryable, because the activity reads before it writes', () => {
    const f = writeOutcomeUnknown('network N_1: scheduling', new ServerError(T, 'POST', '/networks/N_1/x', 500, false, 1));
    expect(f).toMatchObject({ type: 'WriteOutcomeUnknown', nonRetryable: false });
    expect(f.message).toMatch(/may or may not have happened/);
  });

  it('a 501 is final and does not claim a write may have happened', () => {
    const err = new ServerError(T, 'GET', '/organizations', 501, false, 1);
    expect(err.writeMayHaveHappened).toBe(false);
    expect(err.message).not.toMatch(/may or may not/);
    expect(restFailure(err)).toMatchObject({ type: 'ServerError', nonRetryable: true });
  });

  it('passes unknown errors through untouched', () => {
    const err = new Error('boom');
    expect(restFailure(err)).toBe(err);
  });
});
