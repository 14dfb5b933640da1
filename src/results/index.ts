import { join } from 'node:path';
import { LocalResultStore } from './local-store';
import type { ResultStore, ResultStoreRef } from './types';

export * from './types';
export { LocalResultStore, InvalidResultKey } from './local-store';
export { indexRowOf, lastRowPerDevice } from './index-row';
export { diffRuns, diffDevice, describeChange, type RunDiff, type DeviceChange } from './diff';

/** NETOPS_RESULTS_DIR, else `.data/results` under the current directory. */
export function defaultResultsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env['NETOPS_RESULTS_DIR'] || join(process.cwd(), '.data', 'results');
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
