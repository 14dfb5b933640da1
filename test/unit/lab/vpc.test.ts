import { afterEach, describe, expect, it } from 'vitest';
import { parseLacpNeighbors, parsePortChannelSummary, parseVpc } from '../../../src/devices/platforms';
import { showCdpNeighbors, showEtherchannelSummary, showLacpNeighbor, showLldpNeighbors, showPortChannelSummary, showSystemMode, showVpc, showVpcConsistencyGlobal, showVpcRole } from '../../../src/lab/cli/show-fabric';
import { LabDevice } from '../../../src/lab/device';
import { EventLog } from '../../../src/lab/events';
import { Fabric } from '../../../src/lab/fabric';
import { declaredGroups } from '../../../src/lab/inventory';
import { RedundancyGroup } from '../../../src/lab/redundancy';
import { FAST_TIMINGS } from '../../../src/lab/timings';
import { generateTopology, initialConfig, parseTopology } from '../../../src/lab/topology';
import type { LabDeviceSpec, LabFault } from '../../../src/lab/types';
import { verifyEventLog } from '../../../src/lab/verify';
import { FakeTerminal } from './fake-cli';

/**
 * The lab's vPC world without sockets: two NX-OS peers in domain 2 (also an
 * HSRP pair) and an IOS-XE access switch whose port channel has a member on
 * each. Outputs are read back with the product's parsers, which are proven
 * on real captures: where they disagree, the lab is wrong.
 */
function vpcWorld(faults: Partial<Record<'a' | 'b', LabFault[]>> = {}) {
  const log = new EventLog();
  const specs: LabDeviceSpec[] = [
    { name: 'n1-a', platform: 'nxos', site: 's', redundancyGroup: 'g', vpcDomain: 2, faults: faults.a },
    { name: 'n1-b', platform: 'nxos', site: 's', redundancyGroup: 'g', vpcDomain: 2, faults: faults.b },
    { name: 'sw1', platform: 'iosxe', site: 's', uplinks: ['n1-a', 'n1-b'] },
  ];
  const devices = specs.map((s, i) => new LabDevice(s, initialConfig(s, i, 0, i, 0), { timings: FAST_TIMINGS, log }));
  const [a, b, sw] = devices as [LabDevice, LabDevice, LabDevice];
  const group = new RedundancyGroup('g', log, FAST_TIMINGS.holdMs);
  for (const d of [a, b]) {
    group.add(d);
    d.group = group;
  }
  const fabric = new Fabric(log, FAST_TIMINGS);
  fabric.build(devices, (n) => devices.find((d) => d.name === n)!, new Map([['g', ['n1-a', 'n1-b']]]));
  log.emit({ type: 'lab.start', devices: 3, timings: FAST_TIMINGS, groups: { g: ['n1-a', 'n1-b'] }, dualHomed: fabric.dualHomed() });
  for (const d of devices) {
    d.onChange = () => fabric.changed(d);
    fabricOf.set(d, fabric);
  }
  group.bootstrap();
  fabric.bootstrap();
  worlds.push({ fabric, group, devices });
  return { a, b, sw, log, fabric, group };
}

/** Which fabric a device is cabled into (the CLI gets it from its session host). */
const fabricOf = new Map<LabDevice, Fabric>();
const F = (d: LabDevice) => fabricOf.get(d);
const worlds: Array<{ fabric: Fabric; group: RedundancyGroup; devices: LabDevice[] }> = [];
afterEach(() => {
  fabricOf.clear();
  for (const w of worlds.splice(0)) {
    w.fabric.stop();
    w.group.stop();
    for (const d of w.devices) d.stop();
  }
});

const text = (lines: string[]) => lines.join('\n');
const vpc = (d: LabDevice) => parseVpc(text(showVpc(d, F(d))));
const bundle = (sw: LabDevice) => parsePortChannelSummary(text(showEtherchannelSummary(sw, F(sw))))[0]!.members.map((m) => `${m.port}:${m.state}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A reload without an SSH server: down now, back after the boot time. */
function powerOff(d: LabDevice) {
  d.reload('test');
}
const backUp = (d: LabDevice) => new Promise<void>((r) => {
  const poll = setInterval(() => {
    if (d.power !== 'up') return;
    clearInterval(poll);
    r();
  }, 5);
});
/** Form (150 ms) plus delay restore (30 configured seconds x 10 ms), with room for a loaded host. */
const SETTLE = FAST_TIMINGS.vpcFormMs + 30 * FAST_TIMINGS.secondMs + 200;

describe('lab vPC domain', () => {
  it('a healthy pair reads back as healthy with the product parsers', () => {
    const { a, b, sw } = vpcWorld();
    expect(vpc(a)).toMatchObject({ domainId: 2, role: 'primary', operationalRole: 'primary', peerAdjacent: true, keepaliveAlive: true, consistency: 'success', configuredVpcs: 1 });
    expect(vpc(b)).toMatchObject({ role: 'secondary', operationalRole: 'secondary', peerAdjacent: true, vpcs: [{ id: 10, port: 'Po10', up: true, consistency: 'success' }] });
    expect(vpc(a).peerLinks).toEqual([{ id: 1, port: 'Po1', up: true, activeVlans: '1,10' }]);
    expect(parsePortChannelSummary(text(showPortChannelSummary(a, F(a)))).map((p) => [p.name, p.up, p.members.map((m) => m.state)])).toEqual([
      ['Po1', true, ['bundled', 'bundled']],
      ['Po10', true, ['bundled']],
    ]);
    expect(bundle(sw)).toEqual(['Gi1/0/49:bundled', 'Gi1/0/50:bundled']);
    // Both peers answer LACP as one system (the vPC system MAC); the peers see the access switch as their partner.
    const partners = parseLacpNeighbors(text(showLacpNeighbor(sw, F(sw))));
    expect(new Set(partners.map((p) => p.partnerSystem))).toEqual(new Set(['0023.04ee.be02']));
    expect(parseLacpNeighbors(text(showLacpNeighbor(a, F(a))))).toMatchObject([{ channel: 'Po10', port: 'Eth1/11', active: true }]);
    expect(text(showVpcRole(b, F(b)))).toMatch(/vPC role\s+: secondary\n/);
  });

  it('the primary reloads: the secondary acts as primary, the access switch keeps one member; back, the roles stay swapped and its vPC waits for delay restore', async () => {
    const { a, b, sw, log } = vpcWorld();
    powerOff(a);
    expect(vpc(b)).toMatchObject({ role: 'secondary', operationalRole: 'primary', peerAdjacent: false, peerStatus: 'peer link is down', keepaliveAlive: false, consistency: 'failed', consistencyReason: 'Consistency Check Not Performed' });
    expect(vpc(b).vpcs[0]!.up).toBe(true);
    expect(bundle(sw)).toEqual(['Gi1/0/49:down', 'Gi1/0/50:bundled']);
    expect(showLldpNeighbors(b, F(b), false).filter((l) => l.startsWith('n1-a'))).toEqual([]);
    await backUp(a);
    // Not yet adjacent: the returning peer's vPC stays down, the one that stayed carries the traffic.
    expect(vpc(a).peerAdjacent).toBe(false);
    expect(bundle(sw)).toEqual(['Gi1/0/49:down', 'Gi1/0/50:bundled']);
    await sleep(FAST_TIMINGS.vpcFormMs + 50);
    expect(vpc(a)).toMatchObject({ role: 'primary', operationalRole: 'secondary', peerAdjacent: true });
    expect(vpc(b)).toMatchObject({ role: 'secondary', operationalRole: 'primary' });
    expect(text(showVpc(a, F(a)))).toMatch(/Delay-restore status\s+: Timer is on\./);
    expect(vpc(a).vpcs[0]!.up).toBe(false);
    await sleep(30 * FAST_TIMINGS.secondMs + 100);
    expect(vpc(a).vpcs[0]!.up).toBe(true);
    expect(bundle(sw)).toEqual(['Gi1/0/49:bundled', 'Gi1/0/50:bundled']);
    expect(verifyEventLog(log.events).ok).toBe(true);
  });

  it('a peer-link cut with the keepalive alive: the secondary suspends its vPCs, the primary keeps them', () => {
    const { a, b, sw } = vpcWorld({ b: [{ kind: 'vpc-peer-link-down' }] });
    expect(vpc(a)).toMatchObject({ peerStatus: 'peer link is down', keepaliveAlive: true, peerAdjacent: false });
    expect(vpc(a).peerLinks[0]!.up).toBe(false);
    expect(parsePortChannelSummary(text(showPortChannelSummary(b, F(b))))[1]!.members[0]!.state).toBe('suspended');
    expect(bundle(sw)).toEqual(['Gi1/0/49:bundled', 'Gi1/0/50:down']);
  });

  it('a global type-1 mismatch: consistency failed with its reason, the secondary suspended; reloading the primary then cuts the access switch off, and the invariant names it', () => {
    const { a, b, sw, log } = vpcWorld({ a: [{ kind: 'vpc-consistency-failure' }] });
    expect(vpc(a)).toMatchObject({ consistency: 'failed', consistencyReason: 'vPC type-1 configuration incompatible - STP Mode inconsistent', peerAdjacent: true });
    expect(vpc(b).vpcs[0]).toMatchObject({ up: false, consistency: 'failed', reason: 'Global compat check failed' });
    expect(text(showVpcConsistencyGlobal(b, F(b)))).toMatch(/^STP Mode\s+1\s+Rapid-PVST\s+MST$/m);
    expect(verifyEventLog(log.events).ok).toBe(true);
    powerOff(a);
    expect(bundle(sw)).toEqual(['Gi1/0/49:down', 'Gi1/0/50:down']);
    const r = verifyEventLog(log.events);
    expect(r.breaches.map((x) => [x.kind, x.subject])).toEqual([['dual-homed-cut', 'sw1']]);
    expect(r.breaches[0]!.message).toBe('dual-homed sw1 lost both paths at once: GigabitEthernet1/0/49 via n1-a (n1-a is booting), GigabitEthernet1/0/50 via n1-b (vPC on n1-b suspended (Global compat check failed))');
    expect(r.breaches[0]!.timeline.map((e) => ('device' in e ? e.device : ''))).toEqual(expect.arrayContaining(['n1-a', 'sw1']));
  });

  it('both peers down at once is a cut; the access switch reloading itself is not', () => {
    const one = vpcWorld();
    powerOff(one.sw);
    expect(one.log.events.filter((e) => e.type === 'path').map((e) => e.type === 'path' && e.up)).toEqual([false, false]);
    expect(verifyEventLog([...one.log.events]).ok).toBe(true);
    const two = vpcWorld();
    powerOff(two.a);
    powerOff(two.b);
    expect(verifyEventLog(two.log.events).breaches.map((x) => x.kind)).toEqual(['group-down', 'dual-homed-cut']);
  });
});

describe('lab vPC fabric at scale', () => {
  it('a fleet of vPC pairs boots with every member link bundled: no path event, no breach', () => {
    const t = generateTopology({ devices: 60, pairs: true, platformMix: true, sites: 2, downstream: true });
    const log = new EventLog();
    const devices = t.devices.map((s, i) => new LabDevice(s, initialConfig(s, i, i >> 1, i & 1, 0), { timings: FAST_TIMINGS, log }));
    const byName = new Map(devices.map((d) => [d.name, d]));
    const groups = new Map<string, string[]>();
    for (const d of devices) if (d.redundancyGroup) groups.set(d.redundancyGroup, [...(groups.get(d.redundancyGroup) ?? []), d.name]);
    const fabric = new Fabric(log, FAST_TIMINGS);
    fabric.build(devices, (n) => byName.get(n)!, groups);
    for (const d of devices) {
      d.onChange = () => fabric.changed(d);
      fabricOf.set(d, fabric);
    }
    fabric.bootstrap();
    worlds.push({ fabric, group: new RedundancyGroup('none', log, 1), devices });
    expect(fabric.domains).toHaveLength(10);
    expect(Object.keys(fabric.dualHomed())).toHaveLength(10);
    expect(log.events.filter((e) => e.type === 'path')).toEqual([]);
    expect(devices.filter((d) => d.uplinks).map((d) => bundle(d).join(' '))).toEqual(Array(10).fill('Gi1/0/49:bundled Gi1/0/50:bundled'));
  });

  it('an access switch isolating itself leaves its paths: not a cut', async () => {
    const { sw, log } = vpcWorld();
    expect(sw.setSystemMode('maintenance')).toBe(true);
    expect(bundle(sw)).toEqual(['Gi1/0/49:down', 'Gi1/0/50:down']);
    expect(verifyEventLog(log.events).ok).toBe(true);
    sw.setSystemMode('normal');
    expect(bundle(sw)).toEqual(['Gi1/0/49:bundled', 'Gi1/0/50:bundled']);
  });
});

describe('lab maintenance mode', () => {
  it('NX-OS system mode maintenance shuts the vPC domain: the peer takes over, the access switch keeps the other member; normal mode restores it', async () => {
    const { a, b, sw, log, group } = vpcWorld();
    const t = new FakeTerminal(a, log, true, F(a));
    await t.line('configure terminal');
    const asked = await t.line('system mode maintenance');
    expect(asked).toContain('Following configuration will be applied:');
    expect(asked).toMatch(/vpc domain 2\r\n {2}shutdown/);
    expect(asked).toContain('Do you want to continue (yes/no)? [no] ');
    const done = await t.line('yes');
    await sleep(3 * FAST_TIMINGS.secondMs + 50);
    expect(t.output).toContain('Maintenance mode operation successful.');
    expect(done).toContain('Applying : ');
    expect(showSystemMode(a)).toEqual(['System Mode: Maintenance']);
    expect(vpc(b)).toMatchObject({ operationalRole: 'primary', peerAdjacent: false });
    expect(bundle(sw)).toEqual(['Gi1/0/49:down', 'Gi1/0/50:bundled']);
    await sleep(FAST_TIMINGS.holdMs + 100);
    expect(group.active()).toBe('n1-b');
    expect(t.mutating).toContain('config');
    // Idempotent: already in maintenance, nothing asked.
    expect(await t.line('system mode maintenance')).toContain('System mode is already maintenance.');
    await t.line('no system mode maintenance');
    await t.line('yes');
    await sleep(3 * FAST_TIMINGS.secondMs + SETTLE);
    expect(t.output).toContain('Mode change operation successful.');
    expect(showSystemMode(a)).toEqual(['System Mode: Normal']);
    expect(vpc(a)).toMatchObject({ peerAdjacent: true, operationalRole: 'secondary' });
    expect(bundle(sw)).toEqual(['Gi1/0/49:bundled', 'Gi1/0/50:bundled']);
    expect(verifyEventLog(log.events).ok).toBe(true);
  });

  it('IOS-XE start maintenance gives up HSRP; stop maintenance takes it back', async () => {
    const log = new EventLog();
    const specs: LabDeviceSpec[] = [
      { name: 'r1-a', platform: 'iosxe', site: 's', redundancyGroup: 'g' },
      { name: 'r1-b', platform: 'iosxe', site: 's', redundancyGroup: 'g' },
    ];
    const [a, b] = specs.map((s, i) => new LabDevice(s, initialConfig(s, i, 0, i, 0), { timings: FAST_TIMINGS, log })) as [LabDevice, LabDevice];
    const group = new RedundancyGroup('g', log, FAST_TIMINGS.holdMs);
    for (const d of [a, b]) {
      group.add(d);
      d.group = group;
    }
    group.bootstrap();
    worlds.push({ fabric: new Fabric(log, FAST_TIMINGS), group, devices: [a, b] });
    expect(group.active()).toBe('r1-a');
    const t = new FakeTerminal(a, log, false);
    t.session.mode = { mode: 'exec' };
    expect(await t.line('start maintenance')).toContain('Template default will be applied. Do you want to continue?[confirm]');
    await t.type('\r');
    await sleep(3 * FAST_TIMINGS.secondMs + FAST_TIMINGS.holdMs + 100);
    expect(showSystemMode(a)[0]).toBe('System Mode: Maintenance');
    expect(group.active()).toBe('r1-b');
    expect(await t.line('start maintenance')).toContain('% System is already in maintenance mode');
    await t.line('stop maintenance');
    await sleep(3 * FAST_TIMINGS.secondMs + FAST_TIMINGS.preemptDelayMs + 100);
    expect(showSystemMode(a)).toEqual(['System Mode: Normal']);
    expect(group.active()).toBe('r1-a');
  });
});

describe('lab LLDP and CDP neighbours', () => {
  it('follow the cables: peer-link and vPC member on a peer, both uplinks on the access switch', () => {
    const { a, sw } = vpcWorld();
    const rows = (lines: string[]) => lines.filter((l) => /^(n1|sw1)/.test(l));
    expect(rows(showLldpNeighbors(a, F(a), false)).map((l) => l.split(/\s+/).filter(Boolean))).toEqual([
      ['sw1', 'Eth1/11', '120', 'BR', 'Gi1/0/49'],
      ['n1-b', 'Eth1/53', '120', 'BR', 'Ethernet1/53'],
      ['n1-b', 'Eth1/54', '120', 'BR', 'Ethernet1/54'],
    ]);
    expect(rows(showLldpNeighbors(sw, F(sw), false)).map((l) => l.split(/\s+/).filter(Boolean))).toEqual([
      ['n1-a', 'Gi1/0/49', '120', 'B,R', 'Ethernet1/11'],
      ['n1-b', 'Gi1/0/50', '120', 'B,R', 'Ethernet1/11'],
    ]);
    expect(text(showLldpNeighbors(sw, F(sw), true))).toMatch(/Local Intf: Gi1\/0\/50\nChassis id: [0-9a-f.]+\nPort id: Ethernet1\/11\nPort Description: Ethernet1\/11\nSystem Name: n1-b/);
    // CDP on IOS-XE: an NX-OS device id (name and serial) fills its column, the row continues below.
    const cdp = showCdpNeighbors(sw, F(sw), false);
    const i = cdp.findIndex((l) => /^n1-a\(FDO[0-9A-F]+\)$/.test(l));
    expect(cdp[i + 1]).toMatch(/^ {17}Gig 1\/0\/49\s+133\s+R S I s\s+N9K-C9318 Eth 1\/11$/);
    expect(text(showCdpNeighbors(a, F(a), true))).toContain('Interface: Ethernet1/53, Port ID (outgoing port): Ethernet1/53');
    expect(showLldpNeighbors(a, F(a), false).at(-1)).toBe('Total entries displayed: 3');
  });
});

describe('lab topology and inventory for vPC', () => {
  it('generated NX-OS pairs form vPC domains, with a dual-homed access switch each on request', () => {
    const t = generateTopology({ devices: 6, pairs: true, platformMix: true, downstream: true });
    expect(t.devices.filter((d) => d.vpcDomain).map((d) => [d.name, d.vpcDomain])).toEqual([
      ['r2-a', 2],
      ['r2-b', 2],
    ]);
    expect(t.devices.find((d) => d.uplinks)).toMatchObject({ name: 'sw2', platform: 'iosxe', uplinks: ['r2-a', 'r2-b'] });
    expect(t.devices.find((d) => d.name === 'sw2')?.redundancyGroup).toBeUndefined();
    expect(generateTopology({ devices: 6, pairs: true, platformMix: true }).devices).toHaveLength(6);
  });

  it('a topology file names its vPC domains and uplinks; a bad uplink is refused', () => {
    const ok = parseTopology({ devices: [{ name: 'x', platform: 'nxos', vpc_domain: 7 }, { name: 'y', platform: 'nxos', vpc_domain: 7 }, { name: 's', uplinks: ['x', 'y'] }] });
    expect(ok.devices.map((d) => [d.vpcDomain, d.uplinks])).toEqual([[7, undefined], [7, undefined], [undefined, ['x', 'y']]]);
    expect(() => parseTopology({ devices: [{ name: 's', uplinks: ['x', 'y'] }] })).toThrow('topology: device s: uplink x is not a device of the topology');
    expect(() => parseTopology({ devices: [{ name: 'x', platform: 'iosxe', vpc_domain: 7 }] })).toThrow('vpc_domain is NX-OS only');
  });

  it('a mis-paired inventory swaps two devices between their groups', () => {
    const { a, b, sw } = vpcWorld();
    const other = new LabDevice({ name: 'r9-a', platform: 'iosxe', site: 's', redundancyGroup: 'h' }, initialConfig({ name: 'r9-a', platform: 'iosxe', site: 's' }, 9, 1, 0, 0), { timings: FAST_TIMINGS, log: new EventLog() });
    const declared = declaredGroups([a, b, sw, other], { swapGroups: ['n1-a', 'r9-a'] });
    expect(Object.fromEntries(declared)).toEqual({ 'n1-a': 'h', 'n1-b': 'g', sw1: undefined, 'r9-a': 'g' });
    expect(() => declaredGroups([a, b], { swapGroups: ['n1-a', 'n1-b'] })).toThrow('must be in two different redundancy groups');
  });
});
