export interface AccessLogEntry {
  /** Arrival time, ms since the epoch with sub-ms precision. */
  at: number;
  orgId: string | undefined;
  method: string;
  /** Path and query as requested. */
  path: string;
  /** The path under the API prefix (`/organizations/1/devices`), no query. */
  apiPath: string;
  status: number;
  /** Which of the simulator's API keys was used (index into `apiKeys`), or -1. */
  keyIndex: number;
  /** The X-Request-Id the answer carried. */
  requestId: string;
  userAgent?: string;
  /** Parsed JSON bodies, when the simulator records them (the contract tests read these). */
  requestBody?: unknown;
  responseBody?: unknown;
}

/** Every request the simulator answered, so tests can check rates and duplicate writes. */
export class AccessLog {
  readonly entries: AccessLogEntry[] = [];

  add(entry: AccessLogEntry): void {
    this.entries.push(entry);
  }

  filter(pred: Partial<Pick<AccessLogEntry, 'orgId' | 'method' | 'status'>> & { pathIncludes?: string }): AccessLogEntry[] {
    return this.entries.filter(
      (e) =>
        (pred.orgId === undefined || e.orgId === pred.orgId) &&
        (pred.method === undefined || e.method === pred.method) &&
        (pred.status === undefined || e.status === pred.status) &&
        (pred.pathIncludes === undefined || e.path.includes(pred.pathIncludes)),
    );
  }

  /** The most requests to one organisation that arrived within any window of `windowMs`. */
  maxInWindow(orgId: string, windowMs = 1000, opts: { excludeStatus?: number } = {}): number {
    const times = this.entries
      .filter((e) => e.orgId === orgId && e.status !== opts.excludeStatus)
      .map((e) => e.at)
      .sort((a, b) => a - b);
    let best = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
