import { describe, expect, it } from 'vitest';
import { OrgRateLimiter } from '../../../src/devices/rest/org-limiter';
import { TokenBucket } from '../../../src/devices/rest/token-bucket';
import { FakeClock } from './fake-clock';

describe('TokenBucket', () => {
  it('lets a full burst through at once, then spaces requests at the rate', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSec: 10, burst: 10, clock });
    const waits = Array.from({ length: 13 }, () => bucket.reserve());
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits.slice(10).map(Math.round)).toEqual([100, 200, 300]);
  });

  it('refills with elapsed time but never beyond the burst size', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSec: 10, burst: 5, clock });
    for (let i = 0; i < 5; i++) bucket.reserve();
    await clock.advance(250);
    expect(bucket.available()).toBeCloseTo(2.5);
    await clock.advance(60_000);
    expect(bucket.available()).toBe(5);
  });

  it('never admits more than burst + rate x window in any window', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSec: 10, burst: 10, clock });
    // 100 requests reserved at t=0: their release times are what a caller would see.
    const releases = Array.from({ length: 100 }, () => bucket.reserve()).sort((a, b) => a - b);
    for (let i = 0; i < releases.length; i++) {
      const inWindow = releases.filter((t) => t >= (releases[i] as number) && t < (releases[i] as number) + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(20);
    }
    expect(Math.round(releases[99] as number)).toBe(9000);
  });

  it('keeps headroom: with 50 ms at 10 rps the tenth request of a burst waits 50 ms', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSec: 10, burst: 10, headroomMs: 50, clock });
    const waits = Array.from({ length: 11 }, () => Math.round(bucket.reserve()));
    expect(waits.slice(0, 9)).toEqual(Array(9).fill(0));
    expect(waits[9]).toBe(50);
    expect(waits[10]).toBe(150);
  });

  it('after pause() hands out nothing until the pause ends, then resumes at the rate without a burst', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSec: 10, burst: 10, clock });
    bucket.pause(1_000);
    const waits = [bucket.reserve(), bucket.reserve(), bucket.reserve()].map(Math.round);
    expect(waits).toEqual([1_000, 1_100, 1_200]);
    await clock.advance(10_000);
    expect(bucket.available()).toBe(10);
  });

  it('a pause does not shorten a wait that is already longer', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSec: 1, burst: 1, clock });
    bucket.reserve();
    bucket.pause(500);
    // The bucket holds no token during the pause, so the next one arrives 1 s after it ends.
    expect(Math.round(bucket.reserve())).toBe(1_500);
  });

  it('take() sleeps for the reserved wait', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSec: 2, burst: 1, clock });
    await bucket.take();
    let done = false;
    const second = bucket.take().then(() => (done = true));
    await clock.advance(499);
    expect(done).toBe(false);
    await clock.advance(1);
    await second;
    expect(clock.slept).toEqual([500]);
  });

  it('rejects nonsense settings', () => {
    expect(() => new TokenBucket({ ratePerSec: 0, burst: 1 })).toThrow(/ratePerSec/);
    expect(() => new TokenBucket({ ratePerSec: 1, burst: 0 })).toThrow(/burst/);
  });
});

describe('OrgRateLimiter', () => {
  it('keeps a separate budget per organisation', () => {
    const clock = new FakeClock();
    const limiter = new OrgRateLimiter({ ratePerSec: 10, burst: 2, headroomMs: 0, clock });
    limiter.bucket('a').reserve();
    limiter.bucket('a').reserve();
    expect(Math.round(limiter.bucket('a').reserve())).toBe(100);
    expect(limiter.bucket('b').reserve()).toBe(0);
  });

  it('defaults to the dashboard budget: 10 per second, burst 10', () => {
    const limiter = new OrgRateLimiter();
    expect([limiter.ratePerSec, limiter.burst]).toEqual([10, 10]);
  });
});
