import type { Clock } from '../../../src/devices/rest/clock';

/** A clock that only moves when told; `sleep` resolves once `advance` passes its deadline. */
export class FakeClock implements Clock {
  private t = 0;
  private sleepers: { until: number; resolve: () => void }[] = [];
  readonly slept: number[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    return new Promise((resolve) => this.sleepers.push({ until: this.t + ms, resolve }));
  }

  async advance(ms: number): Promise<void> {
    this.t += ms;
    const due = this.sleepers.filter((s) => s.until <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.until > this.t);
    for (const s of due) s.resolve();
    await Promise.resolve();
  }
}
