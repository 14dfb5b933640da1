import { PLATFORMS, type Platform } from './types';

/**
 * Nornir and Netmiko inventories name platforms their own way; accepting
 * their names lets an existing inventory load unchanged.
 */
const ALIASES: Record<string, Platform> = {
  iosxe: 'iosxe',
  ios: 'iosxe',
  'ios-xe': 'iosxe',
  cisco_ios: 'iosxe',
  cisco_xe: 'iosxe',
  cisco_iosxe: 'iosxe',
  nxos: 'nxos',
  'nx-os': 'nxos',
  nxos_ssh: 'nxos',
  cisco_nxos: 'nxos',
  frr: 'frr',
  'linux-frr': 'frr',
  frrouting: 'frr',
};

export const PLATFORM_NAMES: readonly string[] = Object.keys(ALIASES);

export function normalizePlatform(name: string): Platform | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}
