import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * True when this process could create or write `dir`: it or its nearest
 * existing parent is writable. A worker that runs as an unprivileged user in
 * a read-only application directory (a container) must not pick a default
 * it cannot write.
 */
export function mayWriteDir(dir: string): boolean {
  let probe = dir;
  while (!existsSync(probe)) {
    const parent = dirname(probe);
    if (parent === probe) return false;
    probe = parent;
  }
  try {
    accessSync(probe, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The user's own data or cache directory (XDG base directories), if the environment names one. */
export function userDir(kind: 'data' | 'cache', env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = kind === 'data' ? env['XDG_DATA_HOME'] : env['XDG_CACHE_HOME'];
  if (xdg) return xdg;
  const home = env['HOME'];
  if (!home) return undefined;
  return kind === 'data' ? join(home, '.local', 'share') : join(home, '.cache');
}

/** The first candidate this process may write, else the first one (whose write will then say what is wrong). */
export function firstWritableDir(candidates: ReadonlyArray<string | undefined>): string {
  const list = candidates.filter((c): c is string => Boolean(c));
  return list.find(mayWriteDir) ?? list[0]!;
}
