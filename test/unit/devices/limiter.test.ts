import { describe, expect, it } from 'vitest';
import { SessionLimiter } from '../../../src/devices/limiter';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SessionLimiter', () => {
  it('never runs more than maxSessions at once', async () => {
    const limiter = new SessionLimiter({ maxSessions: 3, connectsPerSecond: 10_000, burst: 100 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick(5);
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(limiter.stats()).toEqual({ active: 0, waiting: 0, peakActive: 3 });
  });

  it('paces new connections with the token bucket after the burst', async () => {
    const limiter = new SessionLimiter({ maxSessions: 100, connectsPerSecond: 50, burst: 5 });
    const started: number[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 15 }, () => limiter.run(async () => void started.push(Date.now() - t0))));
    started.sort((a, b) => a - b);
    expect(started[4]!).toBeLessThan(50); // the burst goes at once
    // 10 more at 50/s need about 200 ms
    expect(started[14]!).toBeGreaterThanOrEqual(180);
  });

  it('frees the slot when the work fails', async () => {
    const limiter = new SessionLimiter({ maxSessions: 1, connectsPerSecond: 1000 });
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('refuses nonsense limits', () => {
    expect(() => new SessionLimiter({ maxSessions: 0, connectsPerSecond: 1 })).toThrow(/maxSessions/);
    expect(() => new SessionLimiter({ maxSessions: 1, connectsPerSecond: 0 })).toThrow(/connectsPerSecond/);
  });
});
