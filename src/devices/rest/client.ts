import { inspect } from 'node:util';
import { Agent, request, type Dispatcher } from 'undici';
import { authHeaders, type ApiKeySource, type AuthScheme } from './api-key';
import { systemClock, type Clock } from './clock';
import { classifyNetworkError } from './network-errors';
import { BadRequest, ConnectionFailed, ForeignLink, ForeignRedirect, NotFound, RateLimited, ServerError, Timeout, Unauthorized, type RestError } from './errors';
import { nextLink } from './link-header';
import { OrgRateLimiter } from './org-limiter';
import { parseRetryAfter } from './retry-after';
import { backoffDelay, isIdempotent, rateLimitBackoff, shouldRetry, type AttemptOutcome, type BackoffOptions, type HttpMethod } from './retry-policy';
import { isTrustedTarget } from './trusted-hosts';
import { NETOPS_VERSION, userAgent } from './user-agent';

export interface RestTimeouts {
  connectMs: number;
  /** Time to the response headers: the server's think time. */
  headersMs: number;
  /** Max gap between body chunks. */
  bodyMs: number;
}

export interface DashboardClientOptions {
  /** e.g. https://api.meraki.com/api/v1 (path prefix kept). */
  baseUrl: string;
  /** Who runs this integration, for the User-Agent: "ApplicationName[/version] VendorName". */
  caller?: string;
  apiKey: ApiKeySource;
  authScheme?: AuthScheme;
  /** Share one limiter across every client of a worker so they draw from one budget per organisation. */
  limiter?: OrgRateLimiter;
  /** Used when no limiter is given. */
  ratePerSec?: number;
  burst?: number;
  timeouts?: Partial<RestTimeouts>;
  /** Attempts for idempotent requests on 5xx / lost connections (1 = no retry). */
  maxAttempts?: number;
  backoff?: Partial<BackoffOptions>;
  /** Connections per origin in the keep-alive pool. */
  connections?: number;
  /** Share one Agent (connection pool) across clients; the client then does not close it. */
  dispatcher?: Dispatcher;
  clock?: Clock;
}

export interface RestRequest {
  method: HttpMethod;
  /** Path under the base URL (`/organizations/1/devices`) or an absolute URL on the same origin. */
  path: string;
  /** The organisation whose budget this request spends. */
  orgId: string;
  /** Array values go out as repeated `name[]=v`, the dashboard's list syntax. */
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface RestResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  attempts: number;
  /** The dashboard's X-Request-Id of the answer. */
  requestId: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Absolute URL of the next page; a checkpoint to resume from. Undefined on the last page. */
  next: string | undefined;
}

const DEFAULT_TIMEOUTS: RestTimeouts = { connectMs: 5_000, headersMs: 30_000, bodyMs: 30_000 };
/** Redirects followed for one request before giving up (the dashboard sends one, to the regional shard). */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A Meraki Dashboard API v1 client: a per-organisation and a per-process
 * (per source IP) token bucket before every request, retries only where
 * replaying is harmless, redirects followed only to Meraki hosts or the base
 * URL's, typed errors carrying the X-Request-Id, Meraki's User-Agent format,
 * and `Link: rel=next` pagination. Holds a keep-alive pool; call `close()`.
 */
export class DashboardClient {
  readonly baseUrl: URL;
  readonly limiter: OrgRateLimiter;
  private readonly apiKey: ApiKeySource;
  private readonly authScheme: AuthScheme;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly timeouts: RestTimeouts;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly clock: Clock;
  private readonly userAgent: string;

  constructor(opts: DashboardClientOptions) {
    this.baseUrl = new URL(opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`);
    this.apiKey = opts.apiKey;
    this.authScheme = opts.authScheme ?? 'meraki-header';
    this.limiter = opts.limiter ?? new OrgRateLimiter({ ratePerSec: opts.ratePerSec, burst: opts.burst, clock: opts.clock });
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
    this.backoff = { baseDelayMs: 250, maxDelayMs: 8_000, ...opts.backoff };
    this.clock = opts.clock ?? systemClock;
    this.userAgent = userAgent(NETOPS_VERSION, opts.caller);
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? createDashboardAgent({ connections: opts.connections, timeouts: this.timeouts });
  }

  /** Sends one request; throws a RestError subclass on anything but 2xx (3xx are followed to trusted hosts only). */
  async request<T = unknown>(req: RestRequest): Promise<RestResponse<T>> {
    let url = this.resolve(req.path, req.query);
    let method = req.method;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent, ...req.headers };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    let redirects = 0;
    for (let attempt = 1; ; attempt++) {
      const path = url.pathname + url.search;
      await this.limiter.take(req.orgId, req.signal);
      const key = await this.apiKey();
      let outcome: AttemptOutcome;
      let failure: RestError;
      try {
        const res = await request(url, {
          method,
          headers: { ...headers, ...authHeaders(key, this.authScheme) },
          body: payload,
          dispatcher: this.dispatcher,
          signal: req.signal,
          headersTimeout: this.timeouts.headersMs,
          bodyTimeout: this.timeouts.bodyMs,
        });
        const text = await res.body.text();
        const status = res.statusCode;
        const requestId = headerValue(res.headers['x-request-id']);
        if (status !== 429) this.limiter.answered(req.orgId);
        if (REDIRECTS.has(status)) {
          const target = this.redirectTarget(method, path, status, url, headerValue(res.headers['location']), requestId);
          if (++redirects > MAX_REDIRECTS) throw new BadRequest(this.target(), method, path, status, [`more than ${MAX_REDIRECTS} redirects in a row`]).withRequestId(requestId);
          url = target;
          if (status === 303) {
            method = 'GET';
            payload = undefined;
          }
          attempt--;
          continue;
        }
        if (status < 300) return { status, body: parseJson(text) as T, headers: res.headers, attempts: attempt, requestId };
        outcome = { kind: 'status', status };
        failure = this.statusError(method, path, status, res.headers, text, req.orgId, attempt).withRequestId(requestId);
        if (failure instanceof RateLimited) this.limiter.pause(req.orgId, failure.retryAfterMs);
      } catch (err) {
        if (req.signal?.aborted) throw err;
        if (err instanceof ForeignRedirect) throw err;
        const net = classifyNetworkError(err);
        if (!net) throw err;
        outcome = net.sent ? { kind: 'lost' } : { kind: 'not-sent' };
        const retryable = !net.sent || isIdempotent({ method });
        failure = net.timeout
          ? new Timeout(this.target(), method, path, net.timeout, retryable)
          : new ConnectionFailed(this.target(), method, path, net.code, retryable, net.sent);
      }
      if (attempt >= this.maxAttempts || !shouldRetry(outcome, { method })) throw failure;
      await this.clock.sleep(backoffDelay(attempt, this.backoff), req.signal);
    }
  }

  /**
   * Walks a paginated collection page by page, following `Link: rel=next`.
   * Pass `from` (a page's `next`) to resume where an earlier walk stopped.
   */
  async *pages<T>(req: Omit<RestRequest, 'method' | 'body'> & { perPage?: number; from?: string }): AsyncGenerator<Page<T>> {
    let target: string | undefined;
    let query = req.from ? undefined : { ...req.query, ...(req.perPage ? { perPage: req.perPage } : {}) };
    let path = req.from ?? req.path;
    while (true) {
      const res = await this.request<unknown>({ ...req, method: 'GET', path, query });
      const items = pageItems<T>(res.body);
      if (!items) throw new TypeError(`GET ${path}: expected a JSON array or an {items, meta} page, got ${typeof res.body}`);
      target = nextLink(res.headers['link']);
      if (target !== undefined) {
        const resolved = new URL(target, this.baseUrl);
        if (!isTrustedTarget(resolved, this.baseUrl)) throw new ForeignLink(this.target(), path, resolved.href);
        target = resolved.href;
      }
      yield { items, next: target };
      if (target === undefined) return;
      path = target;
      query = undefined;
    }
  }

  /** Every item of a paginated collection. */
  async *items<T>(req: Omit<RestRequest, 'method' | 'body'> & { perPage?: number; from?: string }): AsyncGenerator<T> {
    for await (const page of this.pages<T>(req)) yield* page.items;
  }

  get<T = unknown>(orgId: string, path: string, query?: RestRequest['query']): Promise<T> {
    return this.request<T>({ method: 'GET', orgId, path, query }).then((r) => r.body);
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  toString(): string {
    return `DashboardClient(${this.baseUrl.origin}${this.baseUrl.pathname}, apiKey=<redacted>)`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl.href, apiKey: '<redacted>' };
  }

  private target(): string {
    return `dashboard ${this.baseUrl.host}`;
  }

  private resolve(path: string, query: RestRequest['query']): URL {
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), this.baseUrl);
    if (!isTrustedTarget(url, this.baseUrl)) throw new ForeignLink(this.target(), path, url.href);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(`${name}[]`, v);
      else url.searchParams.set(name, String(value));
    }
    return url;
  }

  /** Where a 3xx points, if the key may go there; otherwise the request stops with ForeignRedirect. */
  private redirectTarget(method: HttpMethod, path: string, status: number, from: URL, location: string | undefined, requestId: string | undefined): URL {
    let target: URL | undefined;
    try {
      target = location === undefined ? undefined : new URL(location, from);
    } catch {
      target = undefined;
    }
    if (!target || !isTrustedTarget(target, this.baseUrl)) throw new ForeignRedirect(this.target(), method, path, status, location).withRequestId(requestId);
    return target;
  }

  private statusError(method: HttpMethod, path: string, status: number, headers: Record<string, string | string[] | undefined>, text: string, orgId: string, attempts: number): RestError {
    const target = this.target();
    if (status === 401 || status === 403) return new Unauthorized(target, method, path, status);
    if (status === 404) return new NotFound(target, method, path);
    if (status === 429) {
      const streak = this.limiter.rateLimited(orgId);
      return new RateLimited(target, method, path, parseRetryAfter(headers['retry-after']) ?? rateLimitBackoff(streak));
    }
    // 501 will not change on a retry; other 5xx are transient for requests that are safe to replay.
    if (status >= 500) return new ServerError(target, method, path, status, status !== 501 && isIdempotent({ method }), attempts);
    return new BadRequest(target, method, path, status, apiErrors(text));
  }
}

/** A keep-alive pool for dashboard traffic; share one per worker. */
export function createDashboardAgent(opts: { connections?: number; timeouts?: Partial<RestTimeouts> } = {}): Agent {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  return new Agent({
    connections: opts.connections ?? 16,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    connect: { timeout: timeouts.connectMs },
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A page's rows: the body itself (most endpoints) or its `items` (endpoints whose pages are `{items, meta}`). */
export function pageItems<T>(body: unknown): T[] | undefined {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items)) return (body as { items: T[] }).items;
  return undefined;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The dashboard's error body is `{ "errors": ["..."] }`. */
function apiErrors(text: string): string[] {
  const body = parseJson(text);
  if (body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)) {
    return (body as { errors: unknown[] }).errors.map(String);
  }
  return typeof body === 'string' && body ? [body.slice(0, 200)] : [];
}
