import { describe, expect, it } from 'vitest';
import { readFirmwareState, resolveTarget, sameTime } from '../../../src/activities/rest';

const v = (id: string, shortName: string, firmware: string) => ({ id, shortName, firmware, releaseType: 'stable', releaseDate: '2024-01-01T00:00:00Z' });
const MS15 = v('1001', 'MS 15.21', 'switch-15-21');
const MS17 = v('1002', 'MS 17.1.4', 'switch-17-1-4');
const MR30 = v('2001', 'MR 30.1', 'wireless-30-1');
const MR31 = v('2002', 'MR 31.1', 'wireless-31-1');

/** A GET /networks/{id}/firmwareUpgrades answer in the shape the spec defines. */
function answer(products: Record<string, unknown>) {
  return { upgradeWindow: { dayOfWeek: 'sun', hourOfDay: '4:00' }, timezone: 'America/Los_Angeles', products };
}

describe('readFirmwareState', () => {
  it('reads current, available, pending and last upgrade per product', () => {
    const [sw] = readFirmwareState('N_1', answer({
      switch: {
        currentVersion: MS15,
        lastUpgrade: { time: '2021-05-17T17:22:52Z', fromVersion: v('999', 'MS 14.1', 'switch-14-1'), toVersion: MS15 },
        nextUpgrade: { time: '2026-12-06T04:00:00Z', toVersion: MS17 },
        availableVersions: [MS17],
        participateInNextBetaRelease: false,
      },
    }));
    expect(sw).toMatchObject({ product: 'switch', current: { id: '1001' }, next: { time: '2026-12-06T04:00:00Z', toVersion: { id: '1002' } }, last: { fromVersion: { id: '999' }, toVersion: { id: '1001' } } });
    expect(sw?.available.map((x) => x.shortName)).toEqual(['MS 17.1.4']);
  });

  it.each([
    ['no nextUpgrade', {}],
    ['an empty toVersion', { nextUpgrade: { time: '', toVersion: {} } }],
    ['a null toVersion', { nextUpgrade: { time: null, toVersion: null } }],
  ])('nothing pending with %s', (_what, extra) => {
    const [sw] = readFirmwareState('N_1', answer({ switch: { currentVersion: MS15, availableVersions: [], ...extra } }));
    expect(sw?.next).toBeUndefined();
  });

  it.each([
    [{ products: { router: { currentVersion: MS15 } } }, /product type "router" netops does not know/],
    [{ products: { switch: { availableVersions: [] } } }, /no version id in products\.switch\.currentVersion/],
    [{ products: { switch: { currentVersion: MS15, availableVersions: [{ shortName: 'MS 17' }] } } }, /no version id in products\.switch\.availableVersions\[0\]/],
    [{ products: { switch: { currentVersion: MS15, nextUpgrade: { time: 'soon', toVersion: MS17 } } } }, /pending upgrade without a readable products\.switch\.nextUpgrade\.time/],
    [{ upgradeWindow: {} }, /has no products object/],
    [[], /has no products object/],
  ])('an answer the API does not define is an error naming the field: %j', (body, message) => {
    expect(() => readFirmwareState('N_9', body)).toThrow(message);
    expect(() => readFirmwareState('N_9', body)).toThrow(/^network N_9: .*nothing was changed/);
  });
});

describe('resolveTarget', () => {
  const states = readFirmwareState('N_1', answer({
    switch: { currentVersion: MS15, availableVersions: [MS17] },
    wireless: { currentVersion: MR30, availableVersions: [MR31] },
  }));

  it.each([
    ['MS 17.1.4', 'switch', '1002'],
    ['ms 17.1.4 ', 'switch', '1002'],
    ['switch-17-1-4', 'switch', '1002'],
    ['MR 31.1', 'wireless', '2002'],
    ['MS 15.21', 'switch', '1001'],
  ])('%j -> %s version %s', (wanted, product, id) => {
    const r = resolveTarget('N_1', states, { version: wanted });
    expect([r.state.product, r.version.id]).toEqual([product, id]);
  });

  it('lists what the network offers when the version is unknown', () => {
    expect(() => resolveTarget('N_1', states, { version: 'MS 99.1' })).toThrow(
      'network N_1: no firmware "MS 99.1" is offered for this network (it offers switch: MS 15.21, MS 17.1.4; wireless: MR 30.1, MR 31.1); give one of those as --firmware, by shortName or firmware name',
    );
  });

  it('looks only at the product asked for', () => {
    expect(() => resolveTarget('N_1', states, { version: 'MR 31.1', productType: 'switch' })).toThrow(/offers switch: MS 15\.21, MS 17\.1\.4\)/);
    expect(() => resolveTarget('N_1', states, { version: 'MX 19.1', productType: 'appliance' })).toThrow(/no appliance firmware at all; its products are switch, wireless/);
  });

  it('asks for the product when two products offer the same name', () => {
    const twins = readFirmwareState('N_2', answer({ switch: { currentVersion: MS15, availableVersions: [v('7', 'X 1', 'x-1')] }, wireless: { currentVersion: MR30, availableVersions: [v('8', 'X 1', 'x-1')] } }));
    expect(() => resolveTarget('N_2', twins, { version: 'X 1' })).toThrow(/several products \(switch, wireless\): choose one with --product/);
    expect(resolveTarget('N_2', twins, { version: 'X 1', productType: 'wireless' }).version.id).toBe('8');
  });
});

describe('sameTime', () => {
  it.each([
    ['2026-12-04T18:00:00Z', '2026-12-04T18:00:00.000Z', true],
    ['2026-12-04T18:00:00Z', '2026-12-04T19:00:00+01:00', true],
    ['2026-12-04T18:00:00Z', '2026-12-04T18:00:01Z', false],
    ['2026-12-04T18:00:00Z', undefined, false],
    ['not a time', 'not a time', false],
  ])('%s vs %s -> %s', (a, b, expected) => {
    expect(sameTime(a, b)).toBe(expected);
  });
});
