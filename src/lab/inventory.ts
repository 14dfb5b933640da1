import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { LabDevice } from './device';
import type { LabCredentials } from './types';

export interface WriteInventoryOptions {
  /** Secret reference for the password, e.g. 'env:LAB_PASSWORD'; default: a 0600 file under dataDir. */
  passwordRef?: string;
  enableRef?: string;
  /** Name of the credential set (default 'lab'). */
  credentialSet?: string;
  /**
   * A mis-paired inventory (a fault of the inventory, not of the network):
   * the two devices trade their redundancy groups, so each is declared with
   * the other's real partner. They must be in two different groups.
   */
  swapGroups?: [string, string];
  /** Redundancy group to declare per device instead of the lab's real one; null declares none. */
  groupOverrides?: Record<string, string | null>;
}

/** The redundancy group the inventory declares for each device, after the options' deliberate mistakes. */
export function declaredGroups(devices: LabDevice[], o: WriteInventoryOptions): Map<string, string | undefined> {
  const declared = new Map<string, string | undefined>(devices.map((d) => [d.name, d.redundancyGroup]));
  if (o.swapGroups) {
    const [x, y] = o.swapGroups;
    const gx = declared.get(x);
    const gy = declared.get(y);
    if (!declared.has(x) || !declared.has(y)) throw new Error(`swapGroups: ${!declared.has(x) ? x : y} is not a lab device`);
    if (!gx || !gy || gx === gy) throw new Error(`swapGroups: ${x} and ${y} must be in two different redundancy groups (they are in ${gx ?? 'none'} and ${gy ?? 'none'})`);
    declared.set(x, gy);
    declared.set(y, gx);
  }
  for (const [name, g] of Object.entries(o.groupOverrides ?? {})) {
    if (!declared.has(name)) throw new Error(`groupOverrides: ${name} is not a lab device`);
    declared.set(name, g ?? undefined);
  }
  return declared;
}

/** Writes the project's inventory YAML describing the running lab; returns the document written. */
export function writeInventoryFile(
  path: string,
  devices: LabDevice[],
  sites: string[],
  credentials: LabCredentials,
  dataDir: string,
  o: WriteInventoryOptions = {},
): Record<string, unknown> {
  const set = o.credentialSet ?? 'lab';
  const groups = declaredGroups(devices, o);
  const secretDir = join(dataDir, 'secrets');
  const secretFile = (name: string, value: string) => {
    mkdirSync(secretDir, { recursive: true, mode: 0o700 });
    const p = resolve(secretDir, name);
    writeFileSync(p, value, { mode: 0o600 });
    chmodSync(p, 0o600);
    return `file:${p}`;
  };
  const doc = {
    defaults: { port: 22, platform: 'iosxe', credentials: set, host_key_check: 'strict' },
    credentials: {
      [set]: {
        username: credentials.username,
        password: o.passwordRef ?? secretFile('password', credentials.password),
        enable_secret: o.enableRef ?? secretFile('enable-secret', credentials.enableSecret),
      },
    },
    sites: Object.fromEntries(sites.map((s) => [s, { timezone: 'UTC', windows: [] }])),
    devices: Object.fromEntries(
      devices.map((d) => [
        d.name,
        {
          host: d.host,
          port: d.port,
          platform: d.platform,
          site: d.site,
          ...(groups.get(d.name) ? { redundancy_group: groups.get(d.name) } : {}),
          host_key: d.hostKey,
          tags: d.tags,
        },
      ]),
    ),
  };
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, `# Written by the netops device lab; ports and host keys change every run.\n${stringify(doc, { lineWidth: 0 })}`);
  return doc;
}
