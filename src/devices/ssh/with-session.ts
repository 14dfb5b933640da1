import { DeviceSession } from './session';
import type { ResolvedCredentials, SessionOptions, SessionTarget } from './types';

/** Opens one session, hands it to `fn`, and always closes it. */
export async function withSession<T>(target: SessionTarget, creds: ResolvedCredentials, fn: (s: DeviceSession) => Promise<T>, opts: SessionOptions = {}): Promise<T> {
  const session = await DeviceSession.open(target, creds, opts);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}
