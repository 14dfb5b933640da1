import { createHash } from 'node:crypto';
import { type DeviceConfig, cloneConfig, configsEqual } from './config-model';
import type { EventLog } from './events';
import { Flash, type FlashFile, flashBaseName } from './flash';
import { labImageName } from './images';
import type { MemberSettings, RedundancyGroup, RedundancyMember } from './redundancy';
import type { LabDeviceSpec, LabFault, LabPlatform, LabTimings, RedundancyState } from './types';

export type PowerState = 'up' | 'booting' | 'down';

/** Graceful insertion and removal: `maintenance` takes the device out of the forwarding path while it stays up. */
export type SystemMode = 'normal' | 'maintenance';

/** What the SSH layer does when the device goes away and comes back. */
export interface DeviceHooks {
  /** Close every session and stop accepting connections. */
  goDown(): void;
  /** Accept connections again. */
  comeUp(): Promise<void>;
}

export interface DeviceContext {
  timings: LabTimings;
  log: EventLog;
}

const INITIAL_UPTIME_MS = 3 * 24 * 3600_000 + 4 * 3600_000 + 17 * 60_000;

/**
 * One simulated device: its configuration (running and startup), flash,
 * software, power state and faults. The SSH server and CLI drive it; the
 * test API reads it.
 */
export class LabDevice implements RedundancyMember {
  readonly name: string;
  readonly platform: LabPlatform;
  readonly site: string;
  readonly redundancyGroup: string | undefined;
  readonly tags: string[];
  /** NX-OS: its vPC domain id (the peer has the same). */
  readonly vpcDomain: number | undefined;
  /** A downstream switch: the vPC peers its port channel's two members land on. */
  readonly uplinks: [string, string] | undefined;
  host = '127.0.0.1';
  port = 0;
  /** Pinned host key, OpenSSH public form: `ssh-ed25519 AAAA...`. */
  hostKey = '';
  /** Private host key, OpenSSH PEM. */
  hostKeyPrivate = '';

  running: DeviceConfig;
  startup: DeviceConfig;
  readonly flash: Flash;
  version: string;
  /** Flash path of the image it runs, e.g. 'bootflash:nxos64-cs.10.2.5.F.bin'. */
  runningImage: string;
  reloadCount = 0;
  power: PowerState = 'up';
  faults: LabFault[] = [];
  /** NX-OS `checkpoint NAME` snapshots. */
  readonly checkpoints = new Map<string, DeviceConfig>();
  group: RedundancyGroup | undefined;
  hooks: DeviceHooks | undefined;
  /** Set by the `flapping` fault while the device pretends to have lost its peer link. */
  flapDown = false;
  /**
   * Kept across reloads: like a real switch that was reloaded in maintenance
   * mode, it comes back isolated until someone returns it to normal mode.
   */
  systemMode: SystemMode = 'normal';
  /** Called after every change others may see (power, config, mode, faults): the lab's fabric re-evaluates links. */
  onChange: (() => void) | undefined;
  lastConfigChange: Date | undefined;
  private bootedAt: number;
  private bootTimer: NodeJS.Timeout | undefined;

  constructor(
    spec: LabDeviceSpec,
    initialConfig: DeviceConfig,
    private readonly ctx: DeviceContext,
  ) {
    this.name = spec.name;
    this.platform = spec.platform;
    this.site = spec.site;
    this.redundancyGroup = spec.redundancyGroup;
    this.tags = spec.tags ?? [];
    this.vpcDomain = spec.vpcDomain;
    this.uplinks = spec.uplinks;
    this.faults = [...(spec.faults ?? [])];
    this.version = spec.version ?? defaultVersion(spec.platform);
    const fsName = spec.platform === 'nxos' ? 'bootflash:' : 'flash:';
    this.flash = new Flash(fsName, spec.flashBytes ?? defaultFlashBytes(spec.platform));
    const imageName = labImageName(spec.platform, this.version);
    const size = initialImageBytes(spec.platform);
    // The image it shipped with is virtual: its bytes are never materialised.
    this.flash.put({
      name: imageName,
      size: Math.min(size, Math.floor(this.flash.totalBytes / 3)),
      md5: createHash('md5').update(`${imageName}:${size}`).digest('hex'),
      image: { version: this.version, intact: true },
      mtime: new Date(Date.now() - INITIAL_UPTIME_MS),
    });
    this.runningImage = `${fsName}${imageName}`;
    this.running = initialConfig;
    this.startup = cloneConfig(initialConfig);
    this.bootedAt = performance.now() - INITIAL_UPTIME_MS;
  }

  get hostname(): string {
    return this.running.hostname;
  }

  get isUp(): boolean {
    return this.power === 'up';
  }

  get uptimeMs(): number {
    return performance.now() - this.bootedAt;
  }

  /** Unsaved changes: running differs from startup. */
  get configDirty(): boolean {
    return !configsEqual(this.running, this.startup);
  }

  /** Boot variable of the next reload (the saved configuration's, as the ROM monitor sees it). */
  get bootVariable(): string[] {
    return [...this.startup.boot];
  }

  /** Files on flash, sorted by name. */
  get flashFiles(): FlashFile[] {
    return this.flash.list();
  }

  get redundancyState(): RedundancyState {
    return this.group?.stateOf(this.name) ?? 'init';
  }

  get priority(): number | undefined {
    return this.redundancyInterface()?.redundancy?.priority;
  }

  fault<K extends LabFault['kind']>(kind: K): Extract<LabFault, { kind: K }> | undefined {
    return this.faults.find((f) => f.kind === kind) as Extract<LabFault, { kind: K }> | undefined;
  }

  settings(): MemberSettings | undefined {
    // Maintenance mode gives up the gateway: IOS-XE GIR isolates HSRP/VRRP, NX-OS GIR shuts the vPC domain and with it the SVIs.
    if (this.power !== 'up' || this.flapDown || this.systemMode === 'maintenance') return undefined;
    const i = this.redundancyInterface();
    const r = i?.redundancy;
    if (!i || !r || i.shutdown) return undefined;
    const delay = r.preemptDelaySec > 0 ? r.preemptDelaySec * this.ctx.timings.secondMs : this.ctx.timings.preemptDelayMs;
    return { priority: r.priority, preempt: r.preempt, preemptDelayMs: delay };
  }

  redundancyInterface(): DeviceConfig['interfaces'][number] | undefined {
    return this.running.interfaces.find((i) => i.redundancy);
  }

  /** Call after any change of the running configuration. */
  configChanged(): void {
    this.lastConfigChange = new Date();
    this.changed();
  }

  /** Re-evaluates everything that depends on this device: its redundancy group, then its links. */
  changed(): void {
    this.group?.reconcile();
    this.onChange?.();
  }

  /** Enters or leaves maintenance mode; false when it already was in that mode. */
  setSystemMode(mode: SystemMode, session?: string): boolean {
    if (this.systemMode === mode) return false;
    this.systemMode = mode;
    this.ctx.log.emit({ type: 'system.mode', device: this.name, session, mode });
    this.changed();
    return true;
  }

  save(): void {
    this.startup = cloneConfig(this.running);
  }

  /**
   * Reloads: sessions close, connections are refused for bootMs, then the
   * device boots the first boot-variable image present on flash. An intact one
   * sets the version; a corrupt one leaves the device down; with none it
   * falls back to the image it ran before.
   */
  reload(session?: string): void {
    if (this.power !== 'up') return;
    this.ctx.log.emit({ type: 'reload.start', device: this.name, session, bootImage: this.startup.boot[0] });
    this.reloadCount++;
    this.power = 'booting';
    this.changed();
    this.hooks?.goDown();
    this.bootTimer = setTimeout(() => {
      this.bootTimer = undefined;
      void this.finishBoot();
    }, this.ctx.timings.bootMs);
  }

  /** Powers the device back on after a fault kept it down (test helper). */
  powerOn(): void {
    if (this.power === 'up' || this.bootTimer) return;
    this.power = 'booting';
    void this.finishBoot();
  }

  stop(): void {
    if (this.bootTimer) clearTimeout(this.bootTimer);
    this.bootTimer = undefined;
  }

  private async finishBoot(): Promise<void> {
    if (this.fault('reload-never-returns')) {
      this.power = 'down';
      this.ctx.log.emit({ type: 'device.down', device: this.name, reason: 'never returned from reload (fault)' });
      return;
    }
    const choice = this.chooseImage();
    if ('error' in choice) {
      this.power = 'down';
      this.ctx.log.emit({ type: 'device.down', device: this.name, reason: choice.error });
      return;
    }
    this.runningImage = choice.path;
    this.version = choice.version;
    this.running = cloneConfig(this.startup);
    this.bootedAt = performance.now();
    this.flapDown = false;
    try {
      await this.hooks?.comeUp();
    } catch (e) {
      this.power = 'down';
      this.ctx.log.emit({ type: 'device.down', device: this.name, reason: `cannot listen again: ${(e as Error).message}` });
      return;
    }
    this.power = 'up';
    this.ctx.log.emit({ type: 'device.up', device: this.name, version: this.version, image: this.runningImage, reloads: this.reloadCount });
    this.changed();
  }

  private chooseImage(): { path: string; version: string } | { error: string } {
    for (const entry of this.startup.boot) {
      const file = this.flash.get(entry);
      if (!file) continue;
      if (!file.image?.intact || !file.image.version) return { error: `boot image ${entry} is corrupt or not an image` };
      return { path: `${this.flash.fsName}${flashBaseName(entry)}`, version: file.image.version };
    }
    return { path: this.runningImage, version: this.version };
  }
}

export function defaultVersion(p: LabPlatform): string {
  return p === 'iosxe' ? '17.9.4a' : p === 'nxos' ? '10.2.5' : '8.4.4';
}

function defaultFlashBytes(p: LabPlatform): number {
  return p === 'iosxe' ? 11_353_194_496 : p === 'nxos' ? 53_687_091_200 : 8_000_000_000;
}

function initialImageBytes(p: LabPlatform): number {
  return p === 'iosxe' ? 1_231_577_088 : p === 'nxos' ? 1_989_135_872 : 104_857_600;
}
