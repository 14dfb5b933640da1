import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { utils } from 'ssh2';
import { LabDevice } from './device';
import { EventLog, type LabEvent } from './events';
import { Fabric } from './fabric';
import { flashBaseName } from './flash';
import { checkImage } from './images';
import { type WriteInventoryOptions, writeInventoryFile } from './inventory';
import { RedundancyGroup } from './redundancy';
import { DeviceServer, parseAuthorizedKeys } from './ssh-server';
import { resolveTimings } from './timings';
import { type GenerateOptions, generateTopology, initialConfig, loadTopology } from './topology';
import type { FaultKind, LabCredentials, LabFault, LabPlatform, LabTimings, LabTopology } from './types';

export interface StartLabOptions {
  /** Number of devices to generate (default 4); ignored with `topology`. */
  devices?: number;
  /** Devices come in HSRP/VRRP pairs sharing a redundancy group. */
  pairs?: boolean;
  sites?: number;
  /** Mix iosxe, nxos and frr (round robin per pair); else all `platform` (default iosxe). */
  platformMix?: boolean;
  platform?: LabPlatform;
  /** Explicit topology, or the path of a topology YAML file. */
  topology?: LabTopology | string;
  /** Test timings (boot 300 ms, hold 150 ms, ...) instead of the realistic defaults. */
  fast?: boolean;
  timings?: Partial<LabTimings>;
  /** JSON-lines event log file (events are always kept in memory too). */
  eventLogPath?: string;
  /** Where secrets files go; default a temporary directory removed by stop(). */
  dataDir?: string;
  credentials?: Partial<LabCredentials>;
  /** OpenSSH public key lines accepted for public-key login. */
  authorizedKeys?: string[];
  /** First port; devices take consecutive ports. Default: ports chosen by the OS. */
  basePort?: number;
  /** Version generated devices of `platform` boot initially, or one version per platform. */
  initialVersion?: string | Partial<Record<LabPlatform, string>>;
  /** Random faults, at a rate, for chaos runs. */
  faultRate?: number;
  faultKinds?: FaultKind[];
  seed?: number;
  /** Every generated NX-OS (vPC) pair gets a dual-homed access switch `sw<k>`. */
  downstream?: boolean;
}

export const DEFAULT_CREDENTIALS: LabCredentials = { username: 'admin', password: 'lab-password', enableSecret: 'lab-enable' };

/** A running lab. Every method is safe to call from tests in the same process. */
export class Lab {
  readonly devices: LabDevice[] = [];
  readonly groups = new Map<string, RedundancyGroup>();
  /** vPC domains, cables, downstream port channels. */
  readonly fabric: Fabric;
  private readonly byName = new Map<string, LabDevice>();
  private readonly servers = new Map<string, DeviceServer>();
  private readonly flappers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    readonly topology: LabTopology,
    readonly timings: LabTimings,
    readonly credentials: LabCredentials,
    readonly log: EventLog,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
  ) {
    this.fabric = new Fabric(log, timings);
  }

  /** Every event so far, oldest first. */
  get events(): LabEvent[] {
    return this.log.events;
  }

  get eventLogPath(): string | undefined {
    return this.log.path;
  }

  get sites(): string[] {
    return this.topology.sites;
  }

  device(name: string): LabDevice {
    const d = this.byName.get(name);
    if (!d) throw new Error(`no lab device named '${name}'`);
    return d;
  }

  /** Members of a device's redundancy group (itself included); just itself when it has none. */
  peersOf(d: LabDevice): LabDevice[] {
    const g = d.redundancyGroup ? this.groups.get(d.redundancyGroup) : undefined;
    return g ? g.memberNames.map((n) => this.device(n)) : [d];
  }

  /** Name of the active member of a redundancy group, if any. */
  activeOf(group: string): string | undefined {
    return this.groups.get(group)?.active();
  }

  /** Writes our inventory YAML for the lab (secrets into 0600 files under dataDir unless refs are given). */
  writeInventory(path: string, o: WriteInventoryOptions = {}): string {
    writeInventoryFile(path, this.devices, this.sites, this.credentials, this.dataDir, o);
    return resolve(path);
  }

  setFault(name: string, fault: LabFault): void {
    const d = this.device(name);
    d.faults = d.faults.filter((f) => f.kind !== fault.kind).concat(fault);
    this.log.emit({ type: 'fault', device: name, fault: fault.kind, action: 'set', detail: JSON.stringify(fault) });
    if (fault.kind === 'flapping') this.startFlapping(d, fault.periodMs ?? this.timings.flapMs);
    if (fault.kind.startsWith('vpc-')) this.fabric.changed(d);
  }

  /** Clears one kind of fault, or all of them. */
  clearFault(name: string, kind?: FaultKind): void {
    const d = this.device(name);
    const cleared = d.faults.filter((f) => !kind || f.kind === kind);
    d.faults = d.faults.filter((f) => kind && f.kind !== kind);
    for (const f of cleared) this.log.emit({ type: 'fault', device: name, fault: f.kind, action: 'clear' });
    if (!kind || kind === 'flapping') this.stopFlapping(d);
    if (cleared.some((f) => f.kind.startsWith('vpc-'))) this.fabric.changed(d);
  }

  /** Puts a file straight onto a device's flash (pre-staging without a transfer). */
  addImage(name: string, fileName: string, data: Buffer): void {
    const d = this.device(name);
    const { size, md5, check } = checkImage(data);
    d.flash.put({ name: flashBaseName(fileName), size, md5, image: { version: check.version, intact: check.intact }, mtime: new Date() });
  }

  /** Resolves with the first event (past or future) matching `pred`; rejects after `timeoutMs`. */
  waitForEvent(pred: (e: LabEvent) => boolean, timeoutMs = 10_000, since = 0): Promise<LabEvent> {
    const past = this.log.events.find((e) => e.seq > since && pred(e));
    if (past) return Promise.resolve(past);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        unsubscribe();
        rej(new Error(`no matching lab event within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.log.subscribe((e) => {
        if (!pred(e)) return;
        clearTimeout(timer);
        unsubscribe();
        res(e);
      });
    });
  }

  /** Closes every server and socket, stops every timer; the lab is unusable afterwards. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.flappers.values()) clearInterval(t);
    this.flappers.clear();
    for (const g of this.groups.values()) g.stop();
    this.fabric.stop();
    for (const d of this.devices) d.stop();
    await Promise.all([...this.servers.values()].map((s) => s.stop()));
    this.log.emit({ type: 'lab.stop' });
    this.log.close();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** @internal */
  async boot(basePort: number | undefined, authorizedKeys: string[]): Promise<void> {
    const keys = parseAuthorizedKeys(authorizedKeys);
    const siteIndex = new Map(this.topology.sites.map((s, i) => [s, i]));
    const groupIndex = new Map<string, number>();
    const memberCount = new Map<string, number>();
    this.topology.devices.forEach((spec, i) => {
      let gi = 0;
      let mi = 0;
      if (spec.redundancyGroup) {
        if (!groupIndex.has(spec.redundancyGroup)) groupIndex.set(spec.redundancyGroup, groupIndex.size);
        gi = groupIndex.get(spec.redundancyGroup)!;
        mi = memberCount.get(spec.redundancyGroup) ?? 0;
        memberCount.set(spec.redundancyGroup, mi + 1);
      }
      const d = new LabDevice(spec, initialConfig(spec, i, gi, mi, siteIndex.get(spec.site) ?? 0), { timings: this.timings, log: this.log });
      const kp = usableHostKey();
      d.hostKeyPrivate = kp.private;
      d.hostKey = kp.public.trim().split(/\s+/).slice(0, 2).join(' ');
      this.devices.push(d);
      this.byName.set(d.name, d);
      if (spec.redundancyGroup) {
        let g = this.groups.get(spec.redundancyGroup);
        if (!g) {
          g = new RedundancyGroup(spec.redundancyGroup, this.log, this.timings.holdMs);
          this.groups.set(spec.redundancyGroup, g);
        }
        g.add(d);
        d.group = g;
      }
      d.onChange = () => this.fabric.changed(d);
      this.servers.set(d.name, new DeviceServer(d, { timings: this.timings, log: this.log, credentials: this.credentials, authorizedKeys: keys, peersOf: (x) => this.peersOf(x), fabric: this.fabric }));
    });
    this.fabric.build(this.devices, (n) => this.device(n), new Map([...this.groups].map(([n, g]) => [n, g.memberNames])));
    this.log.emit({
      type: 'lab.start',
      devices: this.devices.length,
      timings: this.timings,
      groups: Object.fromEntries([...this.groups].map(([n, g]) => [n, g.memberNames])),
      dualHomed: this.fabric.dualHomed(),
    });
    for (const g of this.groups.values()) g.bootstrap();
    this.fabric.bootstrap();
    await this.listenAll(basePort);
    for (const d of this.devices) {
      const flap = d.fault('flapping');
      if (flap) this.startFlapping(d, flap.periodMs ?? this.timings.flapMs);
    }
  }

  /**
   * With basePort, devices take consecutive ports and a taken one is an error.
   * Without, small labs let the OS pick (port 0); large ones walk ports up from
   * a random start below the ephemeral range, skipping taken ones, because the
   * kernel's search for a free ephemeral port gets slow (about 1 ms per bind
   * at 10,000 listeners) while explicit binds stay fast.
   */
  private async listenAll(basePort: number | undefined): Promise<void> {
    const servers = [...this.servers.values()];
    const BATCH = 500;
    const walk = basePort === undefined && servers.length > 256;
    let cursor = 15_000 + Math.floor(Math.random() * 5_000);
    const listenWalking = async (s: DeviceServer): Promise<void> => {
      for (let attempt = 0; attempt < 1000; attempt++) {
        const port = cursor++;
        if (port > 32_000) break;
        try {
          return await s.listen(port);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
        }
      }
      return s.listen(0);
    };
    for (let i = 0; i < servers.length; i += BATCH) {
      await Promise.all(
        servers.slice(i, i + BATCH).map((s, j) => (walk ? listenWalking(s) : s.listen(basePort === undefined ? 0 : basePort + i + j))),
      );
    }
  }

  private startFlapping(d: LabDevice, periodMs: number): void {
    this.stopFlapping(d);
    this.flappers.set(
      d.name,
      setInterval(() => {
        d.flapDown = !d.flapDown;
        this.log.emit({ type: 'fault', device: d.name, fault: 'flapping', action: 'fired', detail: d.flapDown ? 'peer link lost' : 'peer link back' });
        d.group?.reconcile();
      }, periodMs),
    );
  }

  private stopFlapping(d: LabDevice): void {
    const t = this.flappers.get(d.name);
    if (t) clearInterval(t);
    this.flappers.delete(d.name);
    if (d.flapDown) {
      d.flapDown = false;
      d.group?.reconcile();
    }
  }
}

/** Starts a lab: generates or loads the topology, host keys, and one SSH server per device. */
export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const topology =
    typeof opts.topology === 'string'
      ? loadTopology(opts.topology)
      : (opts.topology ??
        generateTopology({
          devices: opts.devices,
          pairs: opts.pairs,
          sites: opts.sites,
          platformMix: opts.platformMix,
          platform: opts.platform,
          initialVersion: opts.initialVersion,
          faultRate: opts.faultRate,
          faultKinds: opts.faultKinds,
          seed: opts.seed,
          downstream: opts.downstream,
        } satisfies GenerateOptions));
  const timings = resolveTimings(opts.fast ?? false, opts.timings);
  const credentials = { ...DEFAULT_CREDENTIALS, ...opts.credentials };
  const ownsDataDir = !opts.dataDir;
  const dataDir = resolve(opts.dataDir ?? mkdtempSync(resolve(tmpdir(), 'netops-lab-')));
  const log = new EventLog(opts.eventLogPath);
  const lab = new Lab(topology, timings, credentials, log, dataDir, ownsDataDir);
  try {
    await lab.boot(opts.basePort, opts.authorizedKeys ?? []);
  } catch (e) {
    await lab.stop();
    throw e;
  }
  return lab;
}

/**
 * An ed25519 host key that ssh2 can also read back: ssh2 1.17 now and then
 * generates one that its own parser rejects (mscdex/ssh2#1513), which would
 * crash the device's server on its first connection.
 */
function usableHostKey(): { private: string; public: string } {
  for (;;) {
    const kp = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(kp.private) instanceof Error) && !(utils.parseKey(kp.public) instanceof Error)) return kp;
  }
}
