import { describe, expect, it } from 'vitest';
import { compareWithRunning } from '../../../src/config/desired-state';
import { CommandRejected, ParseProblem } from '../../../src/devices/errors';
import { dialectFor, parseBgpSummary, parseInterfaces, parseRedundancy, parseVersion } from '../../../src/devices/platforms';
import { withFrrDefaults } from '../../../src/devices/platforms/frr-defaults';
import { fixture, VARIANTS } from './fixtures';

/** Outputs captured from real FRR 8.4.4 (test/fixtures/outputs/frr/ORIGIN.md); expected values read from them. */
const frr = dialectFor('frr');
const variants = Object.entries(VARIANTS);
const problemOf = (fn: () => unknown): ParseProblem => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParseProblem) return err;
    throw err;
  }
  throw new Error('expected a ParseProblem');
};

describe('FRR show version', () => {
  it.each(variants)('reads version and hostname (%s), and no uptime: FRR prints none', (_v, variant) => {
    expect(parseVersion('frr', variant(fixture('frr/show-version/edge-a.txt'), 'show version'))).toEqual({ version: '8.4.4', hostname: 'vm' });
  });

  it.each([
    ['an IOS answer', 'Cisco IOS XE Software, Version 17.09.04a'],
    ['a refusal', '% Unknown command: show version'],
    ['a version that is not a release', 'FRRouting 8.4.4-custom build (r1) on Linux(6.1).'],
    ['nothing', ''],
  ])('is a ParseProblem for %s, quoting the line', (_what, text) => {
    const p = problemOf(() => parseVersion('frr', text));
    expect(p.table).toBe('software version');
    expect(p.lines[0]!.line).toBe(text.trim() || '(no output)');
  });
});

describe('FRR show vrrp', () => {
  it.each(variants)('reads the master (%s)', (_v, variant) => {
    expect(parseRedundancy('frr', variant(fixture('frr/show-vrrp/master.txt'), 'show vrrp'))).toEqual([
      { interface: 'eth1', group: 5, priority: 150, preempt: true, state: 'Master', active: 'local', standby: undefined, virtualIp: '10.199.1.254' },
    ]);
  });

  it('reads a backup and a v6-only group (its state is the v6 router, its virtual IP the v6 address)', () => {
    expect(parseRedundancy('frr', fixture('frr/show-vrrp/backup-and-v6.txt'))).toEqual([
      { interface: 'ens5', group: 5, priority: 100, preempt: true, state: 'Backup', active: undefined, standby: 'local', virtualIp: '10.199.1.254' },
      { interface: 'ens5', group: 6, priority: 100, preempt: true, state: 'Init', active: undefined, standby: undefined, virtualIp: 'fe80::5e:6' },
    ]);
  });

  it('reads a drained member at priority 50, and no groups as none', () => {
    expect(parseRedundancy('frr', fixture('frr/show-vrrp/drained-backup.txt'))).toMatchObject([{ interface: 'eth1', group: 5, priority: 50, state: 'Backup' }]);
    expect(parseRedundancy('frr', fixture('frr/show-vrrp/none.txt'))).toEqual([]);
  });

  it.each([
    ['master', 'master'],
    ['backup-and-v6', 'backup-and-v6'],
  ])('agrees with vtysh JSON of the same moment (%s)', (text, json) => {
    const entries = parseRedundancy('frr', fixture(`frr/show-vrrp/${text}.txt`));
    const routers = JSON.parse(fixture(`frr/show-vrrp-json/${json}.json`)) as { vrid: number; interface: string; preemptMode: boolean; v4: { effectivePriority: number; addresses: string[] }; v6: { addresses: string[] } }[];
    expect(entries.map((e) => [e.group, e.interface, e.preempt, e.priority, e.virtualIp])).toEqual(
      routers.map((r) => [r.vrid, r.interface, r.preemptMode, r.v4.effectivePriority, r.v4.addresses[0] ?? r.v6.addresses[0]]),
    );
  });

  const master = fixture('frr/show-vrrp/master.txt');
  it.each([
    ['no priority', master.replace(/^ Priority .*\n/m, ''), /priority '' of virtual router 5/],
    ['a state FRR does not have', master.replace('Master   ', 'Flapping '), /state \(v4\) 'Flapping' of virtual router 5/],
    ['an address count the list does not match', master.replace(/(IPv4 Addresses\s+)1/, '$12'), /counts 2 IPv4 address\(es\) but lists 1/],
    ['no interface', master.replace(/^ Interface .*\n/m, ''), /names no interface/],
    ['a router id out of range', master.replace(/(Virtual Router ID\s+)5/, '$1300'), /Virtual Router ID '300'/],
  ])('never drops a group silently: %s is a ParseProblem quoting the block', (_what, text, reason) => {
    const p = problemOf(() => parseRedundancy('frr', text));
    expect(p.table).toBe('VRRP virtual router table');
    expect(p.lines[0]!.reason).toMatch(reason);
    expect(p.lines[0]!.line).toContain('Virtual Router ID');
  });

  it('text before the first virtual router is a ParseProblem, not ignored', () => {
    const p = problemOf(() => parseRedundancy('frr', `% Unknown command: show vrrp\n${master}`));
    expect(p.lines[0]!.line).toBe('% Unknown command: show vrrp');
  });
});

describe('FRR show interface json', () => {
  it.each(variants)("reports the backup's protodown macvlan down (%s)", (_v, variant) => {
    const ifs = parseInterfaces('frr', variant(fixture('frr/show-interface-json/backup.json'), 'show interface json'));
    expect(ifs.map((i) => [i.interface, i.up, i.status])).toEqual([
      ['ens5', true, 'up'],
      ['lo', true, 'up'],
      ['mgmt0', true, 'up'],
      ['mv-vr5', false, 'protodown (vrrp)'],
    ]);
    expect(ifs.find((i) => i.interface === 'ens5')?.address).toBe('10.199.1.2/24');
  });

  it("reports the master's macvlan up, and down again once drained", () => {
    expect(parseInterfaces('frr', fixture('frr/show-interface-json/master.json')).find((i) => i.interface === 'vrrp4-5')).toMatchObject({ up: true, address: '10.199.1.254/24' });
    expect(parseInterfaces('frr', fixture('frr/show-interface-json/drained-backup.json')).find((i) => i.interface === 'vrrp4-5')).toMatchObject({ up: false, status: 'protodown (vrrp)' });
  });

  it('the brief table FRR prints says the protodown macvlan is up: that is why netops asks for JSON', () => {
    expect(fixture('frr/show-interface-brief/backup.txt')).toMatch(/^mv-vr5\s+up\s/m);
    expect(frr.commands.interfaces).toBe('show interface json');
  });

  it.each([
    ['the brief table', fixture('frr/show-interface-brief/backup.txt'), /not the JSON object/],
    ['a refusal', '% Unknown command: show interface json', /not the JSON object/],
    ['an interface without its operational state', '{"eth1":{"administrativeStatus":"up"}}', /operationalStatus 'undefined'/],
    ['an unknown protodown value', '{"eth1":{"administrativeStatus":"up","operationalStatus":"up","protodown":"maybe"}}', /protodown 'maybe'/],
  ])('%s is a ParseProblem, not an empty or partial table', (_what, text, reason) => {
    expect(problemOf(() => parseInterfaces('frr', text)).lines[0]!.reason).toMatch(reason);
  });

  it('an administratively down interface is down', () => {
    expect(parseInterfaces('frr', '{"eth2":{"administrativeStatus":"down","operationalStatus":"down"}}')).toEqual([{ interface: 'eth2', address: 'unassigned', status: 'administratively down', protocol: 'down', up: false }]);
  });
});

describe('FRR show bgp summary', () => {
  it.each(['edge-a', 'edge-b'])('agrees with vtysh JSON of the same moment (%s)', (name) => {
    const got = parseBgpSummary(fixture(`frr/show-ip-bgp-summary/${name}.txt`));
    const peers = (JSON.parse(fixture(`frr/show-bgp-summary-json/${name}.json`)) as { ipv4Unicast: { peers: Record<string, { remoteAs: number; state: string; pfxRcd: number }> } }).ipv4Unicast.peers;
    expect(got.map((n) => [n.neighbor, n.as, n.established])).toEqual(Object.entries(peers).map(([ip, p]) => [ip, String(p.remoteAs), p.state === 'Established']));
    for (const n of got.filter((x) => x.established)) expect(n.prefixesReceived).toBe(peers[n.neighbor]!.pfxRcd);
  });

  it('reads a never-established 4-byte AS neighbour as not established', () => {
    expect(parseBgpSummary(fixture('frr/show-ip-bgp-summary/edge-a.txt')).find((n) => n.neighbor === '10.199.1.99')).toMatchObject({ as: '4210410100', state: 'Active', established: false });
  });

  it('no BGP instance is no neighbours', () => {
    expect(parseBgpSummary(fixture('frr/show-ip-bgp-summary/none.txt'))).toEqual([]);
  });
});

describe('FRR refusals', () => {
  const cases = ['unknown-command', 'command-incomplete', 'out-of-range', 'validation-failed', 'bgp-already-running', 'daemon-not-running', 'peer-group-missing', 'no-description-text'];
  it.each(cases)('%s: any answer to a config line is a refusal, quoted in FRR words', (name) => {
    const [line, ...answer] = fixture(`frr/config-refusals/${name}.txt`).split('\n');
    const output = answer.join('\n');
    expect(frr.configRejection!.test(output)).toBe(true);
    const words = answer.find((l) => l.trim() !== '' && !/^Error type/.test(l))!.trim();
    expect(new CommandRejected('frr-a', line!, output).message).toContain(words);
  });

  it("a validation failure quotes FRR's reason, not only `% Configuration failed.`", () => {
    const [line, ...answer] = fixture('frr/config-refusals/validation-failed.txt').split('\n');
    expect(new CommandRejected('frr-a', line!, answer.join('\n')).message).toContain('% Configuration failed. Error description: Invalid prefix range for 10.0.0.0/8');
  });

  it('a line vtysh takes prints nothing, so it is not a refusal', () => {
    expect(frr.configRejection!.test('')).toBe(false);
    expect(frr.configRejection!.test('\r\n')).toBe(false);
  });

  it('outside config mode: `%` lines and a missing daemon are refusals, show output is not', () => {
    expect(frr.rejection.test(fixture('frr/show-ip-bgp-summary/none.txt'))).toBe(true);
    expect(frr.rejection.test('staticd is not running')).toBe(true);
    for (const f of ['show-version/edge-a.txt', 'show-vrrp/master.txt', 'show-running-config/edge-a.txt', 'show-ip-bgp-summary/edge-a.txt', 'show-interface-json/backup.json']) {
      expect(frr.rejection.test(fixture(`frr/${f}`)), f).toBe(false);
    }
  });
});

describe('FRR hidden defaults', () => {
  const b = fixture('frr/show-running-config/edge-b.txt'); // vrrp 5 at priority 100: printed as `vrrp 5`
  const a = fixture('frr/show-running-config/edge-a.txt'); // vrrp 5 priority 150
  const present = (running: string, lines: string[]) => compareWithRunning(withFrrDefaults(running), lines).map((s) => s.present);

  it.each([
    ['vrrp 5 priority 100', true],
    ['vrrp 5 version 3', true],
    ['vrrp 5 advertisement-interval 1000', true],
    ['vrrp 5 preempt', true],
    ['no vrrp 5 shutdown', true],
    ['vrrp 5 priority 120', false],
    ['vrrp 5 version 2', false],
    ['vrrp 9 priority 100', false],
  ])('on a router printing `vrrp 5` alone, %s is present: %s', (line, want) => {
    expect(b).not.toContain('vrrp 5 priority');
    expect(present(b, ['interface ens5', ` ${line}`])).toEqual([true, want]);
  });

  it('a default is not present where another value is configured', () => {
    expect(present(a, ['interface eth1', ' vrrp 5 priority 100'])).toEqual([true, false]);
    expect(present(a, ['interface eth1', ' vrrp 5 priority 150'])).toEqual([true, true]);
    expect(present(a.replace(' vrrp 5 priority 150', ' no vrrp 5 preempt'), ['interface eth1', ' vrrp 5 preempt'])).toEqual([true, false]);
  });

  it('BGP defaults of the traditional profile only, and not where the running config says otherwise', () => {
    expect(present(b, ['router bgp 65002', ' timers bgp 60 180', ' bgp default ipv4-unicast'])).toEqual([true, true, true]);
    expect(present(b, ['router bgp 65002', ' bgp ebgp-requires-policy'])).toEqual([true, false]); // `no bgp ebgp-requires-policy` is configured
    expect(present(b.replace('frr defaults traditional', 'frr defaults datacenter'), ['router bgp 65002', ' timers bgp 60 180'])).toEqual([true, false]);
  });

  it('leaves the configuration as printed otherwise', () => {
    expect(withFrrDefaults(a).split('\n').filter((l) => !a.split('\n').includes(l)).sort()).toEqual(
      [' bgp default ipv4-unicast', ' no vrrp 5 shutdown', ' timers bgp 60 180', ' vrrp 5 advertisement-interval 1000', ' vrrp 5 preempt', ' vrrp 5 version 3'].sort(),
    );
  });
});
