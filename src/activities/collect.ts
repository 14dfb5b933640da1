import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { isDeviceError, ParseProblem, UnreadableOutput } from '../devices/errors';
import { dialectFor, parseBgpSummary, parseInterfaces, parseRedundancy, parseVersion, type BgpNeighbor, type InterfaceBrief, type RedundancyEntry } from '../devices/platforms';
import type { DeviceSession } from '../devices/ssh/session';
import type { Platform } from '../inventory/types';
import { openResultStore, type CollectedDevice, type CollectError, type ResultStoreRef, type RunCounts, type RunMeta } from '../results';
import type { CollectBatchInput, CollectBatchResult, CollectProfile, CollectTimings, DeviceOutcome } from '../contracts/collect';
import { cutByCrash, mergeCheckpoint, type BatchCheckpoint } from '../contracts/collect-batches';
import type { DeviceTarget } from '../contracts/rollout';
import { deviceActivity, heartbeat, previousHeartbeat, sleep, type DeviceRuntime } from './runtime';

const MAX_OUTPUT = 16_000;

type Parsed = 'version' | 'redundancy' | 'bgp' | 'interfaces';

/** The commands a device runs, resolved for its platform, and what each is parsed as. */
export function commandsFor(platform: Platform, commands: string[] | undefined, profile: CollectProfile = 'health'): { command: string; parse?: Parsed }[] {
  const d = dialectFor(platform).commands;
  const list = commands?.length ? commands.map((c) => pickAlternative(c, Object.values(d).filter((v): v is string => typeof v === 'string'))) : profileCommands(platform, profile);
  return list.map((command) => {
    const parse = parsedAs(platform, command);
    return parse ? { command, parse } : { command };
  });
}

function profileCommands(platform: Platform, profile: CollectProfile): string[] {
  const d = dialectFor(platform).commands;
  switch (profile) {
    case 'health':
      return [d.version, d.redundancy, d.bgpSummary, d.interfaces];
  }
}

/**
 * `show standby brief|show hsrp brief|show vrrp` names one question in each
 * platform's words: the one this platform's dialect uses wins, else the
 * first. A `|` followed by anything but `show` is an output filter, kept.
 */
export function pickAlternative(command: string, platformCommands: string[]): string {
  const parts = command.split('|').map((p) => p.trim());
  if (parts.length < 2 || !parts.every((p) => /^show\s/i.test(p))) return command.trim();
  return parts.find((p) => platformCommands.includes(p)) ?? parts[0]!;
}

function parsedAs(platform: Platform, command: string): Parsed | undefined {
  const c = command.trim().toLowerCase().replace(/\s+/g, ' ');
  const d = dialectFor(platform).commands;
  if (c === d.version || c === 'show version') return 'version';
  if (c === d.redundancy || ['show standby brief', 'show hsrp brief', 'show vrrp', 'show vrrp brief'].includes(c)) return 'redundancy';
  if (/^show (ip )?bgp (ipv4 unicast )?summary$/.test(c)) return 'bgp';
  if (c === d.interfaces) return 'interfaces';
  // FRR's brief table shows only the administrative state (a protodown VRRP backup reads `up`): not read as interface health.
  if (platform !== 'frr' && /^show (ip )?interfaces? brief$/.test(c)) return 'interfaces';
  return undefined;
}

/** Runs the planned commands on one open session and parses what it can. */
async function collectOn(s: DeviceSession, device: DeviceTarget, plan: { command: string; parse?: Parsed }[], timings: CollectTimings): Promise<Omit<CollectedDevice, 'runId' | 'collectedAt' | 'attempts'>> {
  const record: Omit<CollectedDevice, 'runId' | 'collectedAt' | 'attempts'> = { device: device.name, site: device.site, platform: device.platform, reachable: true, outputs: [] };
  for (const step of plan) {
    const output = await s.run(step.command, { check: step.parse === 'version', timeoutMs: timings.commandTimeoutMs });
    record.outputs!.push({ command: step.command, output: output.slice(0, MAX_OUTPUT), truncated: output.length > MAX_OUTPUT });
    try {
      readParsed(record, device.platform, step.parse, output);
    } catch (err) {
      if (!(err instanceof ParseProblem)) throw err;
      // Reported, not retried: the device answered; the rows that could be read are kept beside the problem.
      keep(record, step.parse, err.partial);
      const e = new UnreadableOutput(device.name, step.command, err);
      record.error ??= { type: e.name, message: e.message, retryable: false };
    }
  }
  return record;
}

type CollectedRecord = Omit<CollectedDevice, 'runId' | 'collectedAt' | 'attempts'>;

function readParsed(record: CollectedRecord, platform: Platform, parse: Parsed | undefined, output: string): void {
  switch (parse) {
    case 'version': {
      const v = parseVersion(platform, output);
      record.version = v.version;
      if (v.image) record.image = v.image;
      if (v.uptimeSeconds !== undefined) record.uptimeSeconds = v.uptimeSeconds;
      return;
    }
    case 'redundancy':
      return keep(record, parse, parseRedundancy(platform, output));
    case 'bgp':
      return keep(record, parse, parseBgpSummary(output));
    case 'interfaces':
      return keep(record, parse, parseInterfaces(platform, output));
  }
}

/** A parsed table as the record stores it. */
function keep(record: CollectedRecord, parse: Parsed | undefined, rows: unknown[]): void {
  if (parse === 'redundancy') record.redundancy = (rows as RedundancyEntry[]).map((r) => ({ interface: r.interface, group: r.group, state: r.state, priority: r.priority }));
  if (parse === 'bgp') {
    const neighbors = (rows as BgpNeighbor[]).map(({ neighbor, as, state, established }) => ({ neighbor, as, state, established }));
    record.bgp = { up: neighbors.filter((n) => n.established).length, total: neighbors.length, neighbors };
  }
  if (parse === 'interfaces') {
    const ifs = rows as InterfaceBrief[];
    record.interfaces = { up: ifs.filter((i) => i.up).length, total: ifs.length, down: ifs.filter((i) => !i.up).map((i) => i.interface) };
  }
}

function errorOf(err: unknown): CollectError {
  if (isDeviceError(err)) return { type: err.name, message: err.message, retryable: err.retryable };
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'SecretResolutionError') return { type: e.name, message: e.message, retryable: false };
  return { type: e.name || 'Error', message: e.message, retryable: true };
}

function cancelled(): boolean {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false;
  }
}

/** Where one device's record goes, and who wants to know while its session is open. */
export interface DeviceSink {
  save(record: CollectedDevice): Promise<void>;
  /** A session is open and its device not stored yet (the batch's in-flight checkpoint). */
  sessionOpen?(device: string): void;
  /** That session stored its device or failed. */
  sessionDone?(device: string): void;
}

/**
 * One device, start to finish: retryable failures (a dropped session, a
 * refused connection, a timeout) get a fresh session after a pause, each
 * one through the worker's limiter; what still fails becomes the device's
 * error record. Returns the record once `sink` has stored it. Never throws
 * for device trouble; a store failure is thrown as it is.
 *
 * A collected record is stored before its session says goodbye. A crash
 * can then cut the session of a device already stored (it is not asked
 * again), but can never lose the record of a session that collected the
 * device and ended cleanly: it could only be collected twice if it were.
 */
export async function collectDevice(
  rt: DeviceRuntime,
  runId: string,
  device: DeviceTarget,
  plan: { command: string; parse?: Parsed }[],
  timings: CollectTimings,
  sink: DeviceSink,
): Promise<CollectedDevice> {
  let delay = timings.retryDelayMs;
  for (let attempt = 1; ; attempt++) {
    let storeFailure: { error: unknown } | undefined;
    try {
      return await rt.session(device, async (s) => {
        sink.sessionOpen?.(device.name);
        try {
          const data = await collectOn(s, device, plan, timings);
          const record: CollectedDevice = { ...data, runId, collectedAt: new Date().toISOString(), attempts: attempt };
          try {
            await sink.save(record);
          } catch (error) {
            storeFailure = { error };
            throw error;
          }
          return record;
        } finally {
          sink.sessionDone?.(device.name);
        }
      });
    } catch (err) {
      if (storeFailure) throw storeFailure.error;
      if (cancelled()) throw err;
      const error = errorOf(err);
      if (!error.retryable || attempt >= timings.deviceAttempts) {
        const record: CollectedDevice = { device: device.name, site: device.site, platform: device.platform, runId, collectedAt: new Date().toISOString(), reachable: false, attempts: attempt, error };
        await sink.save(record);
        return record;
      }
      await sleep(delay);
      delay *= 2;
    }
  }
}

function outcomeOf(r: CollectedDevice): DeviceOutcome {
  return r.error ? { device: r.device, ok: false, error: { type: r.error.type, message: r.error.message.slice(0, 300) } } : { device: r.device, ok: true };
}

/** Runs `fn` over `items` with at most `limit` at once; stops starting new ones once `stop()` says so. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !stop()) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export function collectActivities(rt: DeviceRuntime) {
  /** Records the run in the store before any device is contacted. */
  async function beginCollectRun(input: { store: ResultStoreRef; meta: RunMeta }): Promise<void> {
    const store = openResultStore(input.store);
    const existing = await store.getRun(input.meta.runId);
    await store.putRun(existing ? { ...existing, ...input.meta, startedAt: existing.startedAt } : input.meta);
  }

  /** Marks the run finished; returns the time it did, for the workflow's result. */
  async function finishCollectRun(input: { store: ResultStoreRef; runId: string; counts: RunCounts }): Promise<string> {
    const store = openResultStore(input.store);
    const meta = await store.getRun(input.runId);
    const finishedAt = new Date().toISOString();
    if (meta) await store.putRun({ ...meta, finishedAt, counts: input.counts });
    return finishedAt;
  }

  /**
   * One batch: many devices at once inside one activity. The heartbeat
   * checkpoint holds every stored device and the devices whose session is
   * open. A retry skips what the checkpoint or the store has (at most once
   * for everything stored), and collects again - and counts - the devices
   * the previous attempt had in flight and did not store (at least once for
   * sessions a crash cut; show commands are read-only).
   */
  async function collectBatch(input: CollectBatchInput): Promise<CollectBatchResult> {
    const store = openResultStore(input.store);
    // Every concurrent session listens for cancellation on the activity's one signal.
    try {
      setMaxListeners(input.concurrency + 10, Context.current().cancellationSignal);
    } catch {
      // not in an activity context
    }
    const devices = input.devices ?? (input.deviceSet ? await store.getDeviceSet<DeviceTarget>(input.deviceSet.key, input.deviceSet.from, input.deviceSet.to) : []);
    const names = devices.map((d) => d.name);
    const previous = previousHeartbeat<BatchCheckpoint>();
    const retried = previous !== undefined || attemptNumber() > 1;
    const stored = retried ? (await store.list(input.runId)).map((r): DeviceOutcome => (r.error ? { device: r.device, ok: false, error: { type: r.error.split(':')[0] ?? 'Error', message: r.error } } : { device: r.device, ok: true })) : [];
    const done = mergeCheckpoint(previous, stored, names);
    const resumed = done.size;
    const cut = cutByCrash(previous, done, names);
    const inFlight = new Set<string>();
    const beat = () => heartbeat({ done: [...done.values()], inFlight: [...inFlight], ...(cut.length ? { cut } : {}) } satisfies BatchCheckpoint);
    beat();
    // Devices waiting for a limiter slot do not heartbeat by themselves.
    const ticker = setInterval(beat, Math.max(200, Math.floor(input.timings.heartbeatTimeoutMs / 3)));
    // A batch speaks to a handful of platforms: resolve each one's commands once, not per device.
    const plans = new Map<Platform, { command: string; parse?: Parsed }[]>();
    const planFor = (platform: Platform) => plans.get(platform) ?? plans.set(platform, commandsFor(platform, input.commands, input.profile)).get(platform)!;
    try {
      const todo = devices.filter((d) => !done.has(d.name));
      await pool(
        todo,
        input.concurrency,
        async (d) => {
          await collectDevice(rt, input.runId, d, planFor(d.platform), input.timings, {
            save: async (record) => {
              await store.put(input.runId, d.name, record);
              done.set(d.name, outcomeOf(record));
            },
            sessionOpen: (name) => {
              inFlight.add(name);
              beat();
            },
            sessionDone: (name) => inFlight.delete(name),
          });
          beat();
        },
        cancelled,
      );
    } finally {
      clearInterval(ticker);
    }
    if (cancelled()) throw new Error(`batch ${input.batch} cancelled after ${done.size} of ${devices.length} devices`);
    return { batch: input.batch, resumed, recollected: cut.length, outcomes: names.map((n) => done.get(n)!) };
  }

  // The run's first write fails fast, not forever, when the store cannot be written (ResultStoreUnwritable).
  return { beginCollectRun: deviceActivity(beginCollectRun), finishCollectRun: deviceActivity(finishCollectRun), collectBatch };
}

function attemptNumber(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export type CollectActivities = ReturnType<typeof collectActivities>;
