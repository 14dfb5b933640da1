/**
 * The API key comes from the caller (resolved from a credential reference
 * inside the activity) as a function, so the client never stores it in a
 * field that a logger or `util.inspect` could print.
 */
export type ApiKeySource = () => string | Promise<string>;

export type AuthScheme = 'meraki-header' | 'bearer';

export function authHeaders(key: string, scheme: AuthScheme): Record<string, string> {
  return scheme === 'bearer' ? { authorization: `Bearer ${key}` } : { 'x-cisco-meraki-api-key': key };
}
