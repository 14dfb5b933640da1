import { ParseProblem } from '../../errors';
import type { VersionInfo } from '../types';

/** An FRR release: `8.4.4`, `9.1`, `10.0.1`, with an optional pre-release tail (`9.1-dev`, `8.5-rc1`). */
const FRR_RELEASE = /^\d+\.\d+(\.\d+)?(-[\w.]+)?$/;

/**
 * FRR `show version` (vtysh, lib/command.c): `FRRouting <version>
 * (<hostname>) on <OS>(<kernel>).`, then copyright and build options.
 *
 * It prints no uptime, nor does any other vtysh command print the router's:
 * `show zebra client summary` gives how long each daemon has been connected
 * to zebra, which is not when the router booted. So `uptime` stays unset,
 * deliberately: a guessed uptime would make a restarted daemon look like a
 * reload, or hide one. FRR has no image either: `image` stays unset.
 */
export function parseFrrVersion(lines: string[]): VersionInfo {
  const first = lines.find((l) => l.trim() !== '');
  const v = first ? /^FRRouting\s+(\S+)\s+\(([^)]*)\)\s+on\s+/.exec(first.trim()) : null;
  if (!first || !v) {
    throw new ParseProblem('software version', [{ line: first?.trim() ?? '(no output)', reason: 'expected `FRRouting <version> (<hostname>) on <OS>` first' }]);
  }
  if (!FRR_RELEASE.test(v[1]!)) throw new ParseProblem('software version', [{ line: first.trim(), reason: `'${v[1]}' is not an FRR release version` }]);
  return { version: v[1]!, ...(v[2] ? { hostname: v[2] } : {}) };
}
