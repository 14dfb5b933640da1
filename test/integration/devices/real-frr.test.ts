import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type DeviceAccess } from '../../../src/activities';
import { ConfigBackups } from '../../../src/activities/config-backups';
import { configPushInputFromFlags } from '../../../src/cli/rollout/config-push';
import { NetopsClient } from '../../../src/client/netops-client';
import { CommandRejected, configDiffLines, parseVersion, showRunningConfig, withSession, type SessionTarget } from '../../../src/devices';
import { buildActivities } from '../../../src/workers/activities';
import { TEST_TIMINGS } from '../../support/rollout-fixture';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

/**
 * The FRR dialect, parsers, config push and drain against real FRRouting
 * (Debian `frr`, 8.4 here): two routers `frr-a` and `frr-b` in a VRRP pair
 * (group 5, virtual IP 10.199.1.254) with eBGP between them, each in a
 * network namespace of its own behind a real OpenSSH sshd whose login shell
 * is vtysh (real-frr.sh). The pair link is `eth1` on one and `ens5` on the
 * other. Every expected value comes from the router itself: vtysh's JSON,
 * the kernel's view of the namespace (`ip -j link`), the installed package.
 * Runs only as root with frr and sshd installed (scripts/ensure-test-packages.sh).
 */
const script = join(__dirname, 'real-frr.sh');
const available = process.getuid?.() === 0 && ['/usr/bin/vtysh', '/usr/sbin/sshd', '/usr/lib/frr/zebra', '/usr/lib/frr/vrrpd'].every((p) => existsSync(p));
const quiet = new DefaultLogger('ERROR');
const opts = { timeouts: { commandMs: 15_000, idleMs: 10_000 } };
const VIP = '10.199.1.254';

let dir = '';
const devices: Record<'a' | 'b', DeviceAccess> = {} as never;
let acts: ReturnType<typeof createActivities>;
let backups: ConfigBackups;

const target = (d: DeviceAccess): SessionTarget => ({ ...d, hostKeyCheck: 'strict' }) as SessionTarget;
const creds = { username: 'netops', password: 'netops-pw' };
function run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, ...args);
}
/** One vtysh command over SSH (exec channel: `vtysh -c`), the router's own answer. */
async function vtysh(d: DeviceAccess, command: string): Promise<string> {
  return (await withSession(target(d), creds, (s) => s.exec(command), opts)).stdout;
}
const json = async <T,>(d: DeviceAccess, command: string): Promise<T> => JSON.parse(await vtysh(d, command)) as T;
/** The kernel's view of a router's links, from inside its namespace. */
function kernelLinks(r: 'a' | 'b'): { ifname: string; flags: string[]; operstate: string; proto_down?: boolean }[] {
  return JSON.parse(execFileSync('ip', ['-n', `netops-frr-${r}`, '-j', '-d', 'link', 'show'], { encoding: 'utf8' }));
}
async function configure(d: DeviceAccess, lines: string[]): Promise<void> {
  await withSession(target(d), creds, (s) => s.configure(lines), opts);
}
async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
interface VrrpJson {
  vrid: number;
  interface: string;
  preemptMode: boolean;
  v4: { status: string; effectivePriority: number; addresses: string[]; interface: string };
}
const vrrpOf = async (d: DeviceAccess) => (await json<VrrpJson[]>(d, 'show vrrp json')).find((v) => v.vrid === 5)!;

describe.skipIf(!available)('real FRRouting: a VRRP pair with BGP, over OpenSSH + vtysh', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netops-frr-'));
    const lines = execFileSync('bash', [script, 'up', dir], { encoding: 'utf8' }).trim().split('\n');
    for (const line of lines) {
      const [name, host, port, type, key] = line.split(/\s+/);
      const r = name!.slice(-1) as 'a' | 'b';
      devices[r] = {
        name: name!,
        host: host!,
        port: Number(port),
        platform: 'frr',
        hostKey: `${type} ${key}`,
        hostKeyCheck: 'strict',
        credentials: { set: 'frr', username: 'netops', password: { kind: 'env', name: 'FRR_PW' } },
      };
    }
    backups = new ConfigBackups(join(dir, 'backups'));
    acts = createActivities({ resolveSecret: async () => creds.password, sessionOptions: opts, configBackups: backups });
    await configure(devices.a, ['interface eth1', ' vrrp 5 version 3', ' vrrp 5 priority 150', ` vrrp 5 ip ${VIP}`, 'exit', 'router bgp 65001', ' bgp router-id 10.199.1.1', ' no bgp ebgp-requires-policy', ' neighbor 10.199.1.2 remote-as 65002', 'exit']);
    await configure(devices.b, ['interface ens5', ' vrrp 5 version 3', ' vrrp 5 priority 100', ` vrrp 5 ip ${VIP}`, 'exit', 'router bgp 65002', ' bgp router-id 10.199.1.2', ' no bgp ebgp-requires-policy', ' neighbor 10.199.1.1 remote-as 65001', 'exit']);
    await until('frr-a VRRP master and frr-b backup', async () => (await vrrpOf(devices.a)).v4.status === 'Master' && (await vrrpOf(devices.b)).v4.status === 'Backup');
    await until('the eBGP session', async () => (await json<{ ipv4Unicast: { peers: Record<string, { state: string }> } }>(devices.a, 'show bgp summary json')).ipv4Unicast.peers['10.199.1.2']?.state === 'Established', 60_000);
  }, 120_000);

  afterAll(() => {
    if (dir) execFileSync('bash', [script, 'down', dir]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('collects version, VRRP, BGP and interfaces as the router itself reports them', async () => {
    const pkg = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'frr'], { encoding: 'utf8' });
    for (const r of ['a', 'b'] as const) {
      const d = devices[r];
      const snap = await run(acts.snapshot, { device: d });
      expect(pkg.startsWith(`${snap.version}-`), `${d.name}: package ${pkg} vs ${snap.version}`).toBe(true);
      expect(snap.uptimeSeconds).toBeUndefined(); // FRR prints no uptime; netops reports none rather than a guess

      const vrrp = await json<VrrpJson[]>(d, 'show vrrp json');
      expect(snap.redundancy).toHaveLength(vrrp.length);
      for (const v of vrrp) {
        const got = snap.redundancy.find((e) => e.group === v.vrid)!;
        expect(got).toMatchObject({ interface: v.interface, priority: v.v4.effectivePriority, preempt: v.preemptMode, state: v.v4.status, virtualIp: v.v4.addresses[0] });
      }

      const bgp = await json<{ ipv4Unicast: { peers: Record<string, { remoteAs: number; state: string; pfxRcd: number }> } }>(d, 'show bgp summary json');
      const peers = Object.entries(bgp.ipv4Unicast.peers);
      expect(snap.bgp).toHaveLength(peers.length);
      for (const [ip, p] of peers) {
        expect(snap.bgp.find((n) => n.neighbor === ip)).toMatchObject({ as: String(p.remoteAs), established: p.state === 'Established', ...(p.state === 'Established' ? { prefixesReceived: p.pfxRcd } : {}) });
      }

      const links = kernelLinks(r);
      expect(snap.interfaces.map((i) => i.name).sort()).toEqual(links.map((l) => l.ifname).sort());
      for (const l of links) {
        // lo is `UNKNOWN` to the kernel (no carrier concept) and up when flagged UP.
        const up = l.flags.includes('UP') && (l.operstate === 'UP' || (l.ifname === 'lo' && l.operstate === 'UNKNOWN')) && l.proto_down !== true;
        expect(snap.interfaces.find((i) => i.name === l.ifname)?.up, `${d.name} ${l.ifname}`).toBe(up);
      }
    }
  });

  it("reports the backup's VRRP macvlan down: vrrpd holds it protodown, though `show interface brief` says up", async () => {
    const snap = await run(acts.snapshot, { device: devices.b });
    expect(snap.interfaces.find((i) => i.name === 'mv-vr5')).toEqual({ name: 'mv-vr5', up: false });
    expect(kernelLinks('b').find((l) => l.ifname === 'mv-vr5')?.proto_down).toBe(true);
    expect(await vtysh(devices.b, 'show interface brief')).toMatch(/^mv-vr5\s+up\s/m);
    expect((await run(acts.snapshot, { device: devices.a })).interfaces.find((i) => i.name === 'vrrp4-5')).toEqual({ name: 'vrrp4-5', up: true });
  });

  it('a pushed default reads as present (FRR hides it), and a second push of applied lines is unchanged', async () => {
    // frr-b holds `vrrp 5 priority 100`, which FRR prints as `vrrp 5` alone.
    expect(await vtysh(devices.b, 'show running-config')).not.toContain('vrrp 5 priority');
    const defaults = ['interface ens5', ' vrrp 5 priority 100', ' vrrp 5 version 3', ' vrrp 5 preempt', 'exit', 'router bgp 65002', ' bgp ebgp-requires-policy', 'exit'];
    expect(await run(acts.configState, { device: devices.b, lines: defaults })).toMatchObject({ missing: 1 }); // `no bgp ebgp-requires-policy` is configured
    expect(await run(acts.configState, { device: devices.b, lines: defaults.filter((l) => !l.includes('ebgp')) })).toMatchObject({ missing: 0 });
    expect(await run(acts.configState, { device: devices.a, lines: ['interface eth1', ' vrrp 5 priority 100'] })).toMatchObject({ missing: 1 }); // frr-a holds 150

    const change = ['interface ens5', ' description netops pair link', 'exit'];
    expect((await run(acts.configState, { device: devices.b, lines: change })).missing).toBe(1);
    await run(acts.applyConfig, { device: devices.b, lines: change });
    expect(await run(acts.configState, { device: devices.b, lines: change })).toMatchObject({ missing: 0 });
    await configure(devices.b, ['interface ens5', ' no description', 'exit']);
  });

  const rejected: [string, string[], RegExp][] = [
    ['% Unknown command', ['interface eth1', ' bogus thing'], /% Unknown command: +bogus thing/],
    ['% Configuration failed. + Error description', ['ip prefix-list NETOPS seq 5 permit 10.0.0.0/8 le 4'], /% Configuration failed\. Error description: Invalid prefix range/],
    ['a daemon message without %', ['router bgp 65099'], /BGP is already running; AS is 65001/],
    ['a missing daemon', ['ip route 10.99.0.0/16 10.199.1.2'], /staticd is not running/],
    ['% Command incomplete', ['interface eth1', ' vrrp 5 priority'], /% Command incomplete: +vrrp 5 priority/],
  ];
  it.each(rejected)('stops at a line FRR refuses (%s), quotes FRR, and the rollback restores the copy exactly', async (_form, refusedTail, words) => {
    const d = devices.a;
    const name = `netops-push-${refusedTail.length}-${Date.now()}`;
    const before = await withSession(target(d), creds, showRunningConfig, opts);
    await run(acts.backupConfig, { device: d, name });
    const copy = backups.pathOf(d.name, name);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(readFileSync(copy, 'utf8')).toBe(before);

    // Lines FRR takes (a new VRRP group, a changed priority, a new neighbour), then the refused one.
    const push = ['interface eth1', ' description changed by a push', ' vrrp 5 priority 140', ' vrrp 7 ip 10.199.1.77', 'exit', 'router bgp 65001', ' neighbor 10.199.1.50 remote-as 65050', ' no neighbor 10.199.1.2 remote-as 65002', 'exit', ...refusedTail];
    const err = (await run(acts.applyConfig, { device: d, lines: push }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err.type).toBe('CommandRejected');
    expect(err.message).toMatch(words);
    expect(err.message).toContain('frr-a');
    const half = await vtysh(d, 'show running-config');
    expect(half).toContain('vrrp 7 ip 10.199.1.77'); // FRR kept the lines before the refused one

    const rb = await run(acts.rollbackConfig, { device: d, name });
    expect(rb.summary).toMatch(/^sent \d+ line\(s\); the running configuration equals the copy/);
    expect(await withSession(target(d), creds, showRunningConfig, opts)).toBe(before);
    // Nothing to send the second time: a retried rollback is harmless.
    expect((await run(acts.rollbackConfig, { device: d, name })).summary).toMatch(/^sent 0 line/);
  }, 60_000);

  it('refuses to roll back without a copy, sending nothing, and says what to do', async () => {
    const err = (await run(acts.rollbackConfig, { device: devices.a, name: 'never-taken' }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err.type).toBe('RollbackFailed');
    expect(err.message).toMatch(/frr-a: rollback failed: this worker has no copy .*never-taken.*NETOPS_CONFIG_BACKUP_DIR/);
  });

  it('drains the master across differently named interfaces: the peer is found by group and virtual IP, then restored', async () => {
    await until('BGP and VRRP settled', async () => (await vrrpOf(devices.a)).v4.status === 'Master');
    const res = await run(acts.drain, { device: devices.a, peers: [devices.b], confirmTimeoutMs: 30_000, pollMs: 500 });
    expect(res).toMatchObject({ original: [{ interface: 'eth1', group: 5, priority: 150 }], alreadyDrained: false, activePeer: 'frr-b' });
    expect(await vrrpOf(devices.b)).toMatchObject({ interface: 'ens5', v4: { status: 'Master', addresses: [VIP] } });
    expect(await vrrpOf(devices.a)).toMatchObject({ v4: { status: 'Backup', effectivePriority: 50 } });
    await until('frr-a vrrp4-5 protodown', async () => kernelLinks('a').find((l) => l.ifname === 'vrrp4-5')?.proto_down === true);

    await run(acts.restorePriority, { device: devices.a, priorities: res.original });
    await until('frr-a master again (preempt)', async () => (await vrrpOf(devices.a)).v4.status === 'Master');
    expect((await vrrpOf(devices.a)).v4.effectivePriority).toBe(150);
    expect((await vrrpOf(devices.b)).v4.status).toBe('Backup');
  }, 60_000);

  describe('a config push through the rollout engine (workflow, worker, real FRR)', () => {
    let env: TemporalTestEnv;
    let netops: NetopsClient;
    let inventory: string;
    beforeAll(async () => {
      env = await connectTestEnv();
      process.env['NETOPS_TEST_FRR_PW'] = creds.password;
      await env.startWorker(buildActivities({ deps: { configBackups: backups, sessionOptions: opts } }));
      netops = new NetopsClient(env.client, env.taskQueue);
      inventory = join(dir, 'inventory.yaml');
      const device = (d: DeviceAccess) => `  ${d.name}:\n    host: ${d.host}\n    port: ${d.port}\n    host_key: "${d.hostKey}"\n    redundancy_group: vrrp-5\n`;
      writeFileSync(
        inventory,
        `defaults:\n  platform: frr\n  site: lab\n  credentials: frr\n  host_key_check: strict\ncredentials:\n  frr:\n    username: netops\n    password: env:NETOPS_TEST_FRR_PW\nsites:\n  lab:\n    timezone: UTC\ndevices:\n${device(devices.a)}${device(devices.b)}`,
      );
    });
    afterAll(async () => env?.close());

    const push = async (name: string, lines: string[], only?: string[]) => {
      const file = join(dir, `${name}.cfg`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const input = await configPushInputFromFlags({
        inventory, format: 'auto', lines: file, failureBudget: '2', approval: false, timings: 'lab', verify: 'redundancy,bgp', settle: '0s',
        save: false, window: '1', maxUnavailable: '1', siteConcurrency: '1', duration: '1', horizonDays: '14', ignoreWindows: true, name,
        ...(only ? { devices: only } : {}),
      });
      await netops.startRollout({ ...input, settings: { ...input.settings, timings: TEST_TIMINGS } });
      return netops.result(name);
    };
    const running = (d: DeviceAccess) => withSession(target(d), creds, showRunningConfig, opts);

    it("a refused line rolls the router back to the worker's copy, verified, with FRR's words", async () => {
      // One member only: a failed member holds its pair's other member back (the rollout would wait for retry or skip).
      const before = await running(devices.a);
      const report = await push('frr-doomed', ['interface lo', ' description netops doomed', 'exit', 'router bgp 65099'], [devices.a.name]);
      expect(report.status).toBe('failed');
      const d = report.devices.find((x) => x.name === devices.a.name)!;
      expect(d.outcome, JSON.stringify(d)).toBe('rolled-back');
      expect(d.error?.type).toBe('CommandRejected');
      expect(d.error?.message).toMatch(/frr-a: command rejected: 'router bgp 65099': BGP is already running; AS is 65001/);
      expect(d.error?.hint).toMatch(/refused a line.*rolled back/);
      expect(d.notes?.join(' ')).toContain("the worker's copy of its running configuration");
      // The push gave `lo` its first settings; FRR cannot delete a kernel interface's section
      // (`% Configuration failed. ... only inactive interfaces can be deleted`) and keeps printing
      // it empty: the same configuration, one empty section apart.
      const after = await running(devices.a);
      expect(configDiffLines(after, before), 'frr-a holds its configuration before the push').toEqual([]);
      expect(configDiffLines(before, after)).toEqual([]);
      expect(after.replace('interface lo\nexit\n!\n', '')).toBe(before);
    }, 120_000);

    it('applies a good push, then reports the same push unchanged', async () => {
      const lines = ['interface lo', ' description netops real push', 'exit'];
      const first = await push('frr-good', lines);
      expect(first.status, JSON.stringify(first.devices.map((d) => d.error))).toBe('completed');
      expect(first.counts.changed).toBe(2);
      const again = await push('frr-again', lines);
      expect(again.counts.unchanged).toBe(2);
      await configure(devices.a, ['interface lo', ' no description', 'exit']);
      await configure(devices.b, ['interface lo', ' no description', 'exit']);
    }, 120_000);
  });

  it('runs one-shot commands on an exec channel (vtysh -c)', async () => {
    expect(parseVersion('frr', await vtysh(devices.a, 'show version')).version).toMatch(/^\d+\.\d+/);
  });

  it('a refused line leaves config mode and the session usable', async () => {
    const err = await withSession(target(devices.a), creds, async (s) => {
      const e = await s.configure(['interface eth1', ' bogus thing']).catch((x: unknown) => x);
      expect(s.configMode).toBe(false);
      return e;
    }, opts);
    expect(err).toBeInstanceOf(CommandRejected);
  });
});
