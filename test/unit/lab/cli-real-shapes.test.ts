import { describe, expect, it } from 'vitest';
import { parseBgpSummary, parseRedundancy, parseVersion, sameVersion } from '../../../src/devices/platforms';
import { showBgpSummary, showStandbyBrief, showVersion } from '../../../src/lab/cli/show';
import { LabDevice } from '../../../src/lab/device';
import { EventLog } from '../../../src/lab/events';
import { RedundancyGroup } from '../../../src/lab/redundancy';
import { FAST_TIMINGS } from '../../../src/lab/timings';
import { initialConfig } from '../../../src/lab/topology';
import type { LabDeviceSpec, LabPlatform } from '../../../src/lab/types';

/**
 * The lab prints what IOS-XE and NX-OS print when a value does not fit its
 * column (test/fixtures/outputs: real captures), and our parsers read it back.
 */
function device(platform: LabPlatform, index: number, groupIndex = 0): LabDevice {
  const spec: LabDeviceSpec = { name: `r${index}`, platform, site: 'site1', redundancyGroup: 'g', version: platform === 'nxos' ? '10.2.6' : '17.09.04a' };
  const log = new EventLog();
  const d = new LabDevice(spec, initialConfig(spec, index, groupIndex, 0, 0), { timings: FAST_TIMINGS, log });
  const group = new RedundancyGroup('g', log, FAST_TIMINGS.holdMs);
  group.add(d);
  d.group = group;
  group.bootstrap();
  return d;
}

describe('lab output in the shapes real devices print', () => {
  it('NX-OS: a 4-byte AS ends its line, the counters continue below (like a real N9K)', () => {
    const lines = showBgpSummary(device('nxos', 1));
    const row = lines.findIndex((l) => /^100\.\S+\s+4 42104101\d\d$/.test(l));
    expect(row).toBeGreaterThan(0);
    expect(lines[row + 1]).toMatch(/^ {24}\s+120\s+118\s+5\s+0\s+0\s+\S+ 3$/);
    expect(parseBgpSummary(lines.join('\n'))).toMatchObject([{ as: '4210410101', established: true, prefixesReceived: 3 }]);
  });

  it.each(['iosxe', 'nxos'] as const)('%s: an IPv6 neighbour stands alone, the row continues below', (platform) => {
    const lines = showBgpSummary(device(platform, 2));
    const row = lines.findIndex((l) => l === '2001:db8:1000:2::2');
    expect(row).toBeGreaterThan(0);
    expect(lines[row + 1]).toMatch(/^ {16}4 /);
    expect(parseBgpSummary(lines.join('\n')).map((n) => [n.neighbor, n.as, n.established])).toEqual([
      ['100.64.0.10', '65000', true],
      ['2001:db8:1000:2::2', '65000', true],
    ]);
  });

  it('IOS-XE: a sub-interface too long for its column stands alone in show standby brief', () => {
    const d = device('iosxe', 6, 3);
    const lines = showStandbyBrief(d, [d]);
    expect(lines[3]).toBe('Gi1/0/48.4010');
    expect(lines[4]).toMatch(/^ {12}10\s+110 P Active/);
    expect(parseRedundancy('iosxe', lines.join('\n'))).toMatchObject([{ interface: 'Gi1/0/48.4010', group: 10, priority: 110, state: 'Active', active: 'local' }]);
  });

  it('IOS-XE: the IOS line names the release unpadded, as real devices do, and both lines agree', () => {
    const lines = showVersion(device('iosxe', 0));
    expect(lines[0]).toBe('Cisco IOS XE Software, Version 17.09.04a');
    expect(lines[1]).toContain('Cisco IOS Software [Cupertino]');
    expect(lines[1]).toContain('Version 17.9.4a, RELEASE SOFTWARE');
    expect(sameVersion(parseVersion('iosxe', lines.join('\n')).version, '17.09.04a')).toBe(true);
  });
});
