import { describe, expect, it } from 'vitest';
import { ipRateFromEnv, parseDashboardOrgs, parseIpRate } from '../../../src/workers/dashboard-workers';
import { dashboardTaskQueue, isValidOrgId } from '../../../src/contracts/dashboard';

describe('parseDashboardOrgs (--dashboard-orgs)', () => {
  it('reads ids with the default rate and per-org overrides', () => {
    expect(parseDashboardOrgs('500000, 500037:5,abc_1:2.5')).toEqual([
      { orgId: '500000', ratePerSec: 9 },
      { orgId: '500037', ratePerSec: 5 },
      { orgId: 'abc_1', ratePerSec: 2.5 },
    ]);
  });

  it.each([
    ['', /no organisation ids/],
    [' , ', /no organisation ids/],
    ['a/b', /not an organisation id/],
    ['500000:0', /rate must be/],
    ['500000:fast', /rate must be/],
    ['500000:5000', /at most 1000/],
    ['1,2,1', /listed twice/],
  ])('rejects %j', (text, message) => {
    expect(() => parseDashboardOrgs(text)).toThrow(message);
  });
});

describe('per-organisation task queues', () => {
  it('sit next to the main queue so test and production queues never mix', () => {
    expect(dashboardTaskQueue('netops', '500000')).toBe('netops-dashboard-500000');
    expect(dashboardTaskQueue('test-123', '500000')).toBe('test-123-dashboard-500000');
  });

  it('accept only ids that are safe in a queue name and a URL path', () => {
    expect(isValidOrgId('549236')).toBe(true);
    expect(isValidOrgId('org.a-b_1')).toBe(true);
    for (const bad of ['', 'a b', '../x', 'a/b', 'x'.repeat(65)]) expect(isValidOrgId(bad), bad).toBe(false);
  });
});

describe("a worker's share of the per-IP cap (--dashboard-ip-rate, NETOPS_DASHBOARD_IP_RATE)", () => {
  it('is the whole cap unless given; the flag and the variable take the same numbers', () => {
    expect(parseIpRate(undefined)).toBe(100);
    expect(parseIpRate('33')).toBe(33);
    expect(parseIpRate('12.5')).toBe(12.5);
    expect(ipRateFromEnv({})).toBe(100);
    expect(ipRateFromEnv({ NETOPS_DASHBOARD_IP_RATE: '50' })).toBe(50);
  });

  it.each(['0', '-3', 'fast', '101'])('refuses %j, naming the source and how to split the cap', (raw) => {
    expect(() => parseIpRate(raw)).toThrow(/--dashboard-ip-rate="[^"]+": give this worker's share .* at most 100 \(split 100 between the workers behind one address\)/);
    expect(() => ipRateFromEnv({ NETOPS_DASHBOARD_IP_RATE: raw })).toThrow(/^NETOPS_DASHBOARD_IP_RATE=/);
  });
});
