import { describe, expect, it } from 'vitest';
import { roleFromEntries } from '../../../src/activities/roles';
import { plannedRoles } from '../../../src/cli/rollout/plan';
import type { RedundancyEntry } from '../../../src/devices/platforms/types';
import type { Device } from '../../../src/inventory';

function entry(state: RedundancyEntry['state'], group = 10): RedundancyEntry {
  return { interface: 'Vl10', group, priority: 100, preempt: true, state };
}

function device(name: string, extra: Partial<Device> = {}): Device {
  return {
    name,
    host: '127.0.0.1',
    port: 22,
    platform: 'iosxe',
    site: 'ams1',
    groups: [],
    tags: [],
    redundancyGroup: 'g1',
    credentials: { set: 'lab', username: 'admin' },
    hostKeyCheck: 'strict',
    data: {},
    ...extra,
  } as Device;
}

describe('the role a device holds, from its HSRP/VRRP table', () => {
  it.each([
    [[entry('Active')], 'active'],
    [[entry('Master')], 'active'],
    [[entry('Standby')], 'standby'],
    [[entry('Backup')], 'standby'],
    [[entry('Listen')], 'standby'],
    // Active in one group wins: draining it is what matters.
    [[entry('Standby', 10), entry('Active', 20)], 'active'],
  ])('%j -> %s', (entries, role) => {
    expect(roleFromEntries(entries)).toEqual({ role });
  });

  it('says why a role is unknown', () => {
    expect(roleFromEntries([])).toEqual({ role: 'unknown', why: 'no HSRP/VRRP group is configured on the device' });
    expect(roleFromEntries([entry('Init'), entry('Speak', 20)])).toEqual({ role: 'unknown', why: 'its groups are in Vl10 group 10 Init, Vl10 group 20 Speak' });
  });
});

describe('the role rollout plan uses, and where it came from', () => {
  const devices = [device('r1-a'), device('r1-b', { data: { redundancy_role: 'standby' } }), device('r2-a'), device('solo', { redundancyGroup: undefined })];

  it('prefers the device, falls back to the inventory, else unknown, always saying why when not from the device', () => {
    const roles = plannedRoles(devices, {
      'r1-a': { role: 'active' },
      'r1-b': { role: 'unknown', why: 'could not ask it: authentication failed' },
      'r2-a': { role: 'unknown', why: 'could not ask it: connection refused' },
    });
    expect(roles).toEqual({
      'r1-a': { role: 'active', source: 'device' },
      'r1-b': { role: 'standby', source: 'inventory', why: 'could not ask it: authentication failed' },
      'r2-a': { role: 'unknown', source: 'none', why: 'could not ask it: connection refused' },
    });
  });

  it('asks nobody with --roles inventory, and leaves devices outside any group out', () => {
    expect(plannedRoles(devices, {})).toEqual({
      'r1-a': { role: 'unknown', source: 'none', why: 'not asked (--roles inventory)' },
      'r1-b': { role: 'standby', source: 'inventory', why: 'not asked (--roles inventory)' },
      'r2-a': { role: 'unknown', source: 'none', why: 'not asked (--roles inventory)' },
    });
  });
});
