import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleWorkflowCode, type Logger } from '@temporalio/worker';

export interface BundleCacheOptions {
  /** The project root: its src/ and package-lock.json decide what the bundle holds. */
  root: string;
  /** Where bundles are kept, one file per source hash. */
  dir: string;
  workflowsPath: string;
  logger?: Logger;
}

/**
 * The workflow bundle, built once per version of the source. Bundling takes
 * 5 s on a quiet machine and far longer on a busy one, and it used to happen
 * at every `netops worker` start, so a worker restarted after a crash was
 * slowest exactly when work waited for it. The key hashes every file under
 * src/ and the lockfile (what the bundler can reach), so a changed workflow
 * or dependency always gets a fresh bundle. A cache that cannot be written
 * (read-only install) costs only the time it would have saved.
 */
export type CachedBundle = ({ codePath: string } | { code: string }) & { fromCache: boolean };

export async function cachedWorkflowBundle(opts: BundleCacheOptions): Promise<CachedBundle> {
  const file = join(opts.dir, `workflows-${sourceHash(opts.root)}.js`);
  if (existsSync(file)) return { codePath: file, fromCache: true };
  const { code } = await bundleWorkflowCode({ workflowsPath: opts.workflowsPath, ...(opts.logger ? { logger: opts.logger } : {}) });
  try {
    mkdirSync(opts.dir, { recursive: true });
    // Written aside and renamed, so a worker starting at the same moment never reads half a bundle.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
    return { codePath: file, fromCache: false };
  } catch (err) {
    opts.logger?.warn(
      `workflow bundle cache ${opts.dir} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): this worker bundles at every start; set NETOPS_BUNDLE_CACHE to a writable directory (in a container: a volume)`,
    );
    return { code, fromCache: false };
  }
}

/** A hash of every source file under src/ (path and content) and the lockfile. */
export function sourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(join(root, 'src'))) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex').slice(0, 20);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}
