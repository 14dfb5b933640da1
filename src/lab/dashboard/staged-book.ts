import { FirmwareProblem, type FirmwareBook } from './firmware-book';
import { versionById } from './firmware-catalog';
import type { SimDevice, SimNetwork, SimVersion } from './model';

/** A staged upgrade group of a switch network, as `GET .../staged/groups` shows it. */
export interface SimStagedGroup {
  groupId: string;
  name: string;
  description: string;
  isDefault: boolean;
  serials: string[];
}

interface SimStage {
  groupId: string;
  /** `scheduledFor` as the client sent it (normalised to RFC 3339), echoed back. */
  scheduledText: string;
  scheduledMs: number;
  startedMs?: number;
  completedMs?: number;
  canceledMs?: number;
  serials: string[];
}

interface SimEvent {
  fromId: string;
  toId: string;
  stages: SimStage[];
  reasons: { category: string; comment: string }[];
  /** Whether the last stage's completion switches the network's version to `toId` (a rollback of an event that never finished does not). */
  switchesNetwork: boolean;
  /** Every stage that runs has completed (and the network was switched if it was to be). */
  settled: boolean;
}

const WEEK_MS = 7 * 24 * 3600_000;

/**
 * Staged upgrades of switch networks (`/networks/{id}/firmwareUpgrades/staged/...`).
 * The specification gives the shapes; the behaviour here is the lab's own
 * choice where it is silent: stages run one after the other (a stage starts
 * at its time, or when the one before it completes if that is later) and
 * each takes `upgradeDurationMs`; a stage's switches report the new firmware
 * once it completes (a device told to miss the upgrade keeps its old one);
 * the network's `currentVersion` changes when the last stage completes;
 * `status` reads Scheduled, In progress, Completed or Canceled; a network
 * with no event answers `{ stages: [] }`; a rollback re-runs the started
 * stages back to the version before and cancels the pending ones.
 */
export class StagedBook {
  private readonly groups = new Map<string, SimStagedGroup[]>();
  private readonly order = new Map<string, string[]>();
  private readonly events = new Map<string, SimEvent>();
  /** Firmware version id a device of a staged network reports, while its network's event says so. */
  private readonly deviceVersion = new Map<string, string>();
  private nextGroupId = 1000;

  constructor(
    private readonly firmware: FirmwareBook,
    private readonly devicesByNetwork: Map<string, SimDevice[]>,
    private readonly upgradeDurationMs: number,
  ) {}

  /** Two groups for a switch network of two or more switches: a canary of the first switch, and the default group for the rest. */
  seed(network: SimNetwork): void {
    const switches = this.switchesOf(network);
    if (switches.length < 2) return;
    const canary: SimStagedGroup = { groupId: String(this.nextGroupId++), name: 'Canary', description: 'first switch', isDefault: false, serials: [switches[0]?.serial as string] };
    const rest: SimStagedGroup = { groupId: String(this.nextGroupId++), name: 'Everything else', description: 'every switch not in another group', isDefault: true, serials: [] };
    this.groups.set(network.id, [canary, rest]);
    this.order.set(network.id, [canary.groupId, rest.groupId]);
  }

  clear(networkId: string): void {
    this.groups.delete(networkId);
    this.order.delete(networkId);
  }

  groupsOf(networkId: string): readonly SimStagedGroup[] {
    return this.groups.get(networkId) ?? [];
  }

  groupsView(network: SimNetwork): unknown[] {
    return this.groupsOf(network.id).map((g) => ({
      groupId: g.groupId,
      name: g.name,
      description: g.description,
      isDefault: g.isDefault,
      assignedDevices: { devices: g.serials.map((serial) => ({ serial, name: this.deviceName(network, serial) })), switchStacks: [] },
    }));
  }

  stagesView(network: SimNetwork): unknown[] {
    return (this.order.get(network.id) ?? []).map((id) => {
      const g = this.group(network.id, id);
      return { group: { id: g.groupId, name: g.name, description: g.description } };
    });
  }

  eventView(network: SimNetwork, now: number, iso: (ms: number) => string): Record<string, unknown> {
    const e = this.events.get(network.id);
    if (!e) return { stages: [] };
    this.settle(network, e, now);
    const to = this.version(e.toId);
    return {
      products: { switch: { nextUpgrade: { toVersion: { id: to.id, shortName: to.shortName } } } },
      stages: e.stages.map((s) => {
        const g = this.group(network.id, s.groupId);
        return {
          group: { id: g.groupId, name: g.name, description: g.description },
          milestones: {
            scheduledFor: s.scheduledText,
            ...(s.startedMs !== undefined ? { startedAt: iso(s.startedMs) } : {}),
            ...(s.completedMs !== undefined ? { completedAt: iso(s.completedMs) } : {}),
            ...(s.canceledMs !== undefined ? { canceledAt: iso(s.canceledMs) } : {}),
          },
          status: s.canceledMs !== undefined ? 'Canceled' : s.completedMs !== undefined ? 'Completed' : s.startedMs !== undefined ? 'In progress' : 'Scheduled',
        };
      }),
      ...(e.reasons.length ? { reasons: e.reasons } : {}),
    };
  }

  /** POST .../staged/events: one event per network, every group in a stage. */
  create(network: SimNetwork, toVersionId: string, stages: { groupId: string; scheduledFor: string }[], now: number, iso: (ms: number) => string): void {
    if (!network.productTypes.includes('switch')) throw new FirmwareProblem(400, 'Staged upgrades are only available for switch networks');
    const groups = this.groupsOf(network.id);
    if (groups.length === 0) throw new FirmwareProblem(400, 'The network has no staged upgrade groups');
    const current = this.events.get(network.id);
    if (current) this.settle(network, current, now);
    if (current && current.stages.some((s) => s.completedMs === undefined && s.canceledMs === undefined)) throw new FirmwareProblem(400, 'A staged upgrade event is already scheduled for this network');
    const fromId = this.firmware.currentVersionId(network, 'switch', now);
    const to = versionById('switch', toVersionId);
    if (!to) throw new FirmwareProblem(400, `Invalid firmware version id '${toVersionId}' for product 'switch'`);
    if (to.id === fromId) throw new FirmwareProblem(400, `The network already runs ${to.shortName}`);
    if (Date.parse(to.releaseDate) < Date.parse(this.version(fromId).releaseDate)) throw new FirmwareProblem(400, `${to.shortName} is older than the running version; use a rollback to downgrade`);
    const seen = new Set<string>();
    for (const s of stages) {
      if (!groups.some((g) => g.groupId === s.groupId)) throw new FirmwareProblem(400, `Staged upgrade group '${s.groupId}' does not exist in this network`);
      if (seen.has(s.groupId)) throw new FirmwareProblem(400, `Staged upgrade group '${s.groupId}' is listed twice`);
      seen.add(s.groupId);
    }
    const missing = groups.filter((g) => !seen.has(g.groupId));
    if (missing.length) throw new FirmwareProblem(400, `Every staged upgrade group needs a stage (missing: ${missing.map((g) => g.name).join(', ')})`);
    this.events.set(network.id, {
      fromId,
      toId: to.id,
      switchesNetwork: true,
      settled: false,
      reasons: [],
      stages: stages.map((s) => ({ groupId: s.groupId, ...this.when(s.scheduledFor, iso), serials: this.serialsOf(network, s.groupId) })),
    });
  }

  /** POST .../staged/events/defer: every stage not started moves a week later. */
  defer(network: SimNetwork, now: number, iso: (ms: number) => string): void {
    const e = this.requireEvent(network, now);
    const pending = e.stages.filter((s) => s.startedMs === undefined && s.canceledMs === undefined);
    if (pending.length === 0) throw new FirmwareProblem(400, 'There are no pending stages to defer');
    for (const s of pending) {
      s.scheduledMs += WEEK_MS;
      s.scheduledText = iso(s.scheduledMs);
    }
  }

  /** POST .../staged/events/rollbacks: the listed (started) stages go back to the version before; every pending stage is cancelled. */
  rollback(network: SimNetwork, stages: { groupId: string; scheduledFor: string }[], reasons: { category: string; comment: string }[], now: number, iso: (ms: number) => string): void {
    const e = this.requireEvent(network, now);
    if (e.reasons.length) throw new FirmwareProblem(400, 'This staged upgrade event was already rolled back');
    for (const s of stages) {
      const stage = e.stages.find((x) => x.groupId === s.groupId);
      if (!stage) throw new FirmwareProblem(400, `Staged upgrade group '${s.groupId}' is not in the event`);
      if (stage.startedMs === undefined) throw new FirmwareProblem(400, `Stage of group '${s.groupId}' has not started: pending stages are cancelled, not rolled back`);
    }
    const back = new Set(stages.map((s) => s.groupId));
    const kept: SimStage[] = [];
    for (const s of e.stages) {
      if (back.has(s.groupId)) kept.push({ groupId: s.groupId, ...this.when(stages.find((x) => x.groupId === s.groupId)?.scheduledFor as string, iso), serials: s.serials });
      else if (s.startedMs === undefined) kept.push({ ...s, canceledMs: now });
    }
    // An event that never finished left the network on the old version: only its switches go back.
    this.events.set(network.id, { fromId: e.toId, toId: e.fromId, stages: kept, reasons, switchesNetwork: e.settled && e.switchesNetwork, settled: false });
  }

  /** What a device of a network with a staged event reports, when that differs from the network's version. */
  deviceVersionId(device: SimDevice, network: SimNetwork, now: number): string | undefined {
    const e = this.events.get(network.id);
    if (e) this.settle(network, e, now);
    return this.deviceVersion.get(device.serial);
  }

  private settle(network: SimNetwork, e: SimEvent, now: number): void {
    let previousDone: number | undefined;
    for (const s of e.stages) {
      if (s.canceledMs !== undefined) continue;
      if (s.completedMs === undefined) {
        const ready = previousDone === undefined ? s.scheduledMs : Math.max(s.scheduledMs, previousDone);
        if (now < ready) return;
        s.startedMs ??= ready;
        if (now < s.startedMs + this.upgradeDurationMs) return;
        s.completedMs = s.startedMs + this.upgradeDurationMs;
        for (const serial of s.serials) if (!this.firmware.isKeptOnOldFirmware(serial)) this.deviceVersion.set(serial, e.toId);
      }
      previousDone = s.completedMs;
    }
    if (e.settled) return;
    e.settled = true;
    if (e.switchesNetwork) this.firmware.completeStaged(network, 'switch', e.toId, previousDone ?? now);
    for (const s of e.stages) for (const serial of s.serials) this.deviceVersion.delete(serial);
  }

  private requireEvent(network: SimNetwork, now: number): SimEvent {
    const e = this.events.get(network.id);
    if (!e) throw new FirmwareProblem(400, 'The network has no staged upgrade event');
    this.settle(network, e, now);
    return e;
  }

  private when(text: string, iso: (ms: number) => string): { scheduledMs: number; scheduledText: string } {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new FirmwareProblem(400, `'milestones.scheduledFor' must be an ISO 8601 date-time, got '${text}'`);
    return { scheduledMs: at, scheduledText: iso(at) };
  }

  private serialsOf(network: SimNetwork, groupId: string): string[] {
    const groups = this.groupsOf(network.id);
    const g = this.group(network.id, groupId);
    if (!g.isDefault) return [...g.serials];
    const elsewhere = new Set(groups.filter((x) => x.groupId !== groupId).flatMap((x) => x.serials));
    return this.switchesOf(network).map((d) => d.serial).filter((s) => g.serials.includes(s) || !elsewhere.has(s));
  }

  private group(networkId: string, groupId: string): SimStagedGroup {
    return this.groupsOf(networkId).find((g) => g.groupId === groupId) as SimStagedGroup;
  }

  private switchesOf(network: SimNetwork): SimDevice[] {
    return (this.devicesByNetwork.get(network.id) ?? []).filter((d) => d.productType === 'switch');
  }

  private deviceName(network: SimNetwork, serial: string): string {
    return this.switchesOf(network).find((d) => d.serial === serial)?.name ?? serial;
  }

  private version(id: string): SimVersion {
    return versionById('switch', id) as SimVersion;
  }
}
