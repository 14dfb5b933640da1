import type { TimeoutKind } from './errors';

export interface NetworkFailure {
  code: string;
  /** Could the server have received the request? False only when no connection was made. */
  sent: boolean;
  timeout?: TimeoutKind;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Sorts undici/socket errors into "never sent" and "lost in flight"; undefined for anything else. */
export function classifyNetworkError(err: unknown): NetworkFailure | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  const causeCode = (err.cause as { code?: unknown } | undefined)?.code;
  const c = typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined;
  if (c === undefined) return undefined;
  if (c === 'UND_ERR_CONNECT_TIMEOUT') return { code: c, sent: false, timeout: 'connect' };
  if (c === 'UND_ERR_HEADERS_TIMEOUT') return { code: c, sent: true, timeout: 'headers' };
  if (c === 'UND_ERR_BODY_TIMEOUT') return { code: c, sent: true, timeout: 'body' };
  if (NOT_SENT.has(c)) return { code: c, sent: false };
  if (c.startsWith('UND_ERR_') || c.startsWith('E')) return { code: c, sent: true };
  return undefined;
}
