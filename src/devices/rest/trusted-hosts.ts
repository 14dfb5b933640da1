/**
 * Hosts the API key may be sent to besides the configured base URL's: the
 * dashboard's own domains (the global api.meraki.com sends callers to their
 * regional shard, e.g. n123.meraki.com, by a redirect, and next-page links
 * then point there) and the regional clouds (Canada, China, India, US FedRAMP).
 */
const MERAKI_DOMAINS = ['meraki.com', 'meraki.ca', 'meraki.cn', 'meraki.in', 'gov-meraki.com'];

function isMerakiHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return MERAKI_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

/**
 * May a redirect or a `Link` header send us (and so the key) to `target`?
 * Only over https to a Meraki domain, or to the configured base URL's own
 * origin (a lab or a proxy the user chose).
 */
export function isTrustedTarget(target: URL, base: URL): boolean {
  if (target.origin === base.origin) return true;
  return target.protocol === 'https:' && isMerakiHost(target.hostname);
}
