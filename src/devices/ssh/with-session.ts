import { SessionClosed } from '../errors';
import { DeviceSession } from './session';
import type { ResolvedCredentials, SessionOptions, SessionTarget } from './types';

/**
 * Opens one session, hands it to `fn`, and always closes it. An abort signal
 * (activity cancellation) closes the session mid-command, so whatever `fn`
 * is waiting on fails promptly instead of running to its timeout.
 */
export async function withSession<T>(target: SessionTarget, creds: ResolvedCredentials, fn: (s: DeviceSession) => Promise<T>, opts: SessionOptions = {}): Promise<T> {
  if (opts.signal?.aborted) throw new SessionClosed(target.name, 'cancelled before connecting');
  const session = await DeviceSession.open(target, creds, opts);
  const onAbort = (): void => session.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(session);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    session.close();
  }
}
