/**
 * The inventory's device and site as they cross boundaries: what every
 * command and workflow input is built from. Everything here is safe to put in
 * a workflow input or print: credentials are references, never secrets.
 * Secrets are resolved inside activities only.
 */

export const PLATFORMS = ['iosxe', 'nxos', 'frr'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Where a secret lives; resolved by `resolveSecret` inside activities only. */
export type SecretRef = { kind: 'env'; name: string } | { kind: 'file'; path: string };

/** A named credential set, as references (safe to carry in a workflow input). */
export interface CredentialRef {
  /** Name of the credential set in the inventory (`credentials:` map key). */
  set: string;
  username: string;
  password?: SecretRef;
  /** Enable secret for IOS-like platforms. */
  enableSecret?: SecretRef;
  /** Path of an OpenSSH private key file. */
  privateKey?: string;
  passphrase?: SecretRef;
  /** Use the ssh-agent at SSH_AUTH_SOCK. */
  agent?: boolean;
}

export type HostKeyCheck = 'strict' | 'tofu' | 'off';

export interface Device {
  name: string;
  host: string;
  port: number;
  platform: Platform;
  site: string;
  groups: string[];
  tags: string[];
  /** HSRP/VRRP group id shared by all members of one redundancy group. */
  redundancyGroup?: string;
  credentials: CredentialRef;
  /** Pinned host key in OpenSSH public-key form, e.g. `ssh-ed25519 AAAA...`. */
  hostKey?: string;
  hostKeyCheck: HostKeyCheck;
  knownHostsFile?: string;
  /** Free-form variables (templates, filters), merged defaults -> groups -> device. */
  data: Record<string, unknown>;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly maintenance window in the site's local time; `end` before `start` crosses midnight. */
export interface MaintenanceWindow {
  days: Weekday[];
  /** 'HH:MM', local to the site's time zone. */
  start: string;
  /** 'HH:MM', local to the site's time zone. */
  end: string;
}

export interface Site {
  name: string;
  /** IANA time zone, e.g. 'Europe/Amsterdam'. */
  timezone: string;
  /** No windows means the site may be worked on at any time. */
  windows: MaintenanceWindow[];
}
