import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CommandRejected,
  backupConfig,
  parseVersion,
  rollbackConfig,
  setPriority,
  showBgpSummary,
  showInterfaces,
  showRedundancy,
  showVersion,
  withSession,
  type SessionTarget,
} from '../../../src/devices';

/**
 * The FRR dialect against real FRRouting (Debian `frr`): zebra, bgpd and
 * vrrpd in a network namespace this test creates, reached through OpenSSH
 * with vtysh as the login shell. Runs only as root with frr and sshd
 * installed (`apt-get install frr openssh-server`); skipped otherwise.
 */
const script = join(__dirname, 'real-frr.sh');
const available = process.getuid?.() === 0 && ['/usr/bin/vtysh', '/usr/sbin/sshd', '/usr/lib/frr/zebra'].every((p) => existsSync(p));
const creds = { username: 'netops', password: 'netops-pw' };
const opts = { timeouts: { commandMs: 10_000, idleMs: 5_000 } };
let dir = '';
let target: SessionTarget;

describe.skipIf(!available)('real FRRouting over OpenSSH + vtysh', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netops-frr-'));
    const [host, port, type, key] = execFileSync('bash', [script, 'up', dir], { encoding: 'utf8' }).trim().split(/\s+/);
    target = { name: 'frr1', host: host!, port: Number(port), platform: 'frr', hostKey: `${type} ${key}`, hostKeyCheck: 'strict' };
  });
  afterAll(() => {
    if (dir) execFileSync('bash', [script, 'down', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('configures through vtysh, following a hostname change, and parses the real outputs', async () => {
    await withSession(target, creds, async (s) => {
      expect((await showVersion(s)).version).toMatch(/^\d+\.\d+/);
      await s.configure(['hostname edge-r1', 'router bgp 65001', ' neighbor 10.199.0.1 remote-as 65000', 'exit', 'interface nfrr1', ' vrrp 5 version 3', ' vrrp 5 priority 150', ' vrrp 5 ip 10.199.0.9']);
      expect(s.prompt).toBe('edge-r1#');
      expect(await showRedundancy(s)).toEqual([
        // No macvlan in the namespace, so VRRP cannot leave Initialize.
        { interface: 'nfrr1', group: 5, priority: 150, preempt: true, state: 'Init', active: undefined, standby: undefined, virtualIp: '10.199.0.9' },
      ]);
      expect((await showInterfaces(s)).find((i) => i.interface === 'nfrr1')).toMatchObject({ address: '10.199.0.2/30', up: true });
      expect(await showBgpSummary(s)).toMatchObject([{ neighbor: '10.199.0.1', as: '65000', established: false }]);
    }, opts);
  });

  it('lowers and restores a VRRP priority (what drain/restorePriority send)', async () => {
    await withSession(target, creds, async (s) => {
      await setPriority(s, [{ interface: 'nfrr1', group: 5 }], 50);
      expect((await showRedundancy(s))[0]?.priority).toBe(50);
      await setPriority(s, [{ interface: 'nfrr1', group: 5 }], 150);
      expect((await showRedundancy(s))[0]?.priority).toBe(150);
    }, opts);
  });

  it('stops at a line vtysh refuses and quotes it', async () => {
    const err = await withSession(target, creds, (s) => s.configure(['interface nfrr1', ' bogus thing', ' description never sent']), opts).catch((e) => e);
    expect(err).toBeInstanceOf(CommandRejected);
    expect(err.output).toMatch(/% Unknown command/);
  });

  it('refuses to roll back when vtysh shows no saved configuration, instead of wiping the device', async () => {
    // FRR 8.4's vtysh prints nothing for `show startup-config` even with an
    // integrated frr.conf, so the diff-based rollback must stop, not remove everything.
    await withSession(target, creds, async (s) => {
      await backupConfig(s, 'unused-on-frr');
      await s.configure(['interface nfrr1', ' description temporary']);
      const err = await rollbackConfig(s, 'unused-on-frr').catch((e) => e);
      expect(err).toBeInstanceOf(CommandRejected);
      expect(err.message).toContain('no saved configuration');
      expect(await s.run('show running-config')).toContain('description temporary');
    }, opts);
    expect(readFileSync('/etc/netns/netops-frr/frr/frr.conf', 'utf8')).toContain('vrrp 5 priority 150');
  });

  it('runs one-shot commands on an exec channel (vtysh -c)', async () => {
    const r = await withSession(target, creds, (s) => s.exec('show version'), opts);
    expect(parseVersion('frr', r.stdout).version).toMatch(/^\d+\.\d+/);
  });
});
