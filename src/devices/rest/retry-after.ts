/**
 * Reads `Retry-After` as a delay in ms: either delta-seconds ("2", "0.5" is
 * tolerated) or an HTTP-date. A date in the past means "now" (0). Anything
 * unreadable gives undefined so the caller falls back to its own back-off.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number = Date.now()): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  // Only a date-looking value is accepted, so "soon" or "-1" do not parse as dates.
  if (!/[a-z]/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
