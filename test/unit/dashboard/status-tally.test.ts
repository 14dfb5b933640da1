import { describe, expect, it } from 'vitest';
import { emptyTally, readStatusRow, tallyStatuses, type DeviceStatusRow } from '../../../src/activities/rest';

const row = (serial: string, status: DeviceStatusRow['status']): DeviceStatusRow => ({ serial, networkId: 'N1', status });

describe('readStatusRow', () => {
  it('reads an availabilities row (network as network.id) and a statuses row (networkId) alike', () => {
    expect(readStatusRow('o', { mac: '00:11', name: 'My AP', network: { id: 'N_1' }, productType: 'wireless', serial: 'Q234-ABCD-5678', status: 'alerting', tags: [] })).toEqual({
      serial: 'Q234-ABCD-5678',
      name: 'My AP',
      networkId: 'N_1',
      status: 'alerting',
    });
    expect(readStatusRow('o', { serial: 'Q2', networkId: 'N_2', status: 'dormant', name: '' })).toEqual({ serial: 'Q2', networkId: 'N_2', status: 'dormant' });
  });

  it.each([
    [{ serial: 'Q1', network: { id: 'N' }, status: 'rebooting' }, /device Q1 has status "rebooting"/],
    [{ serial: 'Q1', network: { id: 'N' } }, /device Q1 has status undefined/],
    [{ network: { id: 'N' }, status: 'online' }, /a device without a serial/],
    [{ serial: 'Q1', status: 'online', network: null }, /device Q1 names no network/],
  ])('refuses %j rather than miscount it', (raw, message) => {
    expect(() => readStatusRow('500000', raw)).toThrow(message);
    expect(() => readStatusRow('500000', raw)).toThrow(/organisation 500000: .*stops rather than miscount/);
  });
});

describe('tallyStatuses', () => {
  it('counts each status and lists the devices that are not online', () => {
    const tally = tallyStatuses(emptyTally(), [row('a', 'online'), row('b', 'alerting'), row('c', 'offline'), row('d', 'dormant'), row('e', 'online')], 10);
    expect(tally.counts).toEqual({ online: 2, alerting: 1, offline: 1, dormant: 1 });
    expect(tally.notOnline.map((d) => d.serial)).toEqual(['b', 'c', 'd']);
  });

  it('keeps the listed devices under maxListed but counts them all, across pages', () => {
    const tally = emptyTally();
    tallyStatuses(tally, Array.from({ length: 30 }, (_, i) => row(`s${i}`, 'offline')), 5);
    tallyStatuses(tally, [row('t1', 'alerting'), row('t2', 'online')], 5);
    expect(tally.counts).toEqual({ online: 1, alerting: 1, offline: 30, dormant: 0 });
    expect(tally.notOnline.map((d) => d.serial)).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });
});
