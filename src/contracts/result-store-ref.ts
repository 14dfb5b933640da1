/** Where results live. `local` is a directory tree; other kinds (a database, an object store) implement ResultStore (results/types.ts). */
export interface ResultStoreRef {
  kind: 'local';
  /** Root directory; omitted: the worker's default (NETOPS_RESULTS_DIR, else `.data/results` under its working directory). */
  root?: string;
}
