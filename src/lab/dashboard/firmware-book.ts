import { FIRMWARE_CATALOG, initialVersion, versionById } from './firmware-catalog';
import type { DeviceStatus, ProductType, SimDevice, SimNetwork, SimVersion } from './model';

interface PendingUpgrade {
  /** The `time` as the client sent it, echoed back like the dashboard does. */
  timeText: string;
  /** Simulated-clock ms the devices start rebooting. */
  startMs: number;
  toId: string;
  fails: boolean;
  rollback: boolean;
}

interface ProductFirmware {
  network: SimNetwork;
  product: ProductType;
  currentId: string;
  last?: { atMs: number; fromId: string; toId: string };
  next?: PendingUpgrade;
  /** Devices left alerting by the last upgrade that did not take. */
  failed: boolean;
}

export class FirmwareProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Network firmware per product type, computed from the simulated clock: a
 * scheduled upgrade starts at its time, its devices reboot (offline) for
 * `upgradeDurationMs`, and then the network runs the new version (or, for an
 * upgrade told to fail, stays on the old one with nothing pending). Nothing
 * ticks; every read settles what the clock says has happened.
 */
export class FirmwareBook {
  private readonly byKey = new Map<string, ProductFirmware>();
  /** Serials that keep reporting their old firmware after their network upgrades (a device that missed it). */
  private readonly lagging = new Map<string, string>();
  private readonly stuck = new Set<string>();
  private batches = 0;

  constructor(
    private readonly devicesByNetwork: Map<string, SimDevice[]>,
    private readonly upgradeDurationMs: number,
  ) {}

  private state(network: SimNetwork, product: ProductType, now: number): ProductFirmware {
    const key = `${network.id}/${product}`;
    let s = this.byKey.get(key);
    if (!s) this.byKey.set(key, (s = { network, product, currentId: initialVersion(product).id, failed: false }));
    this.settle(s, now);
    return s;
  }

  private settle(s: ProductFirmware, now: number): void {
    const next = s.next;
    if (!next || now < next.startMs + this.upgradeDurationMs) return;
    s.next = undefined;
    if (next.fails) {
      s.failed = true;
      return;
    }
    // A device told to miss this upgrade keeps what it ran; every other device (a laggard of before too) follows the network.
    for (const d of this.devicesOf(s)) {
      if (this.stuck.delete(d.serial)) this.lagging.set(d.serial, this.version(s.product, s.currentId).firmware);
      else this.lagging.delete(d.serial);
    }
    s.last = { atMs: next.startMs + this.upgradeDurationMs, fromId: s.currentId, toId: next.toId };
    s.currentId = next.toId;
    s.failed = false;
  }

  /** Makes the device keep its current firmware through the next upgrade of its network (that one only). */
  keepOldFirmware(serial: string): void {
    this.stuck.add(serial);
  }

  isKeptOnOldFirmware(serial: string): boolean {
    return this.stuck.has(serial);
  }

  /** The version a device reports when it differs from its network's (a staged upgrade under way); set by the staged book. */
  stagedDeviceVersion: ((device: SimDevice, network: SimNetwork, now: number) => string | undefined) | undefined;

  currentVersionId(network: SimNetwork, product: ProductType, now: number): string {
    return this.state(network, product, now).currentId;
  }

  /** The last stage of a staged upgrade completed at `atMs`: the network runs `toId` (devices told to miss it keep theirs). */
  completeStaged(network: SimNetwork, product: ProductType, toId: string, atMs: number): void {
    const s = this.state(network, product, atMs);
    for (const d of this.devicesOf(s)) {
      if (this.stuck.delete(d.serial)) this.lagging.set(d.serial, this.version(s.product, s.currentId).firmware);
      else this.lagging.delete(d.serial);
    }
    s.last = { atMs, fromId: s.currentId, toId };
    s.currentId = toId;
    s.failed = false;
  }


  /** GET /networks/{id}/firmwareUpgrades `products` for the network's product types. */
  view(network: SimNetwork, now: number, iso: (ms: number) => string): Record<string, unknown> {
    const products: Record<string, unknown> = {};
    for (const product of network.productTypes) {
      const s = this.state(network, product, now);
      const current = this.version(product, s.currentId);
      products[product] = {
        currentVersion: current,
        ...(s.last ? { lastUpgrade: { time: iso(s.last.atMs), fromVersion: this.version(product, s.last.fromId), toVersion: this.version(product, s.last.toId) } } : {}),
        ...(s.next ? { nextUpgrade: { time: s.next.timeText, toVersion: this.version(product, s.next.toId) } } : {}),
        availableVersions: FIRMWARE_CATALOG[product].filter((v) => v.id !== s.currentId),
        participateInNextBetaRelease: false,
      };
    }
    return products;
  }

  /** PUT products.<product>.nextUpgrade: schedules (or reschedules, until it starts) an upgrade. */
  schedule(network: SimNetwork, product: string, spec: { time: string | undefined; toVersionId: string; fails: boolean }, now: number, iso: (ms: number) => string): void {
    const p = this.productOf(network, product);
    const s = this.state(network, p, now);
    const to = versionById(p, spec.toVersionId);
    if (!to) throw new FirmwareProblem(400, `Invalid firmware version id '${spec.toVersionId}' for product '${p}'`);
    if (to.id === s.currentId) throw new FirmwareProblem(400, `The network already runs ${to.shortName}`);
    if (Date.parse(to.releaseDate) < Date.parse(this.version(p, s.currentId).releaseDate)) {
      throw new FirmwareProblem(400, `${to.shortName} is older than the running ${this.version(p, s.currentId).shortName}; use a rollback to downgrade`);
    }
    if (s.next && now >= s.next.startMs) throw new FirmwareProblem(400, `An upgrade of ${p} is in progress on this network`);
    const startMs = this.startOf(spec.time, now);
    s.next = { timeText: spec.time ?? iso(startMs), startMs, toId: to.id, fails: spec.fails, rollback: false };
  }

  /** POST /firmwareUpgrades/rollbacks: back to `toVersionId` (default: the version before the last upgrade), cancelling anything pending. */
  rollback(network: SimNetwork, product: string | undefined, spec: { time: string | undefined; toVersionId: string | undefined }, now: number, iso: (ms: number) => string) {
    const p = product === undefined ? this.onlyProduct(network) : this.productOf(network, product);
    const s = this.state(network, p, now);
    const targetId = spec.toVersionId ?? s.last?.fromId;
    if (targetId === undefined) throw new FirmwareProblem(400, `There is no earlier ${p} version to roll back to on this network`);
    const to = versionById(p, targetId);
    if (!to) throw new FirmwareProblem(400, `Invalid firmware version id '${targetId}' for product '${p}'`);
    if (to.id === s.currentId && !s.next) throw new FirmwareProblem(400, `The network already runs ${to.shortName}`);
    const startMs = this.startOf(spec.time, now);
    if (to.id === s.currentId) {
      // Only the pending upgrade is undone: the devices never left this version.
      s.next = undefined;
      s.failed = false;
      return { product: p, status: 'completed', upgradeBatchId: String(++this.batches), time: spec.time ?? iso(startMs), toVersion: to };
    }
    s.next = { timeText: spec.time ?? iso(startMs), startMs, toId: to.id, fails: false, rollback: true };
    return { product: p, status: startMs > now ? 'pending' : 'in_progress', upgradeBatchId: String(++this.batches), time: s.next.timeText, toVersion: to };
  }

  /** The `firmware` field a device reports. */
  deviceFirmware(device: SimDevice, network: SimNetwork, now: number): string {
    const s = this.state(network, device.productType, now);
    const staged = this.stagedDeviceVersion?.(device, network, now);
    if (staged !== undefined) return this.version(device.productType, staged).firmware;
    return this.lagging.get(device.serial) ?? this.version(device.productType, s.currentId).firmware;
  }

  /** Devices being upgraded are rebooting (offline); an upgrade that did not take leaves them alerting. */
  deviceStatus(device: SimDevice, network: SimNetwork, now: number): DeviceStatus {
    if (device.baseStatus === 'dormant') return device.baseStatus;
    const s = this.state(network, device.productType, now);
    if (s.next && now >= s.next.startMs) return 'offline';
    return s.failed ? 'alerting' : device.baseStatus;
  }

  private startOf(time: string | undefined, now: number): number {
    if (time === undefined) return now;
    const at = Date.parse(time);
    if (Number.isNaN(at)) throw new FirmwareProblem(400, `'time' must be an ISO 8601 date-time, got '${time}'`);
    // A time already past on the dashboard's clock means "now".
    return Math.max(at, now);
  }

  private productOf(network: SimNetwork, product: string): ProductType {
    if (!(network.productTypes as string[]).includes(product)) throw new FirmwareProblem(400, `The network does not have product type '${product}'`);
    return product as ProductType;
  }

  private onlyProduct(network: SimNetwork): ProductType {
    if (network.productTypes.length !== 1) throw new FirmwareProblem(400, "'product' is required for a combined network");
    return network.productTypes[0] as ProductType;
  }

  private version(product: ProductType, id: string): SimVersion {
    return versionById(product, id) as SimVersion;
  }

  private devicesOf(s: ProductFirmware): SimDevice[] {
    return (this.devicesByNetwork.get(s.network.id) ?? []).filter((d) => d.productType === s.product);
  }
}
