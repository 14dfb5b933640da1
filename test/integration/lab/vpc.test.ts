import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLacpNeighbors, parsePortChannelSummary, parseVpc } from '../../../src/devices/platforms';
import { type Lab, readEventLog, startLab, verifyEventLog } from '../../../src/lab';
import type { LabTopology } from '../../../src/lab';
import { Shell, connect, exec } from './ssh-helpers';

let lab: Lab | undefined;
let dir: string | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const topology: LabTopology = {
  sites: ['dc1'],
  devices: [
    { name: 'n1-a', platform: 'nxos', site: 'dc1', redundancyGroup: 'dc1-g1', vpcDomain: 12 },
    { name: 'n1-b', platform: 'nxos', site: 'dc1', redundancyGroup: 'dc1-g1', vpcDomain: 12 },
    { name: 'sw1', platform: 'iosxe', site: 'dc1', uplinks: ['n1-a', 'n1-b'] },
  ],
};

async function show(l: Lab, name: string, command: string): Promise<string> {
  const c = await connect(l, l.device(name));
  try {
    const r = await exec(c, command);
    expect(r.code, `${name}: ${command}\n${r.out}`).toBe(0);
    return r.out;
  } finally {
    c.end();
  }
}

const members = async (l: Lab) => parsePortChannelSummary(await show(l, 'sw1', 'show etherchannel summary'))[0]!.members.map((m) => `${m.port}:${m.state}`);

describe('lab vPC pair with a dual-homed access switch, over SSH', () => {
  it('isolating a peer (GIR), reloading it and returning it keeps the access switch on one member throughout; the event log proves it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-vpc-'));
    const eventLogPath = join(dir, 'events.jsonl');
    lab = await startLab({ topology, fast: true, eventLogPath });
    expect(parseVpc(await show(lab, 'n1-b', 'show vpc brief'))).toMatchObject({ domainId: 12, role: 'secondary', peerAdjacent: true, consistency: 'success' });
    expect(await members(lab)).toEqual(['Gi1/0/49:bundled', 'Gi1/0/50:bundled']);
    expect(await show(lab, 'n1-a', 'show lldp neighbors')).toMatch(/^sw1\s+Eth1\/11\s+120\s+BR\s+Gi1\/0\/49\s*$/m);

    // Graceful removal, as an operator types it.
    const c = await connect(lab, lab.device('n1-a'));
    const sh = await Shell.open(c);
    await sh.expect(/# $/);
    await sh.cmd('configure terminal', /\(config\)# $/);
    await sh.cmd('system mode maintenance', /Do you want to continue \(yes\/no\)\? \[no\] $/);
    sh.send('yes\r');
    await sh.expect(/Maintenance mode operation successful\.\r\n.*\(config\)# $/s, 5000);
    await sh.cmd('end', /# $/);
    expect(await show(lab, 'n1-a', 'show system mode')).toContain('System Mode: Maintenance');
    expect(parseVpc(await show(lab, 'n1-b', 'show vpc'))).toMatchObject({ operationalRole: 'primary', peerAdjacent: false });
    expect(await members(lab)).toEqual(['Gi1/0/49:down', 'Gi1/0/50:bundled']);
    expect(parseLacpNeighbors(await show(lab, 'sw1', 'show lacp neighbor')).map((n) => n.port)).toEqual(['Gi1/0/50']);

    // The reload: the switch comes back still isolated, until normal mode is restored.
    const up = lab.events.length;
    sh.ch.write('reload\r');
    await sh.expect(/\(y\/n\)\?  \[n\] $/);
    sh.ch.write('y');
    await lab.waitForEvent((e) => e.type === 'device.up' && e.device === 'n1-a', 5000, up);
    c.end();
    expect(await show(lab, 'n1-a', 'show system mode')).toContain('System Mode: Maintenance');
    expect(await members(lab)).toEqual(['Gi1/0/49:down', 'Gi1/0/50:bundled']);
    const c2 = await connect(lab, lab.device('n1-a'));
    const sh2 = await Shell.open(c2);
    await sh2.expect(/# $/);
    await sh2.cmd('configure terminal', /\(config\)# $/);
    await sh2.cmd('no system mode maintenance', /\[no\] $/);
    const before = lab.events.length;
    sh2.send('yes\r');
    await sh2.expect(/Mode change operation successful\.\r\n.*\(config\)# $/s, 5000);
    c2.end();
    await lab.waitForEvent((e) => e.type === 'path' && e.device === 'sw1' && e.via === 'n1-a' && e.up, 5000, before);
    expect(parseVpc(await show(lab, 'n1-a', 'show vpc'))).toMatchObject({ role: 'primary', operationalRole: 'secondary', peerAdjacent: true, vpcs: [{ up: true }] });
    expect(await members(lab)).toEqual(['Gi1/0/49:bundled', 'Gi1/0/50:bundled']);

    await lab.stop();
    const events = readEventLog(eventLogPath);
    expect(events.filter((e) => e.type === 'path').map((e) => e.type === 'path' && `${e.via}:${e.up}`)).toEqual(['n1-a:false', 'n1-a:true']);
    expect(verifyEventLog(events)).toMatchObject({ ok: true, breaches: [] });
  });

  it('with a consistency failure, reloading the primary cuts the access switch off: the verifier fails the run and names it', async () => {
    lab = await startLab({ topology, fast: true });
    lab.setFault('n1-a', { kind: 'vpc-consistency-failure' });
    expect(parseVpc(await show(lab, 'n1-b', 'show vpc'))).toMatchObject({ consistency: 'failed', vpcs: [{ up: false, consistency: 'failed' }] });
    const c = await connect(lab, lab.device('n1-a'));
    const sh = await Shell.open(c);
    await sh.expect(/# $/);
    sh.ch.write('reload\r');
    await sh.expect(/\[n\] $/);
    sh.ch.write('y');
    await lab.waitForEvent((e) => e.type === 'reload.start' && e.device === 'n1-a', 3000);
    c.end();
    const r = verifyEventLog(lab.events);
    expect(r.breaches.map((b) => [b.kind, b.subject])).toEqual([['dual-homed-cut', 'sw1']]);
    expect(r.breaches[0]!.message).toContain('via n1-b (vPC on n1-b suspended (Global compat check failed))');
  });
});
