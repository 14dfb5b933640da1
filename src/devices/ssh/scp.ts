import type { Readable } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { CommandRejected, NotEnoughSpace, SessionClosed, TimedOut } from '../errors';
import type { DeviceSession } from './session';

export interface TransferSource {
  /** Opens the bytes to send; called once per attempt. */
  open(): Readable;
  size: number;
}

export type Progress = (bytesSent: number, totalBytes: number) => void;

/**
 * Sends one file with the legacy SCP protocol (`scp -t` on an exec channel):
 * the remote answers every step with 0 (ok), 1 (warning) or 2 (fatal) plus a
 * message. We wait for each acknowledgement so a refusal (no space, bad path)
 * surfaces as the device's own words, and stall detection uses the idle limit.
 */
export async function scpUpload(session: DeviceSession, source: TransferSource, remotePath: string, onProgress?: Progress): Promise<void> {
  const device = session.target.name;
  const idleMs = session.timeouts.idleMs;
  const ch = await session.execChannel(`scp -t ${remotePath}`);
  const acks = new AckReader(ch, device, idleMs, remotePath, source.size);
  try {
    await acks.next('start');
    const name = remotePath.replace(/^.*[:/]/, '');
    ch.write(`C0644 ${source.size} ${name}\n`);
    await acks.next('header');
    let sent = 0;
    const stream = source.open();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      acks.throwIfFailed();
      if (!ch.write(chunk)) await acks.drain();
      sent += chunk.length;
      onProgress?.(sent, source.size);
    }
    ch.write(Buffer.from([0]));
    await acks.next('data');
    ch.end();
  } finally {
    acks.dispose();
    ch.close();
  }
}

class AckReader {
  private pending: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly ch: ClientChannel,
    private readonly device: string,
    private readonly idleMs: number,
    private readonly path: string,
    private readonly size: number,
  ) {
    ch.on('data', (d: Buffer) => {
      this.pending = Buffer.concat([this.pending, d]);
      this.wake?.();
    });
    ch.stderr.on('data', () => undefined);
    ch.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    ch.on('drain', () => this.wake?.());
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new SessionClosed(this.device, `the transfer of ${this.path} was cut off`);
  }

  async next(step: string): Promise<void> {
    for (;;) {
      const first = this.pending[0];
      if (first === 0) {
        this.pending = this.pending.subarray(1);
        return;
      }
      if (first === 1 || first === 2) {
        const nl = this.pending.indexOf(0x0a);
        if (nl >= 0) {
          const message = this.pending.subarray(1, nl).toString('utf8').trim();
          throw errorFor(this.device, this.path, message, this.size);
        }
      }
      if (this.closed) throw new SessionClosed(this.device, `the transfer of ${this.path} was cut off (${step})`);
      await this.wait(step);
    }
  }

  async drain(): Promise<void> {
    this.throwIfFailed();
    await this.wait('data');
    this.throwIfFailed();
  }

  private wait(step: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        this.failure = new TimedOut(this.device, 'idle', this.idleMs, `SCP ${step} of ${this.path}`);
        reject(this.failure);
      }, this.idleMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  dispose(): void {
    this.wake = undefined;
  }
}

/** The device's refusal of a transfer, as a typed error quoting its words. */
export function errorFor(device: string, path: string, message: string, size = 0): Error {
  if (/no space|not enough space|insufficient|disk full/i.test(message)) return new NotEnoughSpace(device, size, 0, path.replace(/[^:]*$/, '') || path, message);
  return new CommandRejected(device, `copy to ${path}`, message);
}
