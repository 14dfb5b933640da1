import type { Snapshot } from '../activities/types';
import { isActiveState } from '../devices/platforms/parsers/redundancy';

type Entry = Snapshot['redundancy'][number];

const known = (v: string | undefined): boolean => v !== undefined && v !== '' && v.toLowerCase() !== 'unknown';

export function isActiveEntry(e: Entry): boolean {
  return isActiveState(e.state);
}

/** This device is the active (HSRP) or master (VRRP) of at least one group. */
export function isActiveMember(s: Snapshot): boolean {
  return s.redundancy.some(isActiveEntry);
}

/**
 * Whether taking this device out of service keeps every one of its groups
 * served: an HSRP active needs a standby to take over; a standby or listener
 * needs an active. VRRP (FRR) does not show its backups, so a master's peer
 * is checked by the peer's own pre-check, not here.
 */
export function degradedGroups(s: Snapshot): string[] {
  return s.redundancy
    .filter((e) => {
      switch (e.state) {
        case 'Active':
          return !known(e.standby);
        case 'Standby':
        case 'Listen':
          return !known(e.active);
        case 'Master':
        case 'Backup':
          return false;
        default:
          return true;
      }
    })
    .map((e) => `${e.interface} group ${e.group} (${e.state}${e.state === 'Active' ? ', no standby' : ''})`);
}
