import type { CollectOutcome } from '../contracts/collect';
import { cutByCrash, mergeCheckpoint, type BatchCheckpoint } from '../contracts/collect-batches';
import type { ResultStore } from '../results';
import { heartbeat, previousHeartbeat } from './runtime';

/**
 * The checkpoint protocol of one batch attempt. It starts from what the
 * previous attempt's last heartbeat and the store say is done, and which
 * sessions a crash cut; while it runs, it heartbeats the devices stored and
 * the sessions open, on a timer: a heartbeat per device would cost a payload
 * encoding of the whole list each time (the SDK and the server throttle what
 * they send anyway), and the timer also keeps a batch whose devices wait for
 * a limiter slot alive.
 */
export class BatchProgress {
  readonly done: Map<string, CollectOutcome>;
  /** Devices the previous attempt's crash cut, collected again (and counted) by this one. */
  readonly cut: string[];
  /** Devices skipped because an earlier attempt stored them, when that attempt crashed rather than handed devices back. */
  readonly resumed: number;
  private readonly inFlight = new Set<string>();
  private handedBack: string[] | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(previous: BatchCheckpoint | undefined, stored: CollectOutcome[], names: string[]) {
    this.done = mergeCheckpoint(previous, stored, names);
    this.cut = cutByCrash(previous, this.done, names);
    // An attempt that handed devices back to Temporal's retry ended cleanly: what it stored is not a resume after a crash.
    this.resumed = previous?.retry && !this.cut.length ? 0 : this.done.size;
  }

  /** Reads the previous attempt's checkpoint (heartbeat, then the store it may lag) and starts heartbeating. */
  static async start(store: ResultStore, runId: string, names: string[], attempt: number, intervalMs: number): Promise<BatchProgress> {
    const previous = previousHeartbeat<BatchCheckpoint>();
    const stored = previous !== undefined || attempt > 1 ? (await store.list(runId)).map(outcomeOfRow) : [];
    const p = new BatchProgress(previous, stored, names);
    p.beat();
    p.timer = setInterval(() => p.beat(), intervalMs);
    return p;
  }

  sessionOpen(device: string): void {
    this.inFlight.add(device);
  }

  sessionDone(device: string): void {
    this.inFlight.delete(device);
  }

  stored(outcome: CollectOutcome): void {
    this.done.set(outcome.device, outcome);
  }

  /** The last heartbeat before the attempt fails on purpose: these devices are Temporal's retry's to collect. */
  handBack(devices: string[]): void {
    this.handedBack = devices;
    this.beat();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    heartbeat({
      done: [...this.done.values()],
      inFlight: [...this.inFlight],
      ...(this.cut.length ? { cut: this.cut } : {}),
      ...(this.handedBack ? { retry: this.handedBack } : {}),
    } satisfies BatchCheckpoint);
  }
}

function outcomeOfRow(r: { device: string; error?: string }): CollectOutcome {
  return r.error ? { device: r.device, ok: false, error: { type: r.error.split(':')[0] ?? 'Error', message: r.error } } : { device: r.device, ok: true };
}
