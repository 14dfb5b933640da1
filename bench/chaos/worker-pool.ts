import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const NETOPS_BIN = join(__dirname, '..', '..', 'bin', 'netops.cjs');
const READY = /worker polling task queue/;

export interface WorkerProcess {
  slot: number;
  child: ChildProcess;
  startedAt: number;
  /** True once it printed that it polls the task queue (a kill before that kills a start, not a worker). */
  polling: boolean;
  ready: Promise<void>;
  exited: Promise<NodeJS.Signals | number | null>;
}

export interface WorkerPoolOptions {
  address: string;
  taskQueue: string;
  size: number;
  /** Every line the workers print (stdout and stderr), prefixed with the slot. */
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

/**
 * N `netops worker` processes on one task queue, as an operator runs them.
 * Killing one (SIGKILL, no goodbye) and starting its replacement is what the
 * chaos run does to them.
 */
export class WorkerPool {
  readonly slots: Array<WorkerProcess | undefined>;
  kills = 0;
  starts = 0;

  constructor(private readonly o: WorkerPoolOptions) {
    this.slots = new Array<WorkerProcess | undefined>(o.size).fill(undefined);
  }

  async startAll(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.start(i).ready));
  }

  start(slot: number): WorkerProcess {
    const child = spawn(process.execPath, [NETOPS_BIN, 'worker', '--address', this.o.address, '--task-queue', this.o.taskQueue], {
      env: { ...process.env, NO_COLOR: '1', ...this.o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.starts++;
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, signal) => r(signal ?? code)));
    const ready = new Promise<void>((resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${slot} not polling after ${this.o.readyTimeoutMs ?? 90_000} ms`)), this.o.readyTimeoutMs ?? 90_000);
      let pending = '';
      const tail: string[] = [];
      const onData = (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          this.o.onLine?.(`[w${slot}] ${line}`);
          tail.push(line);
          if (tail.length > 20) tail.shift();
          if (READY.test(line)) {
            clearTimeout(timer);
            resolveReady();
          }
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void exited.then((how) => {
        clearTimeout(timer);
        if (pending) this.o.onLine?.(`[w${slot}] ${pending}`);
        reject(new Error(`worker ${slot} exited (${String(how)}) before it was polling:\n${[...tail, pending].join('\n')}`));
      });
    });
    const proc: WorkerProcess = { slot, child, startedAt: Date.now(), polling: false, ready, exited };
    ready.then(
      () => (proc.polling = true),
      () => undefined,
    );
    this.slots[slot] = proc;
    return proc;
  }

  /** SIGKILLs the worker in `slot` and waits until it is gone. */
  async kill(slot: number): Promise<void> {
    const proc = this.slots[slot];
    if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    proc.child.kill('SIGKILL');
    this.kills++;
    await proc.exited;
  }

  /** Starts a replacement, retrying while the server is unreachable (a worker that cannot connect exits). */
  async restart(slot: number, deadlineMs = 120_000): Promise<void> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      try {
        return await this.start(slot).ready;
      } catch (err) {
        if (Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Kills every worker (SIGKILL: nothing of theirs must outlive the run). */
  async stopAll(): Promise<void> {
    await Promise.all(this.slots.map((p, i) => (p ? this.killQuietly(i) : undefined)));
  }

  private async killQuietly(slot: number): Promise<void> {
    const proc = this.slots[slot];
    if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}
