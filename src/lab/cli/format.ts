/** Small text helpers shared by the platform outputs. */

export const pad = (s: string | number, n: number): string => String(s).padEnd(n);
export const lpad = (s: string | number, n: number): string => String(s).padStart(n);

/** Column width that fits the longest value, never narrower than `min` (real CLIs widen, they do not truncate). */
export function widthOf(values: Array<string | number>, min: number): number {
  return Math.max(min, ...values.map((v) => String(v).length + 1));
}

export function hhmmss(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h >= 24) return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
  return [h, m, s % 60].map((x) => String(x).padStart(2, '0')).join(':');
}

/** Cisco's BGP Up/Down column: `00:12:00` within a day, then `2d17h`, `1w0d`, `1y10w` (IOS-XE and NX-OS alike). */
export function ciscoUpDown(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const d = Math.floor(h / 24);
  if (d >= 365) return `${Math.floor(d / 365)}y${Math.floor((d % 365) / 7)}w`;
  if (d >= 7) return `${Math.floor(d / 7)}w${d % 7}d`;
  return hhmmss(ms);
}

/** IOS style: '3 days, 4 hours, 17 minutes'. */
export function iosUptime(ms: number): string {
  const mins = Math.floor(ms / 60000);
  const parts: string[] = [];
  const w = Math.floor(mins / (7 * 1440));
  const d = Math.floor((mins % (7 * 1440)) / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  if (w) parts.push(unit(w, 'week'));
  if (d) parts.push(unit(d, 'day'));
  if (h) parts.push(unit(h, 'hour'));
  parts.push(unit(m, 'minute'));
  return parts.join(', ');
}

/** NX-OS style: '3 day(s), 4 hour(s), 17 minute(s), 2 second(s)'. */
export function nxosUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 86400)} day(s), ${Math.floor((s % 86400) / 3600)} hour(s), ${Math.floor((s % 3600) / 60)} minute(s), ${s % 60} second(s)`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Nov 23 2026 03:15:38' */
export function iosDate(d: Date): string {
  const t = d.toISOString().slice(11, 19);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.getUTCFullYear()} ${t}`;
}

/** 'Nov 23 03:15:38 2026' */
export function nxosDate(d: Date): string {
  const t = d.toISOString().slice(11, 19);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${t} ${d.getUTCFullYear()}`;
}

/** IOS short interface names used in `show standby brief`: Vlan10 -> Vl10. */
export function shortInterface(name: string): string {
  const m = /^([A-Za-z-]+)(.*)$/.exec(name);
  if (!m) return name;
  const [, kind, rest] = m;
  const map: Record<string, string> = { Vlan: 'Vl', GigabitEthernet: 'Gi', TenGigabitEthernet: 'Te', Ethernet: 'Eth', Loopback: 'Lo', 'Port-channel': 'Po' };
  return `${map[kind!] ?? kind}${rest}`;
}
