import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useCollectCliEnv } from './support';

// The operator's view: `collect run`, `show`, `diff` and `schedule ...`
// through the real CLI against the suite's dev server and an in-process worker.

describe('netops collect run, show and diff', () => {
  const ctx = useCollectCliEnv();
  const id = randomUUID().slice(0, 6);
  const { common, cli } = ctx;

  it('runs two collections and shows, then diffs, what changed in the network', { timeout: 90_000 }, async () => {
    const a = `before-${id}`;
    const b = `after-${id}`;
    const first = await cli(['collect', 'run', ...common(), '--name', a, '--wait', '--json', '--command', 'show version', '--command', 'show standby brief|show hsrp brief|show vrrp', '--command', 'show ip bgp summary']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ runId: a, summary: { devices: 8, ok: 8, failed: 0 } });

    // Change the network: one device's version, and the active member of a pair goes away for good.
    const { lab } = ctx.fx;
    const group = lab.devices[0]!.redundancyGroup!;
    const upgraded = lab.devices.find((d) => d.platform === 'iosxe' && d.redundancyGroup !== group)!;
    upgraded.version = '17.12.04';
    const activeName = lab.activeOf(group)!;
    const peerName = lab.peersOf(lab.device(activeName)).find((d) => d.name !== activeName)!.name;
    lab.setFault(activeName, { kind: 'reload-never-returns' });
    lab.device(activeName).reload();
    await lab.waitForEvent((e) => e.type === 'redundancy' && e.device === peerName && e.to === 'active', 10_000);

    const second = await cli(['collect', 'run', ...common(), '--name', b, '--wait', '--command', 'show version', '--command', 'show standby brief|show hsrp brief|show vrrp', '--command', 'show ip bgp summary']);
    // One device could not be collected: the run is stored, and the exit code says so.
    expect(second.code, second.stderr).toBe(1);
    expect(second.stdout).toMatch(new RegExp(`collection ${b}: 8 devices, 7 collected, 1 failed`));

    const show = await cli(['collect', 'show', b, '--results-dir', ctx.fx.resultsDir]);
    expect(show.code, show.stderr).toBe(0);
    const lines = show.stdout.split('\n');
    expect(lines[1]).toMatch(/^DEVICE\s+SITE\s+REACHABLE\s+VERSION\s+REDUNDANCY \(group state\/priority\)\s+BGP UP\s+ERROR$/);
    expect(lines.find((l) => l.startsWith(`${activeName} `))).toMatch(/\sno\s.*Unreachable|\sno\s.*TimedOut|\sno\s.*SessionClosed/);
    expect(lines.find((l) => l.startsWith(`${peerName} `))).toMatch(/\syes\s+\S+\s+g\d+ (Active|Master)\/\d+\s+\d+\/\d+/);
    expect(lines.find((l) => l.startsWith(`${upgraded.name} `))).toMatch(/\syes\s+17\.12\.04\s/);

    const diff = await cli(['collect', 'diff', a, b, '--results-dir', ctx.fx.resultsDir]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain(`${a} -> ${b}: 3 devices changed, 5 unchanged`);
    expect(diff.stdout).toMatch(new RegExp(`${activeName}\\s+reachability\\s+unreachable`));
    expect(diff.stdout).toMatch(new RegExp(`${peerName}\\s+redundancy\\s+group \\d+ \\(\\S+\\) (Standby|Backup)/\\d+ -> (Active|Master)/\\d+`));
    expect(diff.stdout).toMatch(new RegExp(`${upgraded.name}\\s+version\\s+version \\S+ -> 17\\.12\\.04`));
    const diffJson = JSON.parse((await cli(['collect', 'diff', a, b, '--results-dir', ctx.fx.resultsDir, '--json'])).stdout) as { devices: { device: string }[] };
    expect(diffJson.devices.map((d) => d.device).sort()).toEqual([activeName, peerName, upgraded.name].sort());

    const missing = await cli(['collect', 'show', 'no-such-run', '--results-dir', ctx.fx.resultsDir]);
    expect(missing.code).toBe(4);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
