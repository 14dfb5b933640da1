import type { AccessLog } from './access-log';
import type { FaultBook } from './faults';
import type { DeviceStatus, ProductType, SimDevice, SimNetwork, SimOrg } from './model';
import { linkHeader, pageOf } from './pagination';
import type { UpgradeBook } from './upgrades';

export interface ApiState {
  orgs: SimOrg[];
  orgById: Map<string, SimOrg>;
  networkById: Map<string, SimNetwork>;
  networksByOrg: Map<string, SimNetwork[]>;
  devicesByOrg: Map<string, SimDevice[]>;
  upgrades: UpgradeBook;
  faults: FaultBook;
  log: AccessLog;
  /** Simulated clock (ms since epoch, runs `timeScale` times faster than real time). */
  simNow: () => number;
  defaultStageDurationMs: number;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
  ) {
    super(errors.join('; '));
  }
}

export interface RequestMeta {
  idempotencyKey: string | undefined;
}

type Handler = (state: ApiState, params: string[], url: URL, body: unknown, meta: RequestMeta) => ApiAnswer;

interface Route {
  method: string;
  pattern: RegExp;
  /** Which organisation's budget the request spends. */
  orgOf: (state: ApiState, params: string[]) => string | undefined;
  handler: Handler;
}

const byOrgParam = (_s: ApiState, p: string[]) => p[0];
const byNetworkParam = (s: ApiState, p: string[]) => s.networkById.get(p[0] ?? '')?.organizationId;

export const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/organizations$/, orgOf: () => undefined, handler: (s) => ({ status: 200, body: s.orgs }) },
  { method: 'GET', pattern: /^\/organizations\/([^/]+)$/, orgOf: byOrgParam, handler: (s, p) => ({ status: 200, body: requireOrg(s, p[0]) }) },
  {
    method: 'GET',
    pattern: /^\/organizations\/([^/]+)\/networks$/,
    orgOf: byOrgParam,
    handler: (s, p, url) => paged(url, s.networksByOrg.get(requireOrg(s, p[0]).id) ?? [], (n) => n.id, (n) => n),
  },
  {
    method: 'GET',
    pattern: /^\/organizations\/([^/]+)\/devices$/,
    orgOf: byOrgParam,
    handler: (s, p, url) =>
      paged(url, filterDevices(s, p[0], url), (d) => d.serial, (d) => ({
        serial: d.serial,
        name: d.name,
        model: d.model,
        mac: d.mac,
        networkId: d.networkId,
        productType: d.productType,
        firmware: s.upgrades.firmware(d, s.simNow()),
      })),
  },
  {
    method: 'GET',
    pattern: /^\/organizations\/([^/]+)\/devices\/statuses$/,
    orgOf: byOrgParam,
    handler: (s, p, url) => {
      const now = s.simNow();
      const wanted = url.searchParams.getAll('statuses[]') as DeviceStatus[];
      const devices = filterDevices(s, p[0], url).filter((d) => wanted.length === 0 || wanted.includes(s.upgrades.deviceStatus(d, now)));
      return paged(url, devices, (d) => d.serial, (d) => {
        const status = s.upgrades.deviceStatus(d, now);
        return {
          serial: d.serial,
          name: d.name,
          model: d.model,
          mac: d.mac,
          networkId: d.networkId,
          productType: d.productType,
          status,
          lastReportedAt: new Date(status === 'online' || status === 'alerting' ? now - 30_000 : now - 3_600_000).toISOString(),
        };
      });
    },
  },
  { method: 'GET', pattern: /^\/networks\/([^/]+)$/, orgOf: byNetworkParam, handler: (s, p) => ({ status: 200, body: requireNetwork(s, p[0]) }) },
  {
    method: 'GET',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/events$/,
    orgOf: byNetworkParam,
    handler: (s, p) => {
      const network = requireNetwork(s, p[0]);
      const event = s.upgrades.latest(network.id);
      if (!event) return { status: 200, body: { networkId: network.id, status: 'none', stages: [], toVersion: null } };
      return { status: 200, body: s.upgrades.view(event, s.simNow(), iso) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/events$/,
    orgOf: byNetworkParam,
    handler: (s, p, _url, body, meta) => {
      const network = requireNetwork(s, p[0]);
      const now = s.simNow();
      const spec = parseUpgradeBody(body, now, s.defaultStageDurationMs);
      const current = s.upgrades.latest(network.id);
      if (current) {
        const status = s.upgrades.status(current, now);
        if (status === 'scheduled' || status === 'inProgress') {
          throw new ApiProblem(400, [`A staged upgrade (${current.id}, to ${current.toVersion}) is already ${status} for this network`]);
        }
      }
      const idempotencyKey = meta.idempotencyKey ?? spec.idempotencyKey;
      const event = s.upgrades.create(network.id, { ...spec, idempotencyKey, fails: s.faults.upgradeFails(network.id) }, now);
      return { status: 201, body: s.upgrades.view(event, now, iso) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/events\/rollbacks$/,
    orgOf: byNetworkParam,
    handler: (s, p, _url, body) => {
      const network = requireNetwork(s, p[0]);
      const now = s.simNow();
      const event = s.upgrades.latest(network.id);
      if (!event || event.rolledBackAt !== undefined) throw new ApiProblem(400, ['There is no staged upgrade to roll back for this network']);
      const reasons = Array.isArray((body as { reasons?: unknown })?.reasons)
        ? ((body as { reasons: unknown[] }).reasons.map((r) => ({ category: String((r as { category?: unknown })?.category ?? 'other'), comment: String((r as { comment?: unknown })?.comment ?? '') })))
        : [];
      s.upgrades.rollback(event, reasons, now);
      return { status: 200, body: s.upgrades.view(event, now, iso) };
    },
  },
];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function requireOrg(s: ApiState, id: string | undefined): SimOrg {
  const org = s.orgById.get(id ?? '');
  if (!org) throw new ApiProblem(404, ['Organization not found']);
  return org;
}

function requireNetwork(s: ApiState, id: string | undefined): SimNetwork {
  const network = s.networkById.get(id ?? '');
  if (!network) throw new ApiProblem(404, ['Network not found']);
  return network;
}

function filterDevices(s: ApiState, orgId: string | undefined, url: URL): SimDevice[] {
  const devices = s.devicesByOrg.get(requireOrg(s, orgId).id) ?? [];
  const networkIds = url.searchParams.getAll('networkIds[]');
  const serials = url.searchParams.getAll('serials[]');
  if (networkIds.length === 0 && serials.length === 0) return devices;
  return devices.filter((d) => (networkIds.length === 0 || networkIds.includes(d.networkId)) && (serials.length === 0 || serials.includes(d.serial)));
}

function paged<T>(url: URL, sorted: readonly T[], keyOf: (item: T) => string, render: (item: T) => unknown): ApiAnswer {
  const raw = url.searchParams.get('perPage');
  const perPage = raw === null ? 1000 : Number(raw);
  if (!Number.isInteger(perPage) || perPage < 3 || perPage > 1000) throw new ApiProblem(400, ["'perPage' must be an integer between 3 and 1000"]);
  const startingAfter = url.searchParams.get('startingAfter') ?? undefined;
  const page = pageOf(sorted, keyOf, { perPage, startingAfter });
  return { status: 200, body: page.items.map(render), headers: { link: linkHeader(url, perPage, page.lastKey, page.more) } };
}

function parseUpgradeBody(body: unknown, now: number, defaultStageDurationMs: number) {
  const b = (body ?? {}) as Record<string, unknown>;
  const toVersion = (b['toVersion'] as { shortName?: unknown } | undefined)?.shortName;
  if (typeof toVersion !== 'string' || toVersion === '') throw new ApiProblem(400, ["'toVersion.shortName' is required"]);
  const productType = b['productType'];
  if (productType !== undefined && productType !== 'switch' && productType !== 'wireless' && productType !== 'appliance') {
    throw new ApiProblem(400, ["'productType' must be one of switch, wireless, appliance"]);
  }
  const stages = b['stages'] === undefined ? 3 : Number(b['stages']);
  if (!Number.isInteger(stages) || stages < 1 || stages > 10) throw new ApiProblem(400, ["'stages' must be an integer between 1 and 10"]);
  let startAt = now;
  if (b['scheduledFor'] !== undefined) {
    startAt = Date.parse(String(b['scheduledFor']));
    if (Number.isNaN(startAt)) throw new ApiProblem(400, ["'scheduledFor' must be an ISO 8601 time"]);
  }
  const stageDurationMs = b['stageDurationSec'] === undefined ? defaultStageDurationMs : Number(b['stageDurationSec']) * 1000;
  if (!(stageDurationMs > 0)) throw new ApiProblem(400, ["'stageDurationSec' must be positive"]);
  const idempotencyKey = typeof b['idempotencyKey'] === 'string' ? b['idempotencyKey'] : undefined;
  return { toVersion, productType: productType as ProductType | undefined, stages, startAt, stageDurationMs, idempotencyKey };
}
