import { Context } from '@temporalio/activity';
import { NotFound, RateLimited } from '../../devices/rest/errors';
import { TaskPacer } from '../../devices/rest/task-budget';
import type { RestRuntime } from './runtime';
import { emptyTally, readStatusRow, tallyStatuses, UnreadableStatusRow, type StatusTally } from './status-tally';
import type { DashboardRef } from './types';

/**
 * Where device statuses are read: `devices/availabilities` (current), or
 * `devices/statuses` (older; used only for an organisation that answers 404
 * on availabilities).
 */
export type StatusEndpoint = 'availabilities' | 'statuses';

/**
 * One cursor over device statuses: a network's (or, without `networkId`,
 * the whole organisation's), and where it stands. No `next` means its first
 * page has not been fetched yet.
 */
export interface StatusLane {
  networkId?: string;
  next?: string;
}

export interface StatusSliceInput {
  /** Cursors carried over from the previous slice. */
  lanes: StatusLane[];
  /** Networks not started yet, taken in order when a lane finishes. */
  spare: string[];
  /** Cursors walked at once (keeps the budget busy while answers are in flight). */
  maxLanes: number;
  /** List the organisation's networks (from this cursor, or the start) before walking any lane. */
  listNetworks?: { from?: string };
  perPage: number;
  /** Devices not online listed in the result at most (the rest are only counted). */
  maxListed: number;
  /** Default availabilities; a slice that fell back says so in its result, and the next slices are told. */
  endpoint?: StatusEndpoint;
}

export interface StatusSliceResult extends StatusTally {
  /** Cursors still to walk. */
  lanes: StatusLane[];
  /** How many of `spare` (or of the networks listed here) this slice started. */
  spareUsed: number;
  /** When `listNetworks` was asked: the networks listed here, and whether the listing is complete (else it goes on from `next`). */
  listing?: { networkIds: string[]; done: boolean; next?: string };
  /** Successful requests (pages) this slice sent. */
  requests: number;
  /** The dashboard answered 429: wait this long before the next slice. */
  retryAfterMs?: number;
  /** The slice stopped early on this error after making progress; the next slice sends that request again. */
  error?: string;
  /** The endpoint the organisation's statuses come from (availabilities unless it answered 404 there). */
  endpoint: StatusEndpoint;
}

/** Networks per listing page: the dashboard's maximum, the listing is a small part of the work. */
const NETWORKS_PER_PAGE = 1000;

/**
 * A slice of one organisation's status collection: at most the worker's
 * per-task request budget, paced at the organisation's rate and within the
 * task's window (see task-budget.ts), over several cursors at once. It
 * returns where every cursor stands, so the workflow's next slice picks up
 * there: the slice is the checkpoint, and a failed attempt repeats at most
 * one budget's worth of reads. Requests are not retried inside the slice
 * (a retry would spend requests the budget did not grant); a 429 ends the
 * slice and hands its Retry-After to the workflow.
 */
export async function collectStatusSlice(rt: RestRuntime, dashboard: DashboardRef, orgId: string, input: StatusSliceInput): Promise<StatusSliceResult> {
  const signal = Context.current().cancellationSignal;
  const pacer = new TaskPacer(rt.taskBudget(orgId));
  const client = await rt.client(dashboard, { maxAttempts: 1 });
  const result: StatusSliceResult = { ...emptyTally(), lanes: [], spareUsed: 0, requests: 0, endpoint: input.endpoint ?? 'availabilities' };
  let stopped = false;
  let failure: unknown;
  const orgPath = `/organizations/${encodeURIComponent(orgId)}`;

  const fetchPage = async <T>(path: string, from: string | undefined, perPage: number, query?: Record<string, string[]>): Promise<{ items: T[]; next: string | undefined } | 'fallback' | undefined> => {
    if (stopped || !(await pacer.next(signal)) || stopped) return undefined;
    // Another lane found the organisation without availabilities while this one waited for its turn.
    if (result.endpoint === 'statuses' && from === undefined && path.endsWith('/devices/availabilities')) path = path.replace(/availabilities$/, 'statuses');
    try {
      for await (const page of client.pages<T>({ orgId, path, perPage, query, from, signal })) {
        result.requests++;
        return page;
      }
      return { items: [], next: undefined };
    } catch (err) {
      if (err instanceof NotFound && path.endsWith('/devices/availabilities') && from === undefined) {
        // An organisation without the availabilities endpoint: its statuses come from the older one.
        result.requests++;
        result.endpoint = 'statuses';
        return 'fallback';
      }
      stopped = true;
      if (err instanceof RateLimited) result.retryAfterMs = Math.max(result.retryAfterMs ?? 0, err.retryAfterMs);
      else failure ??= err;
      return undefined;
    }
  };

  try {
    let spare = input.spare;
    if (input.listNetworks) {
      const listed: string[] = [];
      let from = input.listNetworks.from;
      let more = true;
      while (more) {
        const page = await fetchPage<{ id: string }>(`${orgPath}/networks`, from, NETWORKS_PER_PAGE);
        if (!page || page === 'fallback') break;
        listed.push(...page.items.map((n) => n.id));
        from = page.next;
        more = from !== undefined;
      }
      result.listing = { networkIds: listed, done: !more, ...(more && from !== undefined ? { next: from } : {}) };
      if (more) return finish(result, failure);
      spare = [...spare, ...listed];
    }

    const takeSpare = (): StatusLane | undefined => (result.spareUsed < spare.length ? { networkId: spare[result.spareUsed++] as string } : undefined);
    const lanes = [...input.lanes];
    while (lanes.length < input.maxLanes) {
      const lane = takeSpare();
      if (!lane) break;
      lanes.push(lane);
    }
    const walk = async (start: StatusLane): Promise<void> => {
      let lane: StatusLane | undefined = start;
      while (lane) {
        const query: Record<string, string[]> | undefined = lane.next === undefined && lane.networkId !== undefined ? { networkIds: [lane.networkId] } : undefined;
        const page: { items: unknown[]; next: string | undefined } | 'fallback' | undefined = await fetchPage<unknown>(`${orgPath}/devices/${result.endpoint}`, lane.next, input.perPage, query);
        if (page === 'fallback') continue;
        if (!page) {
          result.lanes.push(lane);
          return;
        }
        try {
          tallyStatuses(result, page.items.map((row) => readStatusRow(orgId, row)), input.maxListed);
        } catch (err) {
          failure ??= err;
          stopped = true;
          return;
        }
        lane = page.next !== undefined ? { ...lane, next: page.next } : takeSpare();
      }
    };
    await Promise.all(lanes.map(walk));
    return finish(result, failure);
  } finally {
    await client.close();
  }
}

/** An error before any page is the attempt's failure (Temporal retries it); after some, the progress is kept. */
function finish(result: StatusSliceResult, failure: unknown): StatusSliceResult {
  // A row netops cannot count stops the collection (the failure policy makes it final), kept progress or not.
  if (failure instanceof UnreadableStatusRow) throw failure;
  if (failure === undefined) return result;
  if (result.requests === 0) throw failure;
  return { ...result, error: failure instanceof Error ? failure.message : String(failure) };
}
