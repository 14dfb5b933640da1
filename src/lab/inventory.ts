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
          ...(d.redundancyGroup ? { redundancy_group: d.redundancyGroup } : {}),
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
