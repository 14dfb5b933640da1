import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LabTimings, RedundancyState } from './types';

export type MutatingReason = 'config' | 'transfer' | 'reload';

/** Everything that happens in the lab, one JSON object per line in the event log. */
export type LabEventBody =
  | {
      type: 'lab.start';
      timings: LabTimings;
      /** Redundancy group -> member device names. */
      groups: Record<string, string[]>;
      /** Downstream switch -> the two switches its port channel's members land on (absent in logs of older labs). */
      dualHomed?: Record<string, string[]>;
      devices: number;
    }
  | { type: 'lab.stop' }
  | { type: 'session.open'; device: string; session: string; user: string; channel?: string }
  | { type: 'session.mutating'; device: string; session: string; reason: MutatingReason }
  | {
      type: 'session.close';
      device: string;
      session: string;
      mutating: boolean;
      /**
       * How the session ended. True: the client ended it itself while its
       * connection was up - it closed every session channel it had opened
       * (SSH CHANNEL_CLOSE) or said goodbye (SSH DISCONNECT). False: the
       * connection was lost - the client vanished without either (a process
       * SIGKILLed mid-session, a cable pulled) or the lab dropped it (a fault,
       * a reload, the lab stopping).
       */
      clean: boolean;
    }
  | { type: 'session.refused'; device: string; reason: string }
  | { type: 'auth.fail'; device: string; user: string; method: string }
  | { type: 'command'; device: string; session: string; command: string }
  | { type: 'config.change'; device: string; session: string; line: string }
  | { type: 'config.save'; device: string; session: string }
  | {
      type: 'transfer';
      device: string;
      session: string;
      protocol: 'scp' | 'sftp';
      file: string;
      bytes: number;
      ok: boolean;
      md5?: string;
      intact?: boolean;
      error?: string;
    }
  | { type: 'reload.start'; device: string; session?: string; bootImage?: string }
  | { type: 'device.up'; device: string; version: string; image: string; reloads: number }
  | { type: 'device.down'; device: string; reason: string }
  | { type: 'redundancy'; device: string; group: string; from: RedundancyState; to: RedundancyState; priority: number }
  | { type: 'fault'; device: string; fault: string; action: 'set' | 'clear' | 'fired'; detail?: string }
  | { type: 'system.mode'; device: string; session?: string; mode: 'normal' | 'maintenance' }
  /** A vPC peer's view of its domain changed (adjacency, role, its vPC member ports). */
  | { type: 'vpc'; device: string; domain: number; peer: string; role: string; members: 'up' | 'down' | 'suspended' }
  /**
   * One member link of a downstream switch's port channel went up or down
   * (bundled or not); `via` is the switch at its far end.
   */
  | { type: 'path'; device: string; port: string; via: string; up: boolean; reason: string };

/** `t` is monotonic milliseconds since the lab started (performance.now based); `wall` is ISO time. */
export type LabEvent = LabEventBody & { seq: number; t: number; wall: string };

export type LabEventType = LabEvent['type'];

const MAX_EVENTS_IN_MEMORY = 500_000;

/** In-memory event list plus an optional JSON-lines file, written synchronously so a crash loses nothing. */
export class EventLog {
  readonly events: LabEvent[] = [];
  private readonly origin = performance.now();
  private fd: number | undefined;
  private seq = 0;
  private readonly listeners = new Set<(e: LabEvent) => void>();

  constructor(readonly path?: string) {
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a');
    }
  }

  /** Milliseconds since the log was created, monotonic. */
  now(): number {
    return performance.now() - this.origin;
  }

  emit(body: LabEventBody): LabEvent {
    const event = { seq: ++this.seq, t: Math.round(this.now() * 1000) / 1000, wall: new Date().toISOString(), ...body } as LabEvent;
    this.events.push(event);
    // A lab left running for days keeps the file complete but only the recent events in memory.
    if (this.events.length > MAX_EVENTS_IN_MEMORY) this.events.splice(0, this.events.length - MAX_EVENTS_IN_MEMORY / 2);
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(event)}\n`);
    for (const l of this.listeners) l(event);
    return event;
  }

  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: (e: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
