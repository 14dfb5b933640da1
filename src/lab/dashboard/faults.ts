/** Failures the simulator can be told to produce, to test how clients cope. */
export type DashboardFault =
  /** Every request (to `orgId`, or to any org) answers 429 until the window ends. */
  | { kind: 'storm'; durationMs: number; orgId?: string; retryAfterSec?: number; omitRetryAfter?: boolean }
  /**
   * 5xx answers: for the `next` matching requests, or at random with `rate`.
   * `when: 'after'` applies the request first and then fails, the case where
   * a write happened but the client cannot know it.
   */
  | { kind: 'server-error'; status?: number; next?: number; rate?: number; method?: string; pathIncludes?: string; when?: 'before' | 'after' }
  /** Delays the answer (headers) by `delayMs` for the `next` matching requests, or all of them. */
  | { kind: 'slow'; delayMs: number; next?: number; method?: string; pathIncludes?: string }
  /** Every firmware upgrade scheduled on this network starts, reboots its devices and does not take. */
  | { kind: 'upgrade-fails'; networkId: string }
  /** This device keeps reporting its old firmware after its network's next upgrade completes. */
  | { kind: 'device-misses-upgrade'; serial: string }
  /**
   * Answers matching requests with a redirect: to the same server under a
   * regional-shard path (`shard`, as api.meraki.com sends callers to their
   * shard), or to another host (`foreign`, which a client must not follow).
   */
  | { kind: 'redirect'; to: 'shard' | 'foreign'; status?: 301 | 302 | 307 | 308; next?: number; method?: string; pathIncludes?: string };

interface ActiveFault {
  fault: DashboardFault;
  until?: number;
  remaining?: number;
}

export interface RequestFacts {
  method: string;
  path: string;
  orgId: string | undefined;
}

export class FaultBook {
  private active: ActiveFault[] = [];

  constructor(private readonly random: () => number) {}

  add(fault: DashboardFault, nowMs: number): void {
    const entry: ActiveFault = { fault };
    if (fault.kind === 'storm') entry.until = nowMs + fault.durationMs;
    if ((fault.kind === 'server-error' || fault.kind === 'slow' || fault.kind === 'redirect') && fault.next !== undefined) entry.remaining = fault.next;
    this.active.push(entry);
  }

  clear(): void {
    this.active = [];
  }

  /** Seconds of Retry-After if a storm covers this request (null: a 429 without the header). */
  storm(req: RequestFacts, nowMs: number): number | null | undefined {
    for (const a of this.active) {
      if (a.fault.kind !== 'storm' || (a.until ?? 0) <= nowMs) continue;
      if (a.fault.orgId !== undefined && a.fault.orgId !== req.orgId) continue;
      if (a.fault.omitRetryAfter) return null;
      return a.fault.retryAfterSec ?? Math.max(1, Math.ceil(((a.until ?? nowMs) - nowMs) / 1000));
    }
    return undefined;
  }

  serverError(req: RequestFacts): { status: number; when: 'before' | 'after' } | undefined {
    for (const a of this.active) {
      const f = a.fault;
      if (f.kind !== 'server-error' || !matches(f, req)) continue;
      if (a.remaining !== undefined) {
        if (a.remaining <= 0) continue;
        a.remaining--;
      } else if (this.random() >= (f.rate ?? 1)) continue;
      return { status: f.status ?? 500, when: f.when ?? 'before' };
    }
    return undefined;
  }

  delayMs(req: RequestFacts): number {
    for (const a of this.active) {
      const f = a.fault;
      if (f.kind !== 'slow' || !matches(f, req)) continue;
      if (a.remaining !== undefined) {
        if (a.remaining <= 0) continue;
        a.remaining--;
      }
      return f.delayMs;
    }
    return 0;
  }

  redirect(req: RequestFacts): { to: 'shard' | 'foreign'; status: number } | undefined {
    for (const a of this.active) {
      const f = a.fault;
      if (f.kind !== 'redirect' || !matches(f, req)) continue;
      if (a.remaining !== undefined) {
        if (a.remaining <= 0) continue;
        a.remaining--;
      }
      return { to: f.to, status: f.status ?? 308 };
    }
    return undefined;
  }

  upgradeFails(networkId: string): boolean {
    return this.active.some((a) => a.fault.kind === 'upgrade-fails' && a.fault.networkId === networkId);
  }
}

function matches(f: { method?: string; pathIncludes?: string }, req: RequestFacts): boolean {
  return (f.method === undefined || f.method.toUpperCase() === req.method) && (f.pathIncludes === undefined || req.path.includes(f.pathIncludes));
}
