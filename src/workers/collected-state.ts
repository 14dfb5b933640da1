import { Gauge, type Registry } from 'prom-client';
import { openResultStore, type IndexRow, type ResultStore, type ResultStoreRef, type RunMeta } from '../results';

export interface CollectedStateOptions {
  /** The store to read; default the worker's local store (NETOPS_RESULTS_DIR or .data/results). */
  store?: ResultStore | ResultStoreRef;
  /** How long one read of the store serves scrapes (default 10 s): a 10,000-device index is read once, not per gauge. */
  cacheMs?: number;
}

export interface CollectedStateMetrics {
  /** The run the gauges currently describe, after a fresh read. */
  currentRun(): Promise<RunMeta | undefined>;
  /** Removes the gauges from the registry. */
  detach(): void;
}

/**
 * Exports the last finished collection's state as gauges, read from the
 * result store at scrape time:
 *
 *   netops_device_up{device,site}                  1 collected, 0 failed
 *   netops_device_version_info{device,version}     1
 *   netops_redundancy_state{device,group,state}    1 per HSRP/VRRP group
 *   netops_bgp_neighbors_up{device}                established neighbours
 *   netops_collect_last_run_timestamp_seconds      when that run finished
 *
 * Attach it to the worker's registry, e.g. in runtime.ts right after
 * `createPrometheusMetrics()`: `attachCollectedStateMetrics(prom.registry)`.
 */
export function attachCollectedStateMetrics(registry: Registry, opts: CollectedStateOptions = {}): CollectedStateMetrics {
  const store = !opts.store || 'kind' in opts.store ? openResultStore(opts.store as ResultStoreRef | undefined) : opts.store;
  const cacheMs = opts.cacheMs ?? 10_000;
  let cached: { at: number; run?: RunMeta; rows: IndexRow[] } | undefined;
  let loading: Promise<{ run?: RunMeta; rows: IndexRow[] }> | undefined;

  const load = (): Promise<{ run?: RunMeta; rows: IndexRow[] }> => {
    if (cached && Date.now() - cached.at < cacheMs) return Promise.resolve(cached);
    loading ??= (async () => {
      const run = (await store.listRuns()).find((r) => r.finishedAt);
      const rows = run ? await store.list(run.runId) : [];
      cached = { at: Date.now(), rows, ...(run ? { run } : {}) };
      return cached;
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, state: { run?: RunMeta; rows: IndexRow[] }) => void): Gauge =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const state = await load();
        this.reset();
        fill(this, state);
      },
    });

  const names = [
    'netops_device_up',
    'netops_device_version_info',
    'netops_redundancy_state',
    'netops_bgp_neighbors_up',
    'netops_collect_last_run_timestamp_seconds',
  ];
  gauge(names[0]!, 'Whether the last collection reached and read the device (1) or failed (0).', ['device', 'site'], (g, { rows }) => {
    for (const r of rows) g.set({ device: r.device, site: r.site }, r.reachable ? 1 : 0);
  });
  gauge(names[1]!, 'Software version the device reported in the last collection (always 1).', ['device', 'version'], (g, { rows }) => {
    for (const r of rows) if (r.version) g.set({ device: r.device, version: r.version }, 1);
  });
  gauge(names[2]!, 'HSRP/VRRP state of each group on the device in the last collection (always 1).', ['device', 'group', 'state'], (g, { rows }) => {
    for (const r of rows) for (const x of r.redundancy ?? []) g.set({ device: r.device, group: String(x.group), state: x.state }, 1);
  });
  gauge(names[3]!, 'Established BGP neighbours in the last collection.', ['device'], (g, { rows }) => {
    for (const r of rows) if (r.bgpUp !== undefined) g.set({ device: r.device }, r.bgpUp);
  });
  gauge(names[4]!, 'When the collection these gauges describe finished (Unix seconds).', [], (g, { run }) => {
    if (run?.finishedAt) g.set(Date.parse(run.finishedAt) / 1000);
  });

  return {
    async currentRun() {
      cached = undefined;
      return (await load()).run;
    },
    detach() {
      for (const n of names) registry.removeSingleMetric(n);
    },
  };
}
