import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FAST_TIMINGS } from '../../../src/lab';
import { type LongRunning, runCli, startCli } from '../../support/cli-process';
import { connect, exec, refused } from './ssh-helpers';

let running: LongRunning | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const line = (o: object) => `${JSON.stringify(o)}\n`;

describe('netops lab', () => {
  it('starts a lab, writes the inventory and event log, serves SSH, and stops cleanly on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-cli-'));
    const inv = join(dir, 'inv.yaml');
    const events = join(dir, 'events.jsonl');
    running = startCli(['lab', '--devices', '4', '--pairs', '--platform-mix', '--fast', '--inventory-out', inv, '--event-log', events]);
    await running.waitFor(/Press Ctrl-C to stop\./, 30_000);
    expect(running.output()).toMatch(/4 devices \(2 iosxe, 2 nxos\), 2 redundancy groups, 1 site/);
    const doc = parse(readFileSync(inv, 'utf8'));
    const r2 = doc.devices['r2-a'];
    expect(r2.platform).toBe('nxos');
    const password = readFileSync(doc.credentials.lab.password.replace(/^file:/, ''), 'utf8');
    const fakeLab = { credentials: { username: 'admin', password } } as never;
    const c = await connect(fakeLab, { host: '127.0.0.1', port: r2.port, hostKey: r2.host_key } as never);
    expect((await exec(c, 'show hsrp brief')).out).toMatch(/Vlan10\s+10\s+110\s+P Active/);
    c.end();
    expect(await running.stop('SIGINT')).toBe(0);
    running = undefined;
    expect(await refused(r2.port)).toBe(true);
    const verify = await runCli(['lab', 'verify', events, '--max-reloads', '0']);
    expect(verify.stdout).toContain('OK: no invariant breached');
    expect(verify.code).toBe(0);
  });

  it('verify exits 1 with a timeline on a breach, prints JSON with --json, and 2 for a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-verify-'));
    const log = join(dir, 'bad.jsonl');
    const ev = (seq: number, t: number, body: object) => ({ seq, t, wall: new Date(1e12 + t).toISOString(), ...body });
    writeFileSync(
      log,
      line(ev(1, 0, { type: 'lab.start', devices: 2, timings: FAST_TIMINGS, groups: { g: ['a', 'b'] } })) +
        line(ev(2, 1, { type: 'redundancy', device: 'a', group: 'g', from: 'init', to: 'active', priority: 110 })) +
        line(ev(3, 5, { type: 'reload.start', device: 'a' })) +
        line(ev(4, 5, { type: 'redundancy', device: 'a', group: 'g', from: 'active', to: 'init', priority: 110 })) +
        line(ev(5, 9, { type: 'reload.start', device: 'b' })),
    );
    const text = await runCli(['lab', 'verify', log]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('[group-down] every member of group g (a, b) was down at once');
    expect(text.stdout).toMatch(/timeline:\n\s+\+\s+1\.0 ms {2}a g: init -> active/);
    const json = await runCli(['lab', 'verify', log, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).breaches[0].kind).toBe('group-down');
    const missing = await runCli(['lab', 'verify', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`netops: event log not found: ${join(dir, 'nope.jsonl')}\n`);
  });

  it('rejects bad flags before starting anything', async () => {
    const r = await runCli(['lab', '--devices', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--devices must be a whole number from 1 to 20000');
    const t = await runCli(['lab', '--topology', '/nonexistent/topo.yaml']);
    expect(t.code).toBe(2);
    expect(t.stderr).toBe('netops: topology file not found: /nonexistent/topo.yaml\n');
  });
});
