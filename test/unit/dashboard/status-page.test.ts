import { describe, expect, it } from 'vitest';
import { summarisePage, type DeviceStatusRow } from '../../../src/activities/rest';

const row = (serial: string, status: string): DeviceStatusRow => ({ serial, networkId: 'N1', status: status as DeviceStatusRow['status'] });

describe('summarisePage', () => {
  it('counts each status and lists the devices that are not online', () => {
    const page = summarisePage([row('a', 'online'), row('b', 'alerting'), row('c', 'offline'), row('d', 'dormant'), row('e', 'online')], 'http://x/next', 10);
    expect(page.counts).toEqual({ online: 2, alerting: 1, offline: 1, dormant: 1 });
    expect(page.notOnline.map((d) => d.serial)).toEqual(['b', 'c', 'd']);
    expect(page.next).toBe('http://x/next');
  });

  it('counts a status it does not know as offline, so no device goes missing from the totals', () => {
    const page = summarisePage([row('a', 'rebooting'), row('b', 'online')], undefined, 10);
    expect(page.counts).toEqual({ online: 1, alerting: 0, offline: 1, dormant: 0 });
    expect(page.notOnline[0]).toMatchObject({ serial: 'a', status: 'offline' });
  });

  it('keeps the listed devices under maxListed but counts them all', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(`s${i}`, 'offline'));
    const page = summarisePage(rows, undefined, 5);
    expect(page.counts.offline).toBe(30);
    expect(page.notOnline).toHaveLength(5);
  });
});
