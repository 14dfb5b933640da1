import { describe, expect, it } from 'vitest';
import { dashboardFromFlags, firmwareRolloutInput, renderStatusReport } from '../../../src/cli/dashboard/dashboard';
import type { DashboardNetworkUpgradeInput } from '../../../src/contracts/dashboard';
import { childSpec } from '../../../src/workflows/jobs';
import { jobLabel } from '../../../src/contracts/job-kinds';
import type { NetworkTarget } from '../../../src/contracts/rollout';

const targets: NetworkTarget[] = [
  { kind: 'network', name: 'L_1', site: '500000', groups: [], orgId: '500000', networkId: 'L_1' },
  { kind: 'network', name: 'L_2', site: '500037', groups: [], orgId: '500037', networkId: 'L_2' },
];
const flags = { url: 'https://api.example.com/api/v1', apiKeyRef: 'env:MERAKI_KEY', org: '500000,500037' };
const startFlags = { ...flags, taskQueue: 'netops', firmware: 'MS 17.1.4', window: '2', orgConcurrency: '1', failureBudget: '0', approval: true, pollInterval: '10s' };

describe('dashboard CLI flags', () => {
  it('carry the key as a reference, never a value', () => {
    const { dashboard, orgIds } = dashboardFromFlags(flags);
    expect(dashboard).toEqual({ baseUrl: flags.url, apiKey: { kind: 'env', name: 'MERAKI_KEY' } });
    expect(orgIds).toEqual(['500000', '500037']);
  });

  it('carry the caller for the User-Agent when it has Meraki\'s format', () => {
    expect(dashboardFromFlags({ ...flags, caller: 'NetAutomation/2.1 AcmeCorp' }).dashboard.caller).toBe('NetAutomation/2.1 AcmeCorp');
    expect(dashboardFromFlags({ ...flags, caller: 'Mambo Vega' }).dashboard.caller).toBe('Mambo Vega');
  });

  it.each([
    [{ url: 'api.example.com' }, /--url: .* is not a URL/],
    [{ url: 'ftp://x/api' }, /--url: .* http\(s\)/],
    [{ apiKeyRef: 'sk-live-123' }, /--api-key-ref: expected a reference/],
    [{ org: ' , ' }, /--org: give at least one/],
    [{ org: '5000 00' }, /--org: "5000 00" is not an organisation id/],
    [{ caller: 'My App Inc' }, /--caller: .*"ApplicationName\[\/1\.2\] VendorName"/],
    [{ caller: 'NetAutomation/2.1' }, /--caller: /],
  ])('reject %j', (bad, message) => {
    expect(() => dashboardFromFlags({ ...flags, ...bad })).toThrow(message);
  });

  it('build a firmware rollout: orgs as sites, one org at a time, approval only with a canary', () => {
    const { dashboard } = dashboardFromFlags(flags);
    const input = firmwareRolloutInput({ ...startFlags, canary: '1', name: 'ms-17' }, dashboard, targets);
    expect(input.job).toEqual({ kind: 'dashboard-firmware', firmware: 'MS 17.1.4', dashboard, pollIntervalMs: 10_000 });
    expect(input.sites).toEqual({ '500000': { name: '500000', timezone: 'UTC', windows: [] }, '500037': { name: '500037', timezone: 'UTC', windows: [] } });
    expect(input.settings).toMatchObject({ window: 2, siteConcurrency: 1, canary: { count: 1 }, requireApproval: true, respectWindows: false, failureBudget: { count: 0 } });
    expect(firmwareRolloutInput(startFlags, dashboard, targets).settings.requireApproval).toBe(false);
    expect(firmwareRolloutInput({ ...startFlags, product: 'switch' }, dashboard, targets).job).toMatchObject({ productType: 'switch' });
    expect(() => firmwareRolloutInput({ ...startFlags, product: 'router' }, dashboard, targets)).toThrow(/--product: "router" is not a product type .*switch/);
    expect(() => firmwareRolloutInput({ ...startFlags, name: 'a b' }, dashboard, targets)).toThrow(/--name/);
  });

  it('build a staged rollout only when asked, with its interval and abort choice; companions without --staged or a non-switch product are refused', () => {
    const { dashboard } = dashboardFromFlags(flags);
    expect(firmwareRolloutInput(startFlags, dashboard, targets).job).not.toHaveProperty('staged');
    expect(firmwareRolloutInput({ ...startFlags, staged: true }, dashboard, targets).job).toMatchObject({ staged: true });
    expect(firmwareRolloutInput({ ...startFlags, staged: true, stageInterval: '2h', stagedAbort: 'rollback' }, dashboard, targets).job).toMatchObject({ staged: true, stageIntervalMs: 7_200_000, stagedAbort: 'rollback' });
    expect(() => firmwareRolloutInput({ ...startFlags, stageInterval: '2h' }, dashboard, targets)).toThrow(/--stage-interval and --staged-abort apply to staged upgrades: add --staged/);
    expect(() => firmwareRolloutInput({ ...startFlags, staged: true, product: 'wireless' }, dashboard, targets)).toThrow(/switch networks only; --product wireless is upgraded network-wide/);
    expect(() => firmwareRolloutInput({ ...startFlags, staged: true, stagedAbort: 'cancel' }, dashboard, targets)).toThrow(/--staged-abort: "cancel" is not defer or rollback/);
  });

  it('render a status table with a total line and the failed organisations', () => {
    const text = renderStatusReport({
      orgs: [
        { orgId: '1', total: 3, online: 2, offline: 1, alerting: 0, dormant: 0, networks: 1, requests: 12, tasks: 3, notOnline: [], notOnlineTruncated: false },
        { orgId: '2', total: 0, online: 0, offline: 0, alerting: 0, dormant: 0, networks: 0, requests: 0, notOnline: [], notOnlineTruncated: false, error: 'no such resource' },
      ],
      totals: { total: 3, online: 2, offline: 1, alerting: 0, dormant: 0 },
      failedOrgs: ['2'],
    });
    expect(text).toMatch(/^1\s+3\s+2\s+0\s+1\s+0\s+12\s+3\s*$/m);
    // A report without task counts (an older run) shows '-' rather than a made-up 0.
    expect(text).toMatch(/^2\s+0\s+0\s+0\s+0\s+0\s+0\s+-\s+no such resource/m);
    expect(text).toMatch(/^total\s+3\s+2\s+0\s+1\s+0\s+12\s+3\s+1 failed/m);
  });
});

describe('the firmware job on the rollout engine', () => {
  const { dashboard } = dashboardFromFlags(flags);
  const input = firmwareRolloutInput({ ...startFlags, name: 'fw' }, dashboard, targets);

  it('labels the rollout with the firmware and starts one network child per target', () => {
    expect(jobLabel(input.job)).toBe('MS 17.1.4');
    const spec = childSpec(input, targets[1] as NetworkTarget);
    expect(spec.workflow.name).toBe('dashboardNetworkUpgradeWorkflow');
    expect(spec).toMatchObject({ kind: 'dashboard-firmware', summary: 'upgrade network L_2 (org 500037) to MS 17.1.4' });
    const args = spec.args[0] as DashboardNetworkUpgradeInput;
    expect(args).toMatchObject({ rollout: 'fw', network: { orgId: '500037', networkId: 'L_2' }, dryRun: false });
    expect(JSON.stringify(args)).not.toMatch(/secret|"value"/);
  });

  it('refuses an SSH device as the target of a firmware job', () => {
    const device = { name: 'r1', host: '10.0.0.1', port: 22, platform: 'iosxe', site: 's', groups: [], credentials: { set: 'c', username: 'u' }, hostKeyCheck: 'strict' } as const;
    expect(() => childSpec(input, device as never)).toThrow(/works on dashboard networks; r1 is an SSH device/);
  });
});
