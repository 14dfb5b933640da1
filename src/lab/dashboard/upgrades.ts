import type { DeviceStatus, SimDevice, SimUpgradeEvent, UpgradeStatus } from './model';

/**
 * Staged firmware upgrades, computed from the simulated clock rather than
 * timers: stage k runs from startAt + k*stageDuration for one stageDuration,
 * and its devices come back on the new firmware when it ends. Nothing needs
 * to tick, so a stopped simulator leaves no timers behind.
 */
export class UpgradeBook {
  /** Latest event per network. */
  private readonly events = new Map<string, SimUpgradeEvent>();
  private readonly stageOf = new Map<string, { event: SimUpgradeEvent; stage: number }>();
  private nextId = 1;

  constructor(private readonly devicesByNetwork: Map<string, SimDevice[]>) {}

  latest(networkId: string): SimUpgradeEvent | undefined {
    return this.events.get(networkId);
  }

  create(
    networkId: string,
    spec: { toVersion: string; productType: SimUpgradeEvent['productType']; stages: number; startAt: number; stageDurationMs: number; idempotencyKey?: string; fails: boolean },
    now: number,
  ): SimUpgradeEvent {
    const previous = this.events.get(networkId);
    if (previous) this.settle(previous, now);
    const devices = (this.devicesByNetwork.get(networkId) ?? []).filter((d) => spec.productType === undefined || d.productType === spec.productType);
    const stageCount = Math.max(1, Math.min(spec.stages, devices.length || 1));
    const stages: string[][] = Array.from({ length: stageCount }, () => []);
    devices.forEach((d, i) => stages[Math.floor((i * stageCount) / devices.length)]?.push(d.serial));
    const event: SimUpgradeEvent = {
      id: `${networkId}-upgrade-${this.nextId++}`,
      networkId,
      toVersion: spec.toVersion,
      productType: spec.productType,
      stages,
      createdAt: now,
      startAt: spec.startAt,
      stageDurationMs: spec.stageDurationMs,
      idempotencyKey: spec.idempotencyKey,
      failsAtStage: spec.fails ? 0 : undefined,
      rolledBackAt: undefined,
      reasons: [],
    };
    this.events.set(networkId, event);
    event.stages.forEach((serials, stage) => serials.forEach((s) => this.stageOf.set(s, { event, stage })));
    return event;
  }

  rollback(event: SimUpgradeEvent, reasons: SimUpgradeEvent['reasons'], now: number): void {
    event.rolledBackAt = now;
    event.reasons = reasons;
  }

  status(event: SimUpgradeEvent, now: number): UpgradeStatus {
    if (event.rolledBackAt !== undefined) return 'rolledBack';
    if (now < event.startAt) return 'scheduled';
    const running = Math.floor((now - event.startAt) / event.stageDurationMs);
    if (event.failsAtStage !== undefined && running > event.failsAtStage) return 'failed';
    return running >= event.stages.length ? 'completed' : 'inProgress';
  }

  /** How many stages have finished successfully. */
  stagesDone(event: SimUpgradeEvent, now: number): number {
    if (event.rolledBackAt !== undefined || now < event.startAt) return 0;
    const finished = Math.min(event.stages.length, Math.floor((now - event.startAt) / event.stageDurationMs));
    return event.failsAtStage === undefined ? finished : Math.min(finished, event.failsAtStage);
  }

  firmware(device: SimDevice, now: number): string {
    const s = this.stageOf.get(device.serial);
    if (!s || s.event.rolledBackAt !== undefined) return device.baseFirmware;
    return s.stage < this.stagesDone(s.event, now) ? s.event.toVersion : device.baseFirmware;
  }

  /** Devices of the stage being upgraded are rebooting; a failed stage leaves them alerting. */
  deviceStatus(device: SimDevice, now: number): DeviceStatus {
    const s = this.stageOf.get(device.serial);
    if (!s || device.baseStatus === 'dormant') return device.baseStatus;
    const status = this.status(s.event, now);
    if (status === 'failed' && s.stage === s.event.failsAtStage) return 'alerting';
    if (status !== 'inProgress') return device.baseStatus;
    const running = Math.floor((now - s.event.startAt) / s.event.stageDurationMs);
    return running === s.stage ? 'offline' : device.baseStatus;
  }

  /** Makes a finished event's outcome permanent before another event replaces it. */
  private settle(event: SimUpgradeEvent, now: number): void {
    const done = this.stagesDone(event, now);
    for (const [stage, serials] of event.stages.entries()) {
      for (const serial of serials) {
        if (this.stageOf.get(serial)?.event !== event) continue;
        const device = this.devicesOf(event.networkId).find((d) => d.serial === serial);
        if (device && event.rolledBackAt === undefined && stage < done) device.baseFirmware = event.toVersion;
        this.stageOf.delete(serial);
      }
    }
  }

  private devicesOf(networkId: string): SimDevice[] {
    return this.devicesByNetwork.get(networkId) ?? [];
  }

  /** The event as the API shows it. */
  view(event: SimUpgradeEvent, now: number, iso: (simMs: number) => string): Record<string, unknown> {
    const status = this.status(event, now);
    const done = this.stagesDone(event, now);
    const running = Math.floor((now - event.startAt) / event.stageDurationMs);
    const total = event.stages.reduce((n, s) => n + s.length, 0);
    const upgraded = event.stages.slice(0, done).reduce((n, s) => n + s.length, 0);
    return {
      id: event.id,
      networkId: event.networkId,
      status,
      toVersion: { shortName: event.toVersion },
      productType: event.productType ?? null,
      idempotencyKey: event.idempotencyKey ?? null,
      createdAt: iso(event.createdAt),
      progress: { totalDevices: total, upgradedDevices: status === 'rolledBack' ? 0 : upgraded, stagesCompleted: done, stages: event.stages.length },
      stages: event.stages.map((serials, k) => {
        const scheduledFor = event.startAt + k * event.stageDurationMs;
        let stageStatus: string;
        if (status === 'rolledBack') stageStatus = 'canceled';
        else if (k < done) stageStatus = 'completed';
        else if (event.failsAtStage === k && running > k) stageStatus = 'failed';
        else if (status === 'failed') stageStatus = 'canceled';
        else if (running === k && now >= event.startAt) stageStatus = 'inProgress';
        else stageStatus = 'scheduled';
        return {
          group: { id: `${event.id}-g${k + 1}`, name: `Stage ${k + 1}` },
          devices: serials.length,
          status: stageStatus,
          milestones: {
            scheduledFor: iso(scheduledFor),
            startedAt: now >= scheduledFor && stageStatus !== 'scheduled' && stageStatus !== 'canceled' ? iso(scheduledFor) : null,
            completedAt: stageStatus === 'completed' ? iso(scheduledFor + event.stageDurationMs) : null,
          },
        };
      }),
      reasons: event.reasons,
      rolledBackAt: event.rolledBackAt === undefined ? null : iso(event.rolledBackAt),
    };
  }
}
