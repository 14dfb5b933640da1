import { DeviceError } from '../errors';
import type { HttpMethod } from './retry-policy';

/**
 * What a dashboard API call can fail with. Messages name the method, the
 * path and the status, never headers, so an API key cannot leak through an
 * error, a log line or an activity failure.
 */
export abstract class RestError extends DeviceError {
  /** The dashboard's X-Request-Id of the answer, for Meraki support to find the request in their logs. */
  requestId: string | undefined;

  constructor(
    readonly target: string,
    readonly method: HttpMethod,
    readonly path: string,
    readonly status: number | undefined,
    what: string,
    hint: string,
  ) {
    super(target, `${method} ${path}${status === undefined ? '' : ` answered ${status}`}: ${what}`, hint);
  }
  /** Records the answer's X-Request-Id, in the message too, so it reaches logs and activity failures. */
  withRequestId(requestId: string | undefined): this {
    if (requestId === undefined || requestId === '') return this;
    this.requestId = requestId;
    this.message = `${this.message} (X-Request-Id ${requestId})`;
    return this;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, path: this.path, status: this.status, ...(this.requestId ? { requestId: this.requestId } : {}) };
  }
}

export class Unauthorized extends RestError {
  readonly retryable = false;
  constructor(target: string, method: HttpMethod, path: string, status: number) {
    super(target, method, path, status, 'the API key was refused', 'Check the API key the credential reference points at and that it has access to this organisation; retrying will not help.');
  }
}

export class NotFound extends RestError {
  readonly retryable = false;
  constructor(target: string, method: HttpMethod, path: string) {
    super(target, method, path, 404, 'no such resource (or the API key cannot see it)', 'Check the organisation, network or serial id.');
  }
}

export class BadRequest extends RestError {
  readonly retryable = false;
  constructor(
    target: string,
    method: HttpMethod,
    path: string,
    status: number,
    readonly apiErrors: string[],
  ) {
    super(target, method, path, status, apiErrors.length ? apiErrors.join('; ') : 'the request was rejected', 'Fix the request; sending it again unchanged will fail the same way.');
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), apiErrors: this.apiErrors };
  }
}

export class RateLimited extends RestError {
  readonly retryable = true;
  constructor(
    target: string,
    method: HttpMethod,
    path: string,
    /** How long the server asked us to wait; use it as the next retry delay. */
    readonly retryAfterMs: number,
  ) {
    super(target, method, path, 429, `rate limited, retry after ${retryAfterMs} ms`, 'The organisation exceeded its API budget (shared by every application using it); the request was not processed and is safe to send again after the delay.');
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

export class ServerError extends RestError {
  /** True when the request was a write that the server may have applied before failing. */
  readonly writeMayHaveHappened: boolean;
  constructor(
    target: string,
    method: HttpMethod,
    path: string,
    status: number,
    /** False for a write that may already have been applied, and for 501. */
    readonly retryable: boolean,
    attempts: number,
  ) {
    const uncertain = !retryable && status !== 501;
    super(
      target,
      method,
      path,
      status,
      retryable
        ? `server error after ${attempts} attempt(s)`
        : uncertain
          ? 'server error on a non-idempotent request: the write may or may not have happened'
          : 'the server does not implement this request',
      retryable
        ? 'The dashboard is having trouble; try again later.'
        : uncertain
          ? 'Read the resource to see whether the change was applied before sending it again.'
          : 'Retrying will not help; check the API version and path.',
    );
    this.writeMayHaveHappened = uncertain;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), writeMayHaveHappened: this.writeMayHaveHappened };
  }
}

export type TimeoutKind = 'connect' | 'headers' | 'body';

export class Timeout extends RestError {
  constructor(
    target: string,
    method: HttpMethod,
    path: string,
    readonly kind: TimeoutKind,
    readonly retryable: boolean,
  ) {
    super(
      target,
      method,
      path,
      undefined,
      `no ${kind === 'connect' ? 'connection' : kind === 'headers' ? 'response headers' : 'complete response body'} in time${retryable || kind === 'connect' ? '' : '; the write may or may not have happened'}`,
      retryable ? 'The dashboard is slow or unreachable; try again later.' : 'Read the resource to see whether the change was applied before sending it again.',
    );
  }
}

export class ConnectionFailed extends RestError {
  constructor(
    target: string,
    method: HttpMethod,
    path: string,
    readonly code: string,
    readonly retryable: boolean,
    sent: boolean,
  ) {
    super(
      target,
      method,
      path,
      undefined,
      `connection failed (${code})${sent && !retryable ? '; the write may or may not have happened' : ''}`,
      sent && !retryable ? 'Read the resource to see whether the change was applied before sending it again.' : 'Check that the dashboard URL is reachable from this worker.',
    );
  }
}

/** A `Link: rel=next` pointed at a host that is neither Meraki's nor the base URL's; following it would hand the API key to that host. */
export class ForeignLink extends RestError {
  readonly retryable = false;
  constructor(target: string, path: string, link: string) {
    super(target, 'GET', path, undefined, `the next-page link points at another origin (${new URL(link).origin})`, 'Refusing to send the API key there; check the dashboard base URL.');
  }
}

/** A 3xx sent us to a host that is neither Meraki's nor the base URL's (or had no usable Location). */
export class ForeignRedirect extends RestError {
  readonly retryable = false;
  constructor(target: string, method: HttpMethod, path: string, status: number, location: string | undefined) {
    super(
      target,
      method,
      path,
      status,
      location === undefined ? 'a redirect without a Location header' : `a redirect to ${safeOrigin(location)}, which is not a Meraki host nor the configured base URL's`,
      'Refusing to send the API key there; check the dashboard base URL (use your region\'s API host, e.g. https://api.meraki.ca/api/v1).',
    );
  }
}

function safeOrigin(location: string): string {
  try {
    return new URL(location).origin;
  } catch {
    return JSON.stringify(location.slice(0, 80));
  }
}
