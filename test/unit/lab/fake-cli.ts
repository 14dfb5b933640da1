import { LAB_COMMANDS } from '../../../src/lab/cli/commands';
import { CliSession, type SessionHost } from '../../../src/lab/cli/session';
import { LabDevice } from '../../../src/lab/device';
import { EventLog } from '../../../src/lab/events';
import type { Fabric } from '../../../src/lab/fabric';
import { DEFAULT_CREDENTIALS } from '../../../src/lab/lab';
import { RedundancyGroup } from '../../../src/lab/redundancy';
import { FAST_TIMINGS } from '../../../src/lab/timings';
import { initialConfig } from '../../../src/lab/topology';
import type { LabDeviceSpec, LabPlatform } from '../../../src/lab/types';

/** A device and a CLI session on it, wired to an in-memory terminal (no sockets). */
export function fakeDevice(platform: LabPlatform, spec: Partial<LabDeviceSpec> = {}) {
  const log = new EventLog();
  const full: LabDeviceSpec = { name: 'r1-a', platform, site: 'site1', redundancyGroup: 'site1-g1', ...spec };
  const device = new LabDevice(full, initialConfig(full, 0, 0, 0, 0), { timings: FAST_TIMINGS, log });
  const group = new RedundancyGroup('site1-g1', log, FAST_TIMINGS.holdMs);
  group.add(device);
  device.group = group;
  group.bootstrap();
  return { device, log, group };
}

export class FakeTerminal {
  output = '';
  ended: number | undefined;
  dropped = false;
  readonly session: CliSession;
  mutating: string[] = [];

  constructor(
    readonly device: LabDevice,
    log: EventLog,
    interactive = true,
    fabric?: Fabric,
  ) {
    const host: SessionHost = {
      commands: LAB_COMMANDS,
      timings: FAST_TIMINGS,
      log,
      credentials: DEFAULT_CREDENTIALS,
      peersOf: (d) => [d],
      fabric,
      markMutating: (r) => this.mutating.push(r),
    };
    this.session = new CliSession(
      device,
      host,
      {
        write: (t) => (this.output += t),
        end: (code = 0) => (this.ended = code),
        drop: () => (this.dropped = true),
      },
      'test/1',
      interactive,
    );
  }

  /** Types a line and waits until the session is idle again; returns the new output. */
  async type(text: string): Promise<string> {
    const before = this.output.length;
    this.session.onData(text);
    await new Promise((r) => setTimeout(r, 5));
    return this.output.slice(before);
  }

  async line(text: string): Promise<string> {
    return this.type(`${text}\r`);
  }
}
