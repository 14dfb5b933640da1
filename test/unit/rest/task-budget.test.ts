import { describe, expect, it } from 'vitest';
import { TaskPacer, taskBudget } from '../../../src/devices/rest/task-budget';
import { FakeClock } from './fake-clock';

describe('taskBudget', () => {
  it.each([
    // rate, asked per task -> requests, tasks/s, window ms
    [10, 5, 5, 2, 500],
    [9, 5, 5, 1.8, 555.6],
    [10, 1, 1, 10, 100],
    [10, 10, 10, 1, 1000],
    // Never more than a second's worth of the rate in one task.
    [10, 50, 10, 1, 1000],
    [3, 5, 3, 1, 1000],
    [2.5, 5, 2, 1.25, 800],
    // Below one request per second a task is one request.
    [0.5, 5, 1, 0.5, 2000],
  ])('rate %s/s asking %s per task: %s requests, %s tasks/s, a window of %s ms', (rate, asked, requests, tasksPerSec, windowMs) => {
    const b = taskBudget(rate, asked);
    expect(b.requests).toBe(requests);
    expect(b.tasksPerSec).toBeCloseTo(tasksPerSec, 5);
    expect(b.windowMs).toBeCloseTo(windowMs, 0);
    // Tasks/s x requests per task is the rate: the queue limit spends exactly the budget.
    expect(b.tasksPerSec * b.requests).toBeCloseTo(rate, 9);
  });

  it.each([[0], [-1], [Number.NaN]])('refuses a rate of %s', (rate) => {
    expect(() => taskBudget(rate)).toThrow(/rate must be above 0/);
  });

  it.each([[0], [1.5], [-3]])('refuses %s requests per task', (n) => {
    expect(() => taskBudget(10, n)).toThrow(/positive integer/);
  });
});

describe('TaskPacer', () => {
  const grantTimes = async (clock: FakeClock, pacer: TaskPacer, asks: number, stepMs = 10): Promise<(number | false)[]> => {
    const out: (number | false)[] = [];
    for (let i = 0; i < asks; i++) {
      const p = pacer.next();
      let settled: boolean | undefined;
      void p.then((v) => (settled = v));
      while (settled === undefined) await clock.advance(stepMs);
      out.push(settled ? clock.now() : false);
    }
    return out;
  };

  it('spaces one task\'s requests 1/rate apart from its start and stops at the budget', async () => {
    const clock = new FakeClock();
    const pacer = new TaskPacer(taskBudget(10, 5), clock);
    const times = await grantTimes(clock, pacer, 7);
    // The first is immediate (the fake clock moves in 10 ms steps while we wait for the promise).
    expect(times.slice(0, 5)).toEqual([10, 100, 200, 300, 400]);
    expect(times.slice(5)).toEqual([false, false]);
    expect(pacer.granted).toBe(5);
    expect(pacer.spent).toBe(true);
  });

  it('grants nothing once its window is over, even with budget left (a slow answer must not spill into the next task)', async () => {
    const clock = new FakeClock();
    const pacer = new TaskPacer(taskBudget(10, 5), clock);
    expect(await pacer.next()).toBe(true);
    await clock.advance(600);
    expect(pacer.spent).toBe(true);
    expect(await pacer.next()).toBe(false);
    expect(pacer.granted).toBe(1);
  });

  it('a late request pushes the next ones back rather than letting them bunch up, and nothing goes after the window', async () => {
    const clock = new FakeClock();
    const pacer = new TaskPacer(taskBudget(10, 5), clock);
    // (The helper's clock moves 1 ms per look, so a grant shows 1 ms after it was made.)
    expect(await grantTimes(clock, pacer, 1, 1)).toEqual([1]);
    // The caller comes back late (a slow answer): 250 ms into the task, granted at once.
    await clock.advance(249);
    expect(await grantTimes(clock, pacer, 1, 1)).toEqual([251]);
    // The next one waits a full interval after that (350), not for the 200 ms slot already past.
    expect(await grantTimes(clock, pacer, 1, 1)).toEqual([350]);
    expect(await grantTimes(clock, pacer, 1, 1)).toEqual([450]);
    // 550 would be past the 500 ms window: the budget is left unspent.
    expect(pacer.spent).toBe(true);
    expect(await pacer.next()).toBe(false);
    expect(pacer.granted).toBe(4);
  });

  it('concurrent lanes share the task\'s slots: never two requests less than 1/rate apart once on schedule', async () => {
    const clock = new FakeClock();
    const pacer = new TaskPacer(taskBudget(20, 10), clock);
    const granted: number[] = [];
    const lanes = Array.from({ length: 4 }, async () => {
      while (await pacer.next()) granted.push(clock.now());
    });
    for (let t = 0; t < 600; t += 5) await clock.advance(5);
    await Promise.all(lanes);
    expect(granted).toHaveLength(10);
    const sorted = [...granted].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeGreaterThanOrEqual(45);
    expect(Math.max(...granted)).toBeLessThan(500);
  });
});
