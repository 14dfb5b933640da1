import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIMING_PRESETS } from '../../../src/contracts/timing-presets';
import { versionFromImageFileName } from '../../../src/contracts/image-version';
import { checkWorkflowInput } from '../../../src/contracts/validate-input';
import type { WorkflowTypeName } from '../../../src/contracts/workflow-inputs';

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'examples', 'rollout-input.example.json'), 'utf8')) as Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases reach into the JSON they break
type Json = Record<string, any>;
const example = (): Json => structuredClone(EXAMPLE);

function problems(workflow: WorkflowTypeName, value: unknown): Record<string, string> {
  const check = checkWorkflowInput(workflow, value);
  if (check.ok) return {};
  return Object.fromEntries(check.problems.map((p) => [p.path, p.message]));
}

function accepted<W extends WorkflowTypeName>(workflow: W, value: unknown) {
  const check = checkWorkflowInput(workflow, value);
  if (!check.ok) throw new Error(`refused: ${JSON.stringify(check.problems)}`);
  return check.value;
}

describe('rollout input: what the issue measured, refused with the fields named', () => {
  it('no devices and no sites', () => {
    const i = example();
    delete i.devices;
    delete i.sites;
    expect(problems('rolloutWorkflow', i)).toEqual({ '/devices': 'is required (array)', '/sites': 'is required (record)' });
  });

  it('a typo and a missing md5, both at once', () => {
    const i = example();
    i.settings.dryrun = true;
    delete i.job.image.md5;
    expect(problems('rolloutWorkflow', i)).toEqual({ '/settings/dryrun': 'unknown field (did you mean "dryRun"?)', '/job/image/md5': 'is required (string)' });
  });

  it('a literal password, without repeating it', () => {
    const i = example();
    i.devices[0].credentials.password = 'hunter2-distinctive';
    const found = problems('rolloutWorkflow', i);
    expect(Object.keys(found)).toEqual(['/devices/0/credentials/password']);
    expect(found['/devices/0/credentials/password']).toMatch(/literal secret is not accepted.*"kind":"env"/);
    expect(JSON.stringify(checkWorkflowInput('rolloutWorkflow', i))).not.toContain('hunter2-distinctive');
  });

  it('a reference written the inventory way ("env:NAME") is still a string, not a reference', () => {
    const i = example();
    i.devices[1].credentials.password = 'env:CORE_PASSWORD';
    expect(problems('rolloutWorkflow', i)['/devices/1/credentials/password']).toMatch(/give a reference/);
  });

  it('an unknown platform', () => {
    const i = example();
    i.devices[1].platform = 'junos';
    expect(problems('rolloutWorkflow', i)).toEqual({ '/devices/1/platform': 'must be one of iosxe, nxos, frr' });
  });

  it('a half-written secret reference names the missing part', () => {
    const i = example();
    i.devices[0].credentials.password = { kind: 'env' };
    expect(problems('rolloutWorkflow', i)).toEqual({ '/devices/0/credentials/password/name': 'is required (string)' });
  });

  it('a device listed twice, and one whose site is not in sites', () => {
    const i = example();
    i.devices[1].name = 'r1-a';
    i.devices[0].site = 'fra9';
    expect(problems('rolloutWorkflow', i)).toEqual({ '/devices/1/name': '"r1-a" is listed twice', '/devices/0/site': 'site "fra9" is not in sites' });
  });
});

describe('unions: the branch the caller meant, and why it does not match', () => {
  it('a job of kind config is checked as a config job', () => {
    const i = example();
    i.job = { kind: 'config', label: 'ntp', lineSets: [['ntp server 1.1.1.1']], lineSetOf: { 'r1-a': '0' } };
    expect(problems('rolloutWorkflow', i)).toEqual({ '/job/lineSetOf/r1-a': 'expected number, received string', '/job/saveAfter': 'is required (boolean)' });
  });

  it('an unknown job kind names the kinds there are', () => {
    const i = example();
    i.job.kind = 'downgrade';
    expect(problems('rolloutWorkflow', i)).toEqual({ '/job/kind': 'kind must be one of upgrade, dashboard-firmware, config' });
  });

  it('a target with kind network is checked as a network, one without as a device', () => {
    const i = example();
    i.devices[0] = { kind: 'network', name: 'N_1', site: 'ams1' };
    delete i.devices[1].host;
    expect(problems('rolloutWorkflow', i)).toEqual({
      '/devices/0/orgId': 'is required (string)',
      '/devices/0/networkId': 'is required (string)',
      '/devices/1/host': 'is required (string)',
    });
  });

  it('a wrong timings preset, and a wrong field in a timings object', () => {
    const i = example();
    i.settings.timings = 'fast';
    expect(problems('rolloutWorkflow', i)).toEqual({ '/settings/timings': 'matches none of the options (option 1: a preset name must be one of real, lab | option 2: expected object, received string)' });
    // Neither option takes a string: both say why.
    i.settings.timings = 'lab';
    i.settings.perGroup = 'two';
    expect(problems('rolloutWorkflow', i)).toEqual({ '/settings/perGroup': 'matches none of the options (option 1: expected number, received string | option 2: expected record, received string)' });
    delete i.settings.perGroup;
    // An object can only mean the object branch: its own field is named.
    i.settings.timings = { preset: 'lab', reloadTimeoutMS: 5 };
    expect(problems('rolloutWorkflow', i)).toEqual({ '/settings/timings/reloadTimeoutMS': 'unknown field (did you mean "reloadTimeoutMs"?)' });
  });
});

describe('defaults a caller cannot know', () => {
  it('settings left out entirely: the documented policy and the real timings', () => {
    const i = example();
    delete i.settings;
    expect(accepted('rolloutWorkflow', i).settings).toEqual({
      window: 1,
      expectedDeviceDurationMs: 30 * 60_000,
      respectWindows: true,
      failureBudget: { count: 0 },
      requireApproval: true,
      dryRun: false,
      timings: TIMING_PRESETS.real,
    });
  });

  it('a preset by name, and a preset with one field overridden', () => {
    const i = example();
    i.settings.timings = 'lab';
    expect(accepted('rolloutWorkflow', i).settings.timings).toEqual(TIMING_PRESETS.lab);
    i.settings.timings = { preset: 'lab', reloadTimeoutMs: 5_000 };
    expect(accepted('rolloutWorkflow', i).settings.timings).toEqual({ ...TIMING_PRESETS.lab, reloadTimeoutMs: 5_000 });
    i.settings.timings = { settleMs: 0 };
    expect(accepted('rolloutWorkflow', i).settings.timings).toEqual({ ...TIMING_PRESETS.real, settleMs: 0 });
  });

  it('a full timings object as recorded histories carry it (no stepTimeoutMs) still passes', () => {
    const i = example();
    const { stepTimeoutMs: _dropped, ...older } = TIMING_PRESETS.real;
    i.settings.timings = older;
    expect(accepted('rolloutWorkflow', i).settings.timings.stepTimeoutMs).toBe(TIMING_PRESETS.real.stepTimeoutMs);
  });

  it('device defaults: port 22, no groups, strict host keys', () => {
    const i = example();
    for (const d of i.devices) {
      delete d.port;
      delete d.groups;
      delete d.hostKeyCheck;
    }
    const d = accepted('rolloutWorkflow', i).devices[0]!;
    expect(d).toMatchObject({ port: 22, groups: [], hostKeyCheck: 'strict' });
    expect('kind' in d).toBe(false);
  });

  it('kind "device" is accepted and dropped, so the engine still sees a device', () => {
    const i = example();
    i.devices[0].kind = 'device';
    expect('kind' in accepted('rolloutWorkflow', i).devices[0]!).toBe(false);
  });

  it('the target version comes from the image name when left out, and must be given when the name says nothing', () => {
    const i = example();
    delete i.job.image.version;
    const job = accepted('rolloutWorkflow', i).job;
    expect(job.kind === 'upgrade' && job.image.version).toBe('17.12.04');
    i.job.image.fileName = 'golden.bin';
    expect(problems('rolloutWorkflow', i)).toEqual({ '/job/image/version': 'is required: the file name "golden.bin" does not tell the version' });
  });
});

describe('versions from image file names', () => {
  const cases: Array<[string, string | undefined]> = [
    ['cat9k_iosxe.17.12.04.SPA.bin', '17.12.04'],
    ['cat9k_iosxe.17.09.04a.SPA.bin', '17.09.04a'],
    ['isr4400-universalk9.17.09.04a.SPA.bin', '17.09.04a'],
    ['nxos64-cs.10.4.3.F.bin', '10.4.3'],
    ['nxos.9.3.10.bin', '9.3.10'],
    ['frr-8.5.bin', '8.5'],
    ['/srv/images/frr-10.1.bin', '10.1'],
    ['golden.bin', undefined],
    ['cat9k_iosxe.SPA.bin', undefined],
  ];
  for (const [name, version] of cases) it(`${name} -> ${version ?? 'unknown'}`, () => expect(versionFromImageFileName(name)).toBe(version));
});

describe('the other workflows', () => {
  const device = () => structuredClone(EXAMPLE.devices as Json[])[0]!;
  const image = () => structuredClone((EXAMPLE.job as Json).image as Json);

  it('device upgrade: a child input with timings left out gets the real preset; one without a device is refused', () => {
    const ok = accepted('deviceUpgradeWorkflow', { rollout: 'r', device: device(), image: image() });
    expect(ok).toMatchObject({ peers: [], dryRun: false, rollbackOnFailedPostCheck: true, timings: TIMING_PRESETS.real });
    expect(problems('deviceUpgradeWorkflow', { rollout: 'r', image: image() })).toEqual({ '/device': 'is required (object)' });
  });

  it('device config: a backup name that could escape the flash directory is refused', () => {
    const input = { rollout: 'r', device: device(), label: 'ntp', lines: ['ntp server 1.1.1.1'], verify: { redundancy: true, interfaces: true, bgp: true, settleMs: 0 }, saveAfter: true, backupName: '../x' };
    expect(Object.keys(problems('deviceConfigWorkflow', input))).toEqual(['/backupName']);
  });

  it('collect: devices or a device set, exactly one', () => {
    const store = { kind: 'local' };
    expect(accepted('collectWorkflow', { name: 'nightly', devices: [device()], store }).devices).toHaveLength(1);
    expect(problems('collectWorkflow', { name: 'nightly', store })).toEqual({ '/devices': 'give exactly one of devices or deviceSet' });
    expect(problems('collectWorkflow', { name: 'nightly', devices: [], deviceSet: { key: 'k', count: 1 }, store })).toEqual({ '/devices': 'give exactly one of devices or deviceSet' });
  });

  it('dashboard status: an API key given as a string is a literal secret', () => {
    const found = problems('dashboardStatusWorkflow', { dashboard: { baseUrl: 'https://api.example.test/api/v1', apiKey: 'f00dcafe' }, orgIds: ['1'] });
    expect(Object.keys(found)).toEqual(['/dashboard/apiKey']);
    expect(found['/dashboard/apiKey']).toMatch(/literal secret/);
    expect(problems('dashboardOrgStatusWorkflow', { dashboard: { baseUrl: 'ftp://x', apiKey: { kind: 'env', name: 'K' } }, orgId: '../1' })).toMatchObject({ '/dashboard/baseUrl': expect.any(String), '/orgId': expect.any(String) });
  });

  it('probe: a port out of range', () => {
    expect(problems('probeWorkflow', { targets: [{ name: 'r1', host: '127.0.0.1', port: 70000 }] })).toEqual({ '/targets/0/port': expect.stringMatching(/65535/) });
  });

  it('the whole input not an object', () => {
    expect(problems('rolloutWorkflow', 'rollout please')).toEqual({ '/': 'expected object, received string' });
    expect(problems('rolloutWorkflow', null)).toEqual({ '/': 'expected object, received null' });
  });
});
