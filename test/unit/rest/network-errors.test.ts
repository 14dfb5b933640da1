import { describe, expect, it } from 'vitest';
import { classifyNetworkError } from '../../../src/devices/rest/network-errors';

const withCode = (code: string, viaCause = false) => {
  const err = new Error(code);
  if (viaCause) err.cause = Object.assign(new Error('inner'), { code });
  else Object.assign(err, { code });
  return err;
};

describe('classifyNetworkError', () => {
  it.each([
    ['ECONNREFUSED', false, undefined],
    ['ENOTFOUND', false, undefined],
    ['UND_ERR_CONNECT_TIMEOUT', false, 'connect'],
    ['UND_ERR_HEADERS_TIMEOUT', true, 'headers'],
    ['UND_ERR_BODY_TIMEOUT', true, 'body'],
    ['ECONNRESET', true, undefined],
    ['UND_ERR_SOCKET', true, undefined],
  ])('%s: sent=%s timeout=%s', (code, sent, timeout) => {
    expect(classifyNetworkError(withCode(code))).toEqual({ code, sent, ...(timeout ? { timeout } : {}) });
  });

  it('looks at the cause when the outer error has no code (fetch-style wrapping)', () => {
    expect(classifyNetworkError(withCode('ECONNRESET', true))).toEqual({ code: 'ECONNRESET', sent: true });
  });

  it('leaves programming errors alone', () => {
    expect(classifyNetworkError(new TypeError('x is not a function'))).toBeUndefined();
    expect(classifyNetworkError('nope')).toBeUndefined();
  });
});
