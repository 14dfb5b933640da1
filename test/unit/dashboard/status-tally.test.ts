import { describe, expect, it } from 'vitest';
import { emptyTally, tallyStatuses, type DeviceStatusRow } from '../../../src/activities/rest';

const row = (serial: string, status: string): DeviceStatusRow => ({ serial, networkId: 'N1', status: status as DeviceStatusRow['status'] });

describe('tallyStatuses', () => {
  it('counts each status and lists the devices that are not online', () => {
    const tally = tallyStatuses(emptyTally(), [row('a', 'online'), row('b', 'alerting'), row('c', 'offline'), row('d', 'dormant'), row('e', 'online')], 10);
    expect(tally.counts).toEqual({ online: 2, alerting: 1, offline: 1, dormant: 1 });
    expect(tally.notOnline.map((d) => d.serial)).toEqual(['b', 'c', 'd']);
  });

  it('counts a status it does not know as offline, so no device goes missing from the totals', () => {
    const tally = tallyStatuses(emptyTally(), [row('a', 'rebooting'), row('b', 'online')], 10);
    expect(tally.counts).toEqual({ online: 1, alerting: 0, offline: 1, dormant: 0 });
    expect(tally.notOnline[0]).toMatchObject({ serial: 'a', status: 'offline' });
  });

  it('keeps the listed devices under maxListed but counts them all, across pages', () => {
    const tally = emptyTally();
    tallyStatuses(tally, Array.from({ length: 30 }, (_, i) => row(`s${i}`, 'offline')), 5);
    tallyStatuses(tally, [row('t1', 'alerting'), row('t2', 'online')], 5);
    expect(tally.counts).toEqual({ online: 1, alerting: 1, offline: 30, dormant: 0 });
    expect(tally.notOnline.map((d) => d.serial)).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });
});
