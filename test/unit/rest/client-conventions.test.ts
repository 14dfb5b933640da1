import { describe, expect, it } from 'vitest';
import { OrgRateLimiter, pageItems } from '../../../src/devices/rest';
import { isTrustedTarget } from '../../../src/devices/rest/trusted-hosts';
import { checkCaller, userAgent } from '../../../src/devices/rest/user-agent';
import { FakeClock } from './fake-clock';

describe('User-Agent in Meraki\'s format', () => {
  it('names the product and version, then the caller (or unidentified)', () => {
    expect(userAgent('0.1.0', 'NetAutomation/2.1 AcmeCorp')).toBe('TemporalNetops/0.1.0 Caller/(NetAutomation/2.1 AcmeCorp)');
    expect(userAgent('0.1.0', 'Mambo Vega')).toBe('TemporalNetops/0.1.0 Caller/(Mambo Vega)');
    expect(userAgent('0.1.0', undefined)).toBe('TemporalNetops/0.1.0 Caller/(unidentified)');
    expect(userAgent('0.1.0', '')).toBe('TemporalNetops/0.1.0 Caller/(unidentified)');
  });

  it.each(['Sunshine Rainbows Inc', 'NetAutomation', 'App\\1.0 Vendor', 'App/1.0 Ven dor', 'App/ Vendor', ' App Vendor'])('refuses %j', (caller) => {
    expect(() => checkCaller(caller)).toThrow(/not in Meraki's User-Agent format/);
  });
});

describe('hosts the key may follow a redirect or a next link to', () => {
  const base = new URL('https://api.meraki.com/api/v1/');
  it.each([
    ['https://n123.meraki.com/api/v1/organizations', true],
    ['https://api.meraki.ca/api/v1/x', true],
    ['https://api.meraki.cn/api/v1/x', true],
    ['https://api.meraki.in/api/v1/x', true],
    ['https://api.gov-meraki.com/api/v1/x', true],
    ['http://n123.meraki.com/api/v1/x', false],
    ['https://meraki.com.evil.example/api/v1', false],
    ['https://evilmeraki.com/api/v1', false],
    ['https://api.meraki.com.example/api/v1', false],
  ])('%s -> %s', (url, ok) => {
    expect(isTrustedTarget(new URL(url), base)).toBe(ok);
  });

  it('the configured base URL\'s own origin (a lab) and nothing else', () => {
    const lab = new URL('http://127.0.0.1:8080/api/v1/');
    expect(isTrustedTarget(new URL('http://127.0.0.1:8080/shard-n42/api/v1/x'), lab)).toBe(true);
    expect(isTrustedTarget(new URL('http://127.0.0.2:8080/api/v1/x'), lab)).toBe(false);
    expect(isTrustedTarget(new URL('http://127.0.0.1:8081/api/v1/x'), lab)).toBe(false);
  });
});

describe('page bodies', () => {
  it('a JSON array, or the {items, meta} form', () => {
    expect(pageItems([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(pageItems({ items: [{ a: 2 }], meta: { counts: { items: { total: 1, remaining: 0 } } } })).toEqual([{ a: 2 }]);
    expect(pageItems({ errors: ['x'] })).toBeUndefined();
    expect(pageItems('text')).toBeUndefined();
  });
});

describe('the per-source-IP cap beside the per-organisation budgets', () => {
  it('holds the sum across organisations at the IP rate while each organisation stays at its own', async () => {
    const clock = new FakeClock();
    const limiter = new OrgRateLimiter({ ratePerSec: 10, burst: 10, ipRatePerSec: 20, headroomMs: 0, clock });
    let sent = 0;
    const flush = async () => {
      for (let i = 0; i < 10; i++) await clock.advance(0);
    };
    // 5 organisations x 10 requests at once: each org's bucket would pass all 10, the IP bucket only 20.
    const all = Array.from({ length: 5 }, (_, o) => Array.from({ length: 10 }, () => limiter.take(`org${o}`).then(() => sent++))).flat();
    await flush();
    expect(sent).toBe(20);
    for (let i = 0; i < 20; i++) {
      await clock.advance(50);
      await flush();
    }
    // After 1 s: 20 more at 20/s.
    expect(sent).toBe(40);
    for (let i = 0; i < 20; i++) {
      await clock.advance(50);
      await flush();
    }
    await Promise.all(all);
    expect(sent).toBe(50);
  });

  it('counts 429s in a row per organisation until an answer ends the streak', () => {
    const limiter = new OrgRateLimiter();
    expect([limiter.rateLimited('a'), limiter.rateLimited('a'), limiter.rateLimited('b')]).toEqual([1, 2, 1]);
    limiter.answered('a');
    expect(limiter.rateLimited('a')).toBe(1);
  });
});
