import type { HashResult } from '../types';
import { cleanLines } from './text';

/**
 * Hash output of `verify /md5 FILE` (IOS-XE: `... = <hex>` or `Computed
 * signature = <hex>`), `show file FILE md5sum` (NX-OS: the bare hex) or
 * `md5sum FILE` (Linux: `<hex>  FILE`). A device error line is kept verbatim.
 */
export function parseHash(text: string): HashResult {
  const lines = cleanLines(text);
  for (const line of lines) {
    const computed = /Computed signature\s*=\s*([0-9a-f]{32})\b/i.exec(line);
    if (computed) return { md5: computed[1]!.toLowerCase() };
  }
  for (const line of lines) {
    const err = /^\s*%?\s*(Error.*|.*No such file.*|.*Permission denied.*|.*not found.*)$/i.exec(line);
    if (err && !/=\s*[0-9a-f]{32}\b/i.test(line)) return { error: err[0].trim() };
  }
  for (const line of lines) {
    const ios = /verify\s+\/md5\s+\(?([^)\s]+)\)?\s*=\s*([0-9a-f]{32})\b/i.exec(line);
    if (ios) return { file: ios[1], md5: ios[2]!.toLowerCase() };
    const eq = /=\s*([0-9a-f]{32})\b/i.exec(line);
    if (eq) return { md5: eq[1]!.toLowerCase() };
    const bare = /^\s*([0-9a-f]{32})(?:\s+\*?(\S+))?\s*$/i.exec(line);
    if (bare) return bare[2] ? { md5: bare[1]!.toLowerCase(), file: bare[2] } : { md5: bare[1]!.toLowerCase() };
  }
  return { error: lines.map((l) => l.trim()).find((l) => l.length > 0) ?? 'empty output' };
}
