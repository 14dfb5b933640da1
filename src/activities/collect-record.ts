import { ParseProblem, UnreadableOutput } from '../devices/errors';
import { parseShow, type CollectedShow, type ParsedShow, type PlannedShow } from '../devices/platforms';
import type { DeviceSession } from '../devices/ssh/session';
import type { Platform } from '../inventory/types';
import type { CollectedDevice } from '../results';

/** Raw output kept per command in the record; the parsed fields hold the rest. */
const MAX_OUTPUT = 16_000;

/** A device's record before the run stamps it (run id, time, attempt). */
export type DeviceData = Omit<CollectedDevice, 'runId' | 'collectedAt' | 'attempts'>;

/**
 * Runs the planned commands on one open session. Each output is parsed
 * while the device works on the next command, so the session is not held
 * open for parsing; an unreadable table is the device's error (reported,
 * not retried: the same output would fail the same way), with the rows
 * that could be read kept beside it.
 */
export async function readDevice(s: DeviceSession, device: { name: string; site: string; platform: Platform }, plan: PlannedShow[], commandTimeoutMs: number): Promise<DeviceData> {
  const record: DeviceData = { device: device.name, site: device.site, platform: device.platform, reachable: true, outputs: [] };
  const run = (step: PlannedShow) => s.run(step.command, { check: step.parse === 'version', timeoutMs: commandTimeoutMs });
  let pending = plan.length ? run(plan[0]!) : undefined;
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i]!;
    const output = await pending!;
    // The next command goes out first; this one's output is read meanwhile.
    pending = i + 1 < plan.length ? run(plan[i + 1]!) : undefined;
    // A rejection of the next command surfaces when it is awaited, not here.
    pending?.catch(() => undefined);
    record.outputs!.push({ command: step.command, output: output.length > MAX_OUTPUT ? output.slice(0, MAX_OUTPUT) : output, truncated: output.length > MAX_OUTPUT });
    if (step.parse) readInto(record, device, step.command, step.parse, output);
  }
  return record;
}

function readInto(record: DeviceData, device: { name: string; platform: Platform }, command: string, as: CollectedShow, output: string): void {
  try {
    keep(record, parseShow(device.platform, as, output));
  } catch (err) {
    if (!(err instanceof ParseProblem)) throw err;
    if (as !== 'version') keep(record, { as, value: err.partial } as ParsedShow);
    const e = new UnreadableOutput(device.name, command, err);
    record.error ??= { type: e.name, message: e.message, retryable: false };
  }
}

/** A parsed output as the record stores it: what `collect show` and `collect diff` read. */
function keep(record: DeviceData, parsed: ParsedShow): void {
  switch (parsed.as) {
    case 'version': {
      const v = parsed.value;
      record.version = v.version;
      if (v.image) record.image = v.image;
      if (v.uptimeSeconds !== undefined) record.uptimeSeconds = v.uptimeSeconds;
      return;
    }
    case 'redundancy':
      record.redundancy = parsed.value.map((r) => ({ interface: r.interface, group: r.group, state: r.state, priority: r.priority }));
      return;
    case 'bgp': {
      const neighbors = parsed.value.map(({ neighbor, as, state, established }) => ({ neighbor, as, state, established }));
      record.bgp = { up: neighbors.filter((n) => n.established).length, total: neighbors.length, neighbors };
      return;
    }
    case 'interfaces': {
      const ifs = parsed.value;
      record.interfaces = { up: ifs.filter((i) => i.up).length, total: ifs.length, down: ifs.filter((i) => !i.up).map((i) => i.interface) };
      return;
    }
  }
}
