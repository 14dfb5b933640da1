import { describe, expect, it } from 'vitest';
import {
  parseBgpSummary,
  parseFileSystem,
  parseHash,
  parseInterfaces,
  parseRedundancy,
  parseVersion,
  uptimeToSeconds,
} from '../../../src/devices/platforms';
import { ParseProblem } from '../../../src/devices/errors';
import { fixture, VARIANTS } from './fixtures';

const variants = Object.entries(VARIANTS);

describe('parseVersion', () => {
  const cases = [
    {
      file: 'iosxe/show-version-cat9k.txt',
      platform: 'iosxe' as const,
      want: { version: '17.09.04a', hostname: 'core-sw-01', image: 'flash:packages.conf', uptimeSeconds: 365 * 86400 + 3 * 7 * 86400 + 2 * 86400 + 4 * 3600 + 17 * 60 },
    },
    {
      file: 'iosxe/show-version-csr.txt',
      platform: 'iosxe' as const,
      want: { version: '16.12.04', hostname: 'r1', image: 'bootflash:csr1000v-universalk9.16.12.04.SPA.bin', uptimeSeconds: 300 },
    },
    {
      file: 'iosxe/show-version-old-ios.txt',
      platform: 'iosxe' as const,
      want: { version: '15.2(7)E4', hostname: 'access-floor3-a', uptimeSeconds: 12 * 7 * 86400 + 6 * 86400 + 23 * 3600 + 60 },
    },
    {
      file: 'nxos/show-version-n9k.txt',
      platform: 'nxos' as const,
      want: { version: '10.2(6)', hostname: 'dc1-leaf-101', image: 'bootflash:nxos64-cs.10.2.6.M.bin', uptimeSeconds: 12 * 86400 + 3 * 3600 + 24 * 60 + 10 },
    },
    {
      file: 'nxos/show-version-n7k.txt',
      platform: 'nxos' as const,
      want: { version: '6.2(16)', hostname: 'core7k-a', image: 'bootflash:n7000-s2-dk9.6.2.16.bin', uptimeSeconds: 221 },
    },
  ];
  for (const c of cases) {
    for (const [name, variant] of variants) {
      it(`${c.file} (${name})`, () => {
        expect(parseVersion(c.platform, variant(fixture(c.file), 'show version'))).toMatchObject(c.want);
      });
    }
  }

  it('refuses output that is not a show version', () => {
    expect(() => parseVersion('iosxe', '% Invalid input detected at \'^\' marker.')).toThrow(/no IOS XE version/);
    expect(() => parseVersion('nxos', '')).toThrow(/NXOS/);
  });
});

describe('uptimeToSeconds', () => {
  it.each([
    ['5 minutes', 300],
    ['1 minute', 60],
    ['1 hour, 1 minute', 3660],
    ['0 day(s), 0 hour(s), 3 minute(s), 41 second(s)', 221],
    ['2w1d', 15 * 86400],
    ['1d02h', 86400 + 7200],
    ['01:45:12', 6312],
    ['unknown', undefined],
  ])('%s', (phrase, want) => {
    expect(uptimeToSeconds(phrase)).toBe(want);
  });
});

describe('parseRedundancy', () => {
  for (const [name, variant] of variants) {
    it(`IOS-XE show standby brief (${name})`, () => {
      const got = parseRedundancy('iosxe', variant(fixture('iosxe/show-standby-brief.txt'), 'show standby brief'));
      expect(got).toEqual([
        { interface: 'Vl10', group: 10, priority: 110, preempt: true, state: 'Active', active: 'local', standby: '10.0.10.3', virtualIp: '10.0.10.1' },
        { interface: 'Vl20', group: 20, priority: 90, preempt: true, state: 'Standby', active: '10.0.20.2', standby: 'local', virtualIp: '10.0.20.1' },
        { interface: 'Gi1/0/48', group: 1, priority: 100, preempt: false, state: 'Listen', active: '10.9.9.2', standby: '10.9.9.3', virtualIp: '10.9.9.1' },
      ]);
    });
    it(`NX-OS show hsrp brief (${name})`, () => {
      const got = parseRedundancy('nxos', variant(fixture('nxos/show-hsrp-brief.txt'), 'show hsrp brief'));
      expect(got.map((e) => [e.interface, e.group, e.priority, e.preempt, e.state, e.active, e.virtualIp])).toEqual([
        ['Vlan10', 10, 110, true, 'Active', 'local', '10.0.10.1'],
        ['Vlan20', 20, 100, false, 'Standby', '10.0.20.2', '10.0.20.1'],
        ['Vlan30', 30, 100, true, 'Listen', '10.0.30.2', '10.0.30.1'],
      ]);
    });
  }
  it('reads wide columns, long sub-interface names and Init state', () => {
    const got = parseRedundancy('iosxe', fixture('iosxe/show-standby-brief-wide.txt'));
    expect(got).toMatchObject([
      { interface: 'TenGigabitEthernet1/0/1.4000', group: 255, priority: 255, preempt: true, state: 'Active' },
      { interface: 'Port-channel10.101', group: 101, priority: 50, preempt: false, state: 'Init', active: 'unknown' },
    ]);
  });
  it('returns no entries for an empty table, no HSRP, or an error', () => {
    expect(parseRedundancy('iosxe', fixture('iosxe/show-standby-brief-empty.txt'))).toEqual([]);
    expect(parseRedundancy('nxos', '% Invalid command at \'^\' marker.')).toEqual([]);
    expect(parseRedundancy('frr', '')).toEqual([]);
  });
});

describe('parseFileSystem', () => {
  for (const [name, variant] of variants) {
    it(`IOS-XE dir flash: (${name})`, () => {
      const fs = parseFileSystem('iosxe', variant(fixture('iosxe/dir-flash.txt'), 'dir flash:'));
      expect(fs.fileSystem).toBe('flash:');
      expect(fs.totalBytes).toBe(11353194496);
      expect(fs.freeBytes).toBe(8920174592);
      expect(fs.files.filter((f) => !f.directory).map((f) => [f.name, f.size])).toEqual([
        ['cat9k_iosxe.17.09.04a.SPA.bin', 603724800],
        ['packages.conf', 8003],
        ['vlan.dat', 32256],
      ]);
      expect(fs.files.filter((f) => f.directory).map((f) => f.name)).toEqual(['.installer', 'core']);
    });
    it(`NX-OS dir bootflash: (${name})`, () => {
      const fs = parseFileSystem('nxos', variant(fixture('nxos/dir-bootflash.txt'), 'dir bootflash:'));
      expect(fs.fileSystem).toBe('bootflash:');
      expect(fs.freeBytes).toBe(113529135104);
      expect(fs.totalBytes).toBe(118627381248);
      expect(fs.files.find((f) => f.name === 'nxos64-cs.10.2.6.M.bin')?.size).toBe(2009372160);
      expect(fs.files.filter((f) => f.directory).map((f) => f.name)).toEqual(['.rpmstore', '.swtam', 'scripts']);
    });
  }
  it('old IOS with -rwx files', () => {
    const fs = parseFileSystem('iosxe', fixture('iosxe/dir-flash-old.txt'));
    expect(fs.files).toHaveLength(3);
    expect(fs.files[1]).toEqual({ name: 'c2960-lanbasek9-mz.150-2.SE11.bin', size: 26636800, directory: false });
    expect(fs.freeBytes).toBe(5821952);
  });
  it('an empty bootflash directory', () => {
    const fs = parseFileSystem('iosxe', fixture('iosxe/dir-flash-empty.txt'));
    expect(fs).toEqual({ fileSystem: 'bootflash:', files: [], totalBytes: 7897796608, freeBytes: 7897796608 });
  });
  it('FRR host: ls -ln and df -P -B1', () => {
    const text = [
      'total 131080',
      '-rw-r--r-- 1 0 0 67108864 Nov 20 10:00 frr-9.1.bin',
      '-rw-r--r-- 1 0 0     1024 Nov 21 11:30 frr-9.2.bin',
      'lrwxrwxrwx 1 0 0       31 Nov 21 11:31 boot.bin -> /var/lib/frr/images/frr-9.1.bin',
      'Filesystem     1-blocks       Used  Available Capacity Mounted on',
      '/dev/vda1   20961280000 5368709120 15592570880      26% /',
    ].join('\n');
    const fs = parseFileSystem('frr', text, '/var/lib/frr/images/');
    expect(fs.freeBytes).toBe(15592570880);
    expect(fs.totalBytes).toBe(20961280000);
    expect(fs.files.map((f) => f.name)).toEqual(['frr-9.1.bin', 'frr-9.2.bin', '/var/lib/frr/images/frr-9.1.bin']);
    expect(fs.files[0]?.size).toBe(67108864);
  });
  it('an error instead of a listing is refused with the device line, not read as unknown free space', () => {
    expect(refusedLines(() => parseFileSystem('iosxe', '%Error opening flash:/ (No such device)'))).toEqual(['%Error opening flash:/ (No such device)']);
    expect(refusedLines(() => parseFileSystem('nxos', 'Input/output error\n       4096    Sep 22 15:27:34 2019  .rpmstore/'))).toEqual(['Input/output error']);
  });
});

describe('parseHash', () => {
  const cases: [string, object][] = [
    ['iosxe/verify-md5.txt', { md5: '5c0a4f8b1e9d2c3b4a5f6e7d8c9b0a1f', file: 'flash:cat9k_iosxe.17.12.04.SPA.bin' }],
    ['iosxe/verify-md5-dots.txt', { md5: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', file: 'bootflash:csr1000v-universalk9.17.03.08a.SPA.bin' }],
    ['nxos/show-file-md5sum.txt', { md5: 'a3b1c2d4e5f60718293a4b5c6d7e8f90' }],
  ];
  for (const [file, want] of cases) {
    for (const [name, variant] of variants) {
      it(`${file} (${name})`, () => {
        expect(parseHash(variant(fixture(file), 'verify /md5 flash:x'))).toMatchObject(want);
      });
    }
  }
  it('keeps the device error for a missing file', () => {
    expect(parseHash(fixture('iosxe/verify-md5-missing.txt'))).toEqual({ error: '%Error opening flash:nothere.bin (No such file or directory)' });
  });
  it('reads the computed signature when an expected hash was given', () => {
    const text = '%Error verifying flash:img.bin\nComputed signature = 0123456789abcdef0123456789abcdef\nSubmitted signature = ffffffffffffffffffffffffffffffff\n';
    expect(parseHash(text).md5).toBe('0123456789abcdef0123456789abcdef');
  });
  it('md5sum: No such file', () => {
    expect(parseHash('md5sum: /var/lib/frr/images/x.bin: No such file or directory').error).toMatch(/No such file/);
  });
});

describe('parseInterfaces', () => {
  for (const [name, variant] of variants) {
    it(`IOS-XE (${name})`, () => {
      const got = parseInterfaces('iosxe', variant(fixture('iosxe/show-ip-interface-brief.txt'), 'show ip interface brief'));
      expect(got).toHaveLength(6);
      expect(got[2]).toEqual({ interface: 'GigabitEthernet1/0/2', address: 'unassigned', status: 'administratively down', protocol: 'down', up: false });
      expect(got[3]).toMatchObject({ interface: 'TenGigabitEthernet1/1/1', address: '10.255.0.1', up: true });
    });
    it(`NX-OS (${name})`, () => {
      const got = parseInterfaces('nxos', variant(fixture('nxos/show-ip-interface-brief.txt'), 'show ip interface brief'));
      expect(got.map((i) => [i.interface, i.address, i.status, i.up])).toEqual([
        ['Vlan10', '10.0.10.2', 'up', true],
        ['Vlan99', '10.0.99.2', 'administratively down', false],
        ['Lo0', '1.1.1.1', 'up', true],
        ['Eth1/49', '10.1.1.1', 'down', false],
      ]);
    });
  }
  it('no header, no rows', () => {
    expect(parseInterfaces('iosxe', 'r1#')).toEqual([]);
  });
});

describe('parseBgpSummary', () => {
  for (const [name, variant] of variants) {
    it(`IOS-XE (${name})`, () => {
      const got = parseBgpSummary(variant(fixture('iosxe/show-ip-bgp-summary.txt'), 'show ip bgp summary'));
      expect(got).toEqual([
        { neighbor: '10.0.0.2', as: '65001', upDown: '2d17h', state: '7', established: true, prefixesReceived: 7 },
        { neighbor: '10.0.0.3', as: '65002', upDown: 'never', state: 'Idle', established: false },
        { neighbor: '10.0.0.4', as: '4200000001', upDown: '00:00:41', state: 'Active', established: false },
        { neighbor: '10.0.0.5', as: '65003', upDown: '00:12:00', state: 'Idle (Admin)', established: false },
      ]);
    });
    it(`NX-OS (${name})`, () => {
      const got = parseBgpSummary(variant(fixture('nxos/show-ip-bgp-summary.txt'), 'show ip bgp summary'));
      expect(got.map((n) => [n.neighbor, n.as, n.state, n.established])).toEqual([
        ['10.255.0.1', '65000', '12', true],
        ['10.255.0.2', '65000', '11', true],
        ['10.255.0.3', '65000', 'Connect', false],
      ]);
    });
  }
  it('joins an IPv6 neighbour wrapped onto two lines and keeps asdot AS numbers', () => {
    expect(parseBgpSummary(fixture('iosxe/show-ip-bgp-summary-v6wrap.txt'))).toEqual([
      { neighbor: '2001:DB8:ABCD:1234::2', as: '65001.100', upDown: '01:14:09', state: '2', established: true, prefixesReceived: 2 },
      { neighbor: '10.9.9.9', as: '65009', upDown: '00:01:10', state: 'OpenConfirm', established: false },
    ]);
  });
  it('BGP not running gives no neighbours', () => {
    expect(parseBgpSummary(fixture('iosxe/show-ip-bgp-summary-none.txt'))).toEqual([]);
  });
});

/** The lines a parser refused, as it quotes them. */
function refusedLines(read: () => unknown): string[] {
  try {
    read();
  } catch (err) {
    if (err instanceof ParseProblem) return err.lines.map((l) => l.line);
    throw err;
  }
  throw new Error('the parser accepted the output');
}

describe('a row the parser cannot read is a problem quoting it, never a missing entry', () => {
  const standby = [
    '                     P indicates configured to preempt.',
    '                     |',
    'Interface   Grp  Pri P State   Active          Standby         Virtual IP',
    'Vl10        10   110 P Active  local           10.0.10.3       10.0.10.1',
  ];
  it('IOS-XE show standby brief: an unknown state', () => {
    const text = [...standby, 'Vl20        20   90  P Blocked 10.0.20.2       local           10.0.20.1'].join('\n');
    expect(refusedLines(() => parseRedundancy('iosxe', text))).toEqual(['Vl20        20   90  P Blocked 10.0.20.2       local           10.0.20.1']);
  });
  it('IOS-XE show standby brief: a truncated row at the end of the output', () => {
    const text = [...standby, 'Vl30        30   90  P Standby 10.0.30.2'].join('\n');
    expect(refusedLines(() => parseRedundancy('iosxe', text))).toEqual(['Vl30        30   90  P Standby 10.0.30.2']);
  });
  it('IOS-XE show standby brief: the interface alone on its line, then the rest of the row', () => {
    const text = [...standby, 'Port-channel4010.200', '            200  100 P Standby 10.1.200.2      local           10.1.200.1'].join('\n');
    expect(parseRedundancy('iosxe', text)[1]).toMatchObject({ interface: 'Port-channel4010.200', group: 200, state: 'Standby', standby: 'local', virtualIp: '10.1.200.1' });
  });
  it('IOS-XE show standby brief: an IPv6 virtual IP wrapped below its column', () => {
    const text = [...standby, 'Vl11        1    200 P Standby FE80::2E5A:FFF:FE1C:2064 local', '                                                               FE80::5:73FF:FEA0:1'].join('\n');
    expect(parseRedundancy('iosxe', text)[1]).toMatchObject({ interface: 'Vl11', active: 'FE80::2E5A:FFF:FE1C:2064', standby: 'local', virtualIp: 'FE80::5:73FF:FEA0:1' });
  });
  it('NX-OS show hsrp brief: a row with an unexpected column', () => {
    const text = [
      ' Interface   Grp  Prio P State    Active addr      Standby addr     Group addr',
      '  Vlan10      10   110  P Active   local            10.0.10.3        10.0.10.1       (conf)',
      '  Vlan20      20   100    Standby  10.0.20.2        local            10.0.20.1       (conf) extra',
    ].join('\n');
    expect(refusedLines(() => parseRedundancy('nxos', text))).toEqual(['  Vlan20      20   100    Standby  10.0.20.2        local            10.0.20.1       (conf) extra']);
  });

  const bgpHeader = ['BGP router identifier 10.0.0.1, local AS number 65000', '', 'Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd'];
  it('BGP: a state that is neither a count nor a BGP state', () => {
    const text = [...bgpHeader, '10.0.0.2        4        65001      10      10        1    0    0 00:01:00 7', '10.0.0.3        4        65002       0       0        1    0    0 never    Waiting'].join('\n');
    expect(refusedLines(() => parseBgpSummary(text))).toEqual(['10.0.0.3        4        65002       0       0        1    0    0 never    Waiting']);
  });
  it('BGP: a row cut short keeps both of its lines in the quote', () => {
    const text = [...bgpHeader, '2001:db8::1', '                4        65001      10'].join('\n');
    expect(refusedLines(() => parseBgpSummary(text))).toEqual(['2001:db8::1\n                4        65001      10']);
  });
  it('BGP: the readable neighbours travel with the problem', () => {
    const text = [...bgpHeader, '10.0.0.2        4        65001      10      10        1    0    0 00:01:00 7', '10.0.0.3        4        ASX          0       0        1    0    0 never    Idle'].join('\n');
    try {
      parseBgpSummary(text);
      expect.unreachable();
    } catch (err) {
      expect((err as ParseProblem).partial).toMatchObject([{ neighbor: '10.0.0.2', established: true }]);
    }
  });
  it('NX-OS BGP: a four-byte AS that pushes the counters onto the next line', () => {
    const text = [...bgpHeader, '10.10.80.1      4 4210410100', '                         578124  577455     3272    0    0     9w3d 297'].join('\n');
    expect(parseBgpSummary(text)).toEqual([{ neighbor: '10.10.80.1', as: '4210410100', upDown: '9w3d', state: '297', established: true, prefixesReceived: 297 }]);
  });
  it('NX-OS BGP: `0 (No Cap)` is an established session with no prefixes', () => {
    const text = [...bgpHeader, '10.106.101.1    4   333      29      31        0    0    0 00:20:33 0 (No Cap)'].join('\n');
    expect(parseBgpSummary(text)).toMatchObject([{ state: '0 (No Cap)', established: true, prefixesReceived: 0 }]);
  });

  it('IOS-XE interfaces: a row whose protocol is not up or down', () => {
    const text = ['Interface              IP-Address      OK? Method Status                Protocol', 'Gi1                    10.0.0.1        YES manual up                    up', 'Gi2                    10.0.0.5        YES manual up                    flapping'].join('\n');
    expect(refusedLines(() => parseInterfaces('iosxe', text))).toEqual(['Gi2                    10.0.0.5        YES manual up                    flapping']);
  });
  it('NX-OS interfaces: a row without its status', () => {
    const text = ['IP Interface Status for VRF "default"(1)', 'Interface            IP Address      Interface Status', 'Vlan10               10.0.10.2       protocol-up/link-up/admin-up', 'Vlan20               10.0.20.2'].join('\n');
    expect(refusedLines(() => parseInterfaces('nxos', text))).toEqual(['Vlan20               10.0.20.2']);
  });
});

describe('a version that cannot be read with certainty is refused', () => {
  it('IOS-XE special build: the XE line carries a build tag, the IOS line a release it was built from', () => {
    const text = 'Cisco IOS XE Software, Version V169_5_SR689355441_2\nCisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 16.9.5, CUST-SPECIAL:V169_5_SR689355441_2\nr1 uptime is 5 minutes\n';
    expect(refusedLines(() => parseVersion('iosxe', text))[0]).toContain('CUST-SPECIAL');
  });
  it('IOS-XE: the two banner lines name different releases', () => {
    const text = 'Cisco IOS XE Software, Version 17.09.04a\nCisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.5, RELEASE SOFTWARE (fc1)\n';
    expect(refusedLines(() => parseVersion('iosxe', text))[0]).toContain('17.09.04a');
  });
  it('IOS-XE: the padded and unpadded forms of one release agree', () => {
    const text = 'Cisco IOS XE Software, Version 17.09.04a\nCisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc1)\n';
    expect(parseVersion('iosxe', text).version).toBe('17.09.04a');
  });
  it('NX-OS: an image built as another release', () => {
    expect(refusedLines(() => parseVersion('nxos', '  NXOS: version 10.4(3) [build 10.4(2)IMG9(0.27)] [Feature Release]\n'))[0]).toContain('[build 10.4(2)IMG9(0.27)]');
  });
});
