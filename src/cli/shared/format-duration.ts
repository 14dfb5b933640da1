/**
 * A duration for people. Reports speak in seconds: `500ms`, `45s`, `1m05s`,
 * `2h03m`. Plans speak in minutes, since a rollout can span days: `0m`,
 * `1h30m`, `1d2h`, `3d4h5m`.
 */
export function formatDuration(ms: number, precision: 'seconds' | 'minutes' = 'seconds'): string {
  if (precision === 'minutes') {
    let rest = Math.round(ms / 60_000);
    const parts: string[] = [];
    for (const [label, minutes] of [['d', 1440], ['h', 60], ['m', 1]] as const) {
      const n = Math.floor(rest / minutes);
      rest -= n * minutes;
      if (n > 0) parts.push(`${n}${label}`);
    }
    return parts.join('') || '0m';
  }
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
