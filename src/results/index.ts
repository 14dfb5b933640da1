import { join } from 'node:path';
import { LocalResultStore } from './local-store';
import type { ResultStore, ResultStoreRef } from './types';
import { firstWritableDir, userDir } from './writable-dir';

export * from './types';
export { LocalResultStore, InvalidResultKey, ResultStoreUnwritable } from './local-store';
export { indexRowOf, lastRowPerDevice } from './index-row';
export { diffRuns, diffDevice, describeChange, type RunDiff, type DeviceChange } from './diff';

/**
 * NETOPS_RESULTS_DIR; else `.data/results` under the current directory when
 * this process may write there; else the user's data directory
 * ($XDG_DATA_HOME or ~/.local/share)/netops/results. A worker in a read-only
 * application directory thus stores where it may; with neither writable the
 * first write says what to set (ResultStoreUnwritable).
 */
export function defaultResultsRoot(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (env['NETOPS_RESULTS_DIR']) return env['NETOPS_RESULTS_DIR'];
  const user = userDir('data', env);
  return firstWritableDir([join(cwd, '.data', 'results'), user && join(user, 'netops', 'results')]);
}

/** Opens the store a reference names; one instance per root, so device-set caches are shared. */
export function openResultStore(ref: ResultStoreRef = { kind: 'local' }): ResultStore {
  if (ref.kind !== 'local') throw new Error(`unknown result store kind '${(ref as { kind: string }).kind}'`);
  const root = ref.root ?? defaultResultsRoot();
  let store = stores.get(root);
  if (!store) {
    store = new LocalResultStore(root);
    stores.set(root, store);
  }
  return store;
}

const stores = new Map<string, ResultStore>();
