/**
 * What one collection run stores, and the interface any result store
 * implements. Workflows carry a `ResultStoreRef` and summaries only; the
 * per-device records (parsed data and capped raw output) live in the store.
 */

import type { ResultStoreRef } from '../contracts/result-store-ref';

export type { ResultStoreRef };

export interface CollectedRedundancy {
  interface: string;
  group: number;
  /** As the parser reports it: Active, Standby, Master, Backup, Listen, Init, ... */
  state: string;
  priority: number;
}

export interface CollectedBgpNeighbor {
  neighbor: string;
  as: string;
  state: string;
  established: boolean;
}

export interface CollectError {
  /** Error class, e.g. AuthenticationFailed, Unreachable, TimedOut. */
  type: string;
  message: string;
  retryable: boolean;
}

/** One device's record in one run: what `collect show` prints and `collect diff` compares. */
export interface CollectedDevice {
  device: string;
  site: string;
  platform: string;
  runId: string;
  collectedAt: string;
  reachable: boolean;
  /** Sessions it took (drops and refusals are retried inside the batch). */
  attempts: number;
  version?: string;
  image?: string;
  uptimeSeconds?: number;
  redundancy?: CollectedRedundancy[];
  bgp?: { up: number; total: number; neighbors: CollectedBgpNeighbor[] };
  interfaces?: { up: number; total: number; down: string[] };
  /** Raw outputs, each capped, for commands we do not parse (and for the ones we do). */
  outputs?: { command: string; output: string; truncated: boolean }[];
  error?: CollectError;
}

/** One line of a run's index: enough for tables and metrics without opening every device file. */
export interface IndexRow {
  device: string;
  site: string;
  reachable: boolean;
  version?: string;
  redundancy?: { group: number; state: string; priority: number }[];
  bgpUp?: number;
  bgpTotal?: number;
  error?: string;
  /** Where the record is: a line of a segment file of the run. Absent in runs stored with a file per device. */
  at?: { file: string; line: number };
}

export interface RunMeta {
  runId: string;
  name: string;
  startedAt: string;
  finishedAt?: string;
  devices: number;
  commands: string[];
  /** Filled when the run finishes. The resume counts are absent in runs stored before they were kept. */
  counts?: RunCounts;
}

export interface RunCounts {
  ok: number;
  failed: number;
  /** Batches retried after a crash, the devices they did not contact again, and those whose session the crash cut. */
  resumedBatches?: number;
  resumedDevices?: number;
  recollectedDevices?: number;
}

/**
 * A result store. The local implementation keeps
 * `<root>/<runId>/run.json`, `<root>/<runId>/index.jsonl` and
 * `<root>/<runId>/records/*.jsonl` (older runs: `devices/<device>.json`); a database or object store can
 * implement the same seven calls (puts must be idempotent: a retried batch
 * may put a device again, the last put wins).
 */
export interface ResultStore {
  /** Records (or replaces) a run's metadata. */
  putRun(meta: RunMeta): Promise<void>;
  getRun(runId: string): Promise<RunMeta | undefined>;
  /** Every run, newest first by start time. */
  listRuns(): Promise<RunMeta[]>;
  /** Stores one device's record and its index row. */
  put(runId: string, device: string, data: CollectedDevice): Promise<void>;
  get(runId: string, device: string): Promise<CollectedDevice | undefined>;
  /** The run's index, one row per device (the last put of each). */
  list(runId: string): Promise<IndexRow[]>;
  /** A device list too large for a workflow input, stored once and read by batches in slices. */
  putDeviceSet(key: string, devices: unknown[]): Promise<void>;
  getDeviceSet<T>(key: string, from: number, to: number): Promise<T[]>;
}
