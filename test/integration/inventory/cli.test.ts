import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli-process';

const SECRET = 'do-not-print-me';

/** Runs the real CLI the way a user does, from the repository root. */
function netops(...args: string[]) {
  return runCli(args, { env: { LAB_PASSWORD: SECRET } });
}

describe('netops inventory (spawned CLI)', async () => {
  it('validate: prints every problem as one line and exits 2', async () => {
    const bad = 'test/fixtures/inventory/bad.yaml';
    const run = await netops('inventory', 'validate', bad);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `${bad}:5:15: credentials.lab.password: found a literal secret (not shown), expected a reference (use env:NAME or file:PATH, never the secret itself)`,
      `${bad}:8:15: sites.ams1.timezone: found "Europe/Amsterdm", expected an IANA time zone such as "Europe/Amsterdam" or "UTC"`,
      `${bad}:10:3: defaults.plaform: unknown key "plaform"; did you mean "platform"?`,
      `${bad}:16:11: devices.r1-a.port: found 70000, expected a port number 1-65535`,
      `${bad}:18:23: devices.r1-a.redundancy_group: redundancy group "hsrp-10" has only one member (r1-a), expected at least two devices sharing it (is the name misspelt on its peer?)`,
      `${bad}:22:14: devices.r1-b.groups[0]: found "core", expected a group defined under groups: (none are defined)`,
      `netops: ${bad}: 6 problems`,
    ]);
    expect(run.stderr).not.toContain('Sup3rSecret');
  });

  it('validate --json: the same problems as data, still exit 2', async () => {
    const run = await netops('inventory', 'validate', 'test/fixtures/inventory/bad.yaml', '--json');
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout) as { ok: boolean; problems: Array<{ line: number; column: number; path: string }> };
    expect(out.ok).toBe(false);
    expect(out.problems.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
      '5:15 credentials.lab.password',
      '8:15 sites.ams1.timezone',
      '10:3 defaults.plaform',
      '16:11 devices.r1-a.port',
      '18:23 devices.r1-a.redundancy_group',
      '22:14 devices.r1-b.groups[0]',
    ]);
  });

  it('validate: a good inventory (own format and Nornir) prints a summary and exits 0', async () => {
    const ours = await netops('inventory', 'validate', 'test/fixtures/inventory/lab.yaml');
    expect(ours).toMatchObject({ code: 0, stdout: 'ok: 5 devices, 2 sites, 2 redundancy groups\n', stderr: '' });
    const nornir = await netops('inventory', 'validate', 'test/fixtures/inventory/nornir');
    expect(nornir).toMatchObject({ code: 0, stdout: 'ok: 5 devices, 2 sites, 2 redundancy groups\n' });
  });

  it('show: a table of the selected devices with credential references, never secrets', async () => {
    const run = await netops('inventory', 'show', 'test/fixtures/inventory/lab.yaml', '--site', 'ams1', '--tag', 'edge,dc', '--filter', 'not name == n1-b');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +ADDRESS +PLATFORM +SITE +GROUPS +TAGS +REDUNDANCY +PINNED KEY +KEY CHECK +CREDENTIALS$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(0, 4).join(' '))).toEqual(['r1-a 127.0.0.1:10001 iosxe ams1', 'n1-a 127.0.0.1:10003 nxos ams1']);
    expect(lines[1]).toMatch(/ams1-hsrp-10 +yes +strict +defaults \(user admin; password env:LAB_PASSWORD; enable file:\S+secrets\/enable\)$/);
    expect(run.stdout).not.toContain(SECRET);
  });

  it('show --json: resolved devices as data', async () => {
    const run = await netops('inventory', 'show', 'test/fixtures/inventory/lab.yaml', '--devices', 'fra-frr1', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { devices: Array<Record<string, unknown>> };
    expect(out.devices).toHaveLength(1);
    expect(out.devices[0]).toMatchObject({ name: 'fra-frr1', platform: 'frr', site: 'fra1', hostKeyCheck: 'tofu' });
    expect(run.stdout).not.toContain(SECRET);
  });

  it('show: selection mistakes are one-line usage errors (exit 2)', async () => {
    const unknown = await netops('inventory', 'show', 'test/fixtures/inventory/lab.yaml', '--devices', 'r1-a,r9');
    expect(unknown).toMatchObject({ code: 2, stdout: '', stderr: 'netops: unknown device in --devices: r9\n' });
    const filter = await netops('inventory', 'show', 'test/fixtures/inventory/lab.yaml', '--filter', 'site = ams1');
    expect(filter).toMatchObject({
      code: 2,
      stderr: 'netops: invalid --filter at column 6: found "=", expected "==" (comparison) (in: site = ams1)\n',
    });
  });

  it('has help with an example', async () => {
    const run = await netops('inventory', 'validate', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('$ netops inventory validate inventory.yaml');
  });
});
