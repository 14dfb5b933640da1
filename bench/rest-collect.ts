/**
 * Status collection of a 5,000-device cloud-managed fleet over the dashboard
 * REST client, against the simulator's per-organisation rate limit.
 *
 *   npx tsx bench/rest-collect.ts [--orgs 10] [--devices 5000] [--per-page 10] [--rate 10]
 *
 * The floor is what the rate limit allows at best: requests per organisation
 * divided by the rate, organisations in parallel. The client's bucket starts
 * full (burst 10), so the first `burst` requests of each org are free and the
 * burst-adjusted floor is (requests - burst) / rate.
 */
import { cpus, platform, release } from 'node:os';
import { parseArgs } from 'node:util';
import { DashboardClient, OrgRateLimiter, createDashboardAgent } from '../src/devices/rest';
import { startDashboardSim } from '../src/lab/dashboard';

interface Row {
  orgId: string;
  devices: number;
  requests: number;
  wallMs: number;
  status429: number;
  maxPerSecond: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      orgs: { type: 'string', default: '10' },
      devices: { type: 'string', default: '5000' },
      'per-page': { type: 'string', default: '10' },
      rate: { type: 'string', default: '10' },
      burst: { type: 'string', default: '10' },
    },
  });
  const orgs = Number(values.orgs);
  const devices = Number(values.devices);
  const perPage = Number(values['per-page']);
  const rate = Number(values.rate);
  const burst = Number(values.burst);
  const networksPerOrg = 10;
  const devicesPerNetwork = Math.ceil(devices / orgs / networksPerOrg);

  const sim = await startDashboardSim({ orgs, networksPerOrg, devicesPerNetwork, rateLimitPerSec: rate, seed: 2026 });
  const limiter = new OrgRateLimiter({ ratePerSec: rate, burst });
  const agent = createDashboardAgent({ connections: 4 });
  const client = new DashboardClient({ baseUrl: sim.url, apiKey: () => sim.apiKey, limiter, dispatcher: agent });
  try {
    const started = performance.now();
    const perOrg = await Promise.all(
      sim.orgIds.map(async (orgId) => {
        const t0 = performance.now();
        let count = 0;
        let requests = 0;
        for await (const page of client.pages<{ serial: string }>({ orgId, path: `/organizations/${orgId}/devices/statuses`, perPage })) {
          requests++;
          count += page.items.length;
        }
        return { orgId, devices: count, requests, wallMs: performance.now() - t0 };
      }),
    );
    const wallMs = performance.now() - started;
    const rows: Row[] = perOrg.map((r) => ({
      ...r,
      status429: sim.log.filter({ orgId: r.orgId, status: 429 }).length,
      maxPerSecond: sim.log.maxInWindow(r.orgId, 1_000),
    }));
    const totalRequests = rows.reduce((n, r) => n + r.requests, 0);
    const maxRequestsPerOrg = Math.max(...rows.map((r) => r.requests));
    const floorMs = (totalRequests / (rate * orgs)) * 1000;
    const burstFloorMs = (Math.max(0, maxRequestsPerOrg - burst) / rate) * 1000;
    const summary = {
      bench: 'rest-collect',
      machine: { os: `${platform()} ${release()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      config: { orgs, devices: rows.reduce((n, r) => n + r.devices, 0), perPage, ratePerSecPerOrg: rate, clientBurst: burst, clientHeadroomMs: limiter.headroomMs },
      requests: totalRequests,
      wallMs: Math.round(wallMs),
      floorMs: Math.round(floorMs),
      burstAdjustedFloorMs: Math.round(burstFloorMs),
      ratioToFloor: Number((wallMs / floorMs).toFixed(3)),
      ratioToBurstAdjustedFloor: Number((wallMs / burstFloorMs).toFixed(3)),
      status429: rows.reduce((n, r) => n + r.status429, 0),
      maxRequestsInAnySecondPerOrg: Math.max(...rows.map((r) => r.maxPerSecond)),
    };
    printTable(rows);
    console.log('');
    console.log(`wall ${summary.wallMs} ms | floor ${summary.floorMs} ms (x${summary.ratioToFloor}) | burst-adjusted floor ${summary.burstAdjustedFloorMs} ms (x${summary.ratioToBurstAdjustedFloor}) | 429s ${summary.status429} | max/s per org ${summary.maxRequestsInAnySecondPerOrg}`);
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await client.close();
    await agent.close();
    await sim.stop();
  }
}

function printTable(rows: Row[]): void {
  const header = ['org', 'devices', 'requests', 'wall ms', '429s', 'max/1s'];
  const body = rows.map((r) => [r.orgId, String(r.devices), String(r.requests), String(Math.round(r.wallMs)), String(r.status429), String(r.maxPerSecond)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
