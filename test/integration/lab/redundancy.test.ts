import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, startLab, verifyEventLog } from '../../../src/lab';
import { Shell, connect, exec, sleep } from './ssh-helpers';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

async function configure(lab: Lab, name: string, lines: string[]): Promise<void> {
  const d = lab.device(name);
  const c = await connect(lab, d);
  const sh = await Shell.open(c);
  if (d.platform === 'iosxe') {
    await sh.expect(/>$/);
    await sh.cmd('enable', /Password: $/);
    await sh.cmd(lab.credentials.enableSecret, /#$/);
  } else await sh.expect(/# $/);
  await sh.cmd('configure terminal', /\(config\)# ?$/);
  for (const l of lines) {
    const out = await sh.cmd(l, /\)# ?$/);
    expect(out).not.toMatch(/Invalid|Unknown|Incomplete/);
  }
  await sh.cmd('end', /[^)]# ?$/);
  c.end();
}

describe('redundancy over SSH', () => {
  it('IOS-XE drain: lowering the active priority moves the active to the peer, restoring it preempts back after the delay', async () => {
    lab = await startLab({ devices: 2, pairs: true, fast: true });
    await configure(lab, 'r1-a', ['interface Vlan10', 'standby 10 priority 90']);
    await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'r1-b' && e.to === 'active', 2000);
    const c = await connect(lab, lab.device('r1-b'));
    expect((await exec(c, 'show standby brief')).out).toMatch(/Vl10\s+10\s+100 P Active\s+local\s+10\.0\.0\.2\s+10\.0\.0\.1/);
    c.end();
    // secondMs is 10 in fast mode: 'delay minimum 40' waits 400 ms.
    const before = lab.events.length;
    await configure(lab, 'r1-a', ['interface Vlan10', 'standby 10 preempt delay minimum 40', 'standby 10 priority 110']);
    const changed = lab.events.slice(before).find((e) => e.type === 'config.change' && e.line === 'standby 10 priority 110')!;
    await sleep(250);
    expect(lab.activeOf('site1-g1')).toBe('r1-b');
    const back = await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'r1-a' && e.to === 'active', 2000, changed.seq);
    expect(back.t - changed.t).toBeGreaterThanOrEqual(390);
    expect(verifyEventLog(lab.events, { graceMs: 0 }).breaches).toEqual([]);
  });

  it('NX-OS and FRR pairs fail over when the active reloads and preempt back when it returns', async () => {
    lab = await startLab({ topology: { sites: ['s'], devices: [
      { name: 'n1', platform: 'nxos', site: 's', redundancyGroup: 'gn' },
      { name: 'n2', platform: 'nxos', site: 's', redundancyGroup: 'gn' },
      { name: 'f1', platform: 'frr', site: 's', redundancyGroup: 'gf' },
      { name: 'f2', platform: 'frr', site: 's', redundancyGroup: 'gf' },
    ] }, fast: true });
    lab.device('n1').reload();
    lab.device('f1').reload();
    await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'n2' && e.to === 'active', 2000);
    await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'f2' && e.to === 'active', 2000);
    const c = await connect(lab, lab.device('f2'));
    expect((await exec(c, 'show vrrp')).out).toMatch(/Status \(v4\)\s+Master/);
    c.end();
    const upN = await lab.waitForEvent((e) => e.type === 'device.up' && e.device === 'n1', 2000);
    await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === 'n1' && e.to === 'active', 2000, upN.seq);
    expect(lab.device('n2').redundancyState).toBe('standby');
    const r = verifyEventLog(lab.events, { maxReloadsPerDevice: 1 });
    expect(r.ok).toBe(true);
    expect(r.stats.reloads).toBe(2);
  });
});
