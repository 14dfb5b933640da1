import type { FaultBook } from './faults';
import { FirmwareProblem, type FirmwareBook } from './firmware-book';
import type { DeviceStatus, SimDevice, SimNetwork, SimOrg } from './model';
import type { StagedBook } from './staged-book';
import { linkHeader, pageOf } from './pagination';

export interface ApiState {
  orgs: SimOrg[];
  orgById: Map<string, SimOrg>;
  networkById: Map<string, SimNetwork>;
  networksByOrg: Map<string, SimNetwork[]>;
  devicesByOrg: Map<string, SimDevice[]>;
  firmware: FirmwareBook;
  staged: StagedBook;
  faults: FaultBook;
  /** Organisations that answer 404 on devices/availabilities (as one without that endpoint would). */
  legacyStatusOrgs: ReadonlySet<string>;
  /** Simulated clock (ms since epoch, runs `timeScale` times faster than real time). */
  simNow: () => number;
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

type Handler = (state: ApiState, params: string[], url: URL, body: unknown) => ApiAnswer;

interface Route {
  method: string;
  pattern: RegExp;
  /** Which organisation's budget the request spends. */
  orgOf: (state: ApiState, params: string[]) => string | undefined;
  handler: Handler;
}

const byOrgParam = (_s: ApiState, p: string[]) => p[0];
const byNetworkParam = (s: ApiState, p: string[]) => s.networkById.get(p[0] ?? '')?.organizationId;

/** The operations of the dashboard API v1 the simulator serves, as the pinned spec extract defines them. */
export const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/organizations$/, orgOf: () => undefined, handler: (s) => ({ status: 200, body: s.orgs.map(renderOrg) }) },
  { method: 'GET', pattern: /^\/organizations\/([^/]+)$/, orgOf: byOrgParam, handler: (s, p) => ({ status: 200, body: renderOrg(requireOrg(s, p[0])) }) },
  {
    method: 'GET',
    pattern: /^\/organizations\/([^/]+)\/networks$/,
    orgOf: byOrgParam,
    handler: (s, p, url) => paged(url, s.networksByOrg.get(requireOrg(s, p[0]).id) ?? [], (n) => n.id, renderNetwork),
  },
  {
    method: 'GET',
    pattern: /^\/organizations\/([^/]+)\/devices$/,
    orgOf: byOrgParam,
    handler: (s, p, url) => {
      const now = s.simNow();
      return paged(url, filterDevices(s, p[0], url), (d) => d.serial, (d) => ({
        name: d.name,
        serial: d.serial,
        mac: d.mac,
        networkId: d.networkId,
        model: d.model,
        firmware: s.firmware.deviceFirmware(d, networkOf(s, d), now),
        productType: d.productType,
        tags: [],
      }));
    },
  },
  {
    method: 'GET',
    pattern: /^\/organizations\/([^/]+)\/devices\/availabilities$/,
    orgOf: byOrgParam,
    handler: (s, p, url) => {
      const org = requireOrg(s, p[0]);
      if (s.legacyStatusOrgs.has(org.id)) throw new ApiProblem(404, ['Not found']);
      const now = s.simNow();
      return paged(url, filterDevices(s, org.id, url), (d) => d.serial, (d) => ({
        mac: d.mac,
        name: d.name,
        network: { id: d.networkId },
        productType: d.productType,
        serial: d.serial,
        status: s.firmware.deviceStatus(d, networkOf(s, d), now),
        tags: [],
      }));
    },
  },
  {
    method: 'GET',
    pattern: /^\/organizations\/([^/]+)\/devices\/statuses$/,
    orgOf: byOrgParam,
    handler: (s, p, url) => {
      const now = s.simNow();
      const wanted = url.searchParams.getAll('statuses[]') as DeviceStatus[];
      const statusOf = (d: SimDevice) => s.firmware.deviceStatus(d, networkOf(s, d), now);
      const devices = filterDevices(s, p[0], url).filter((d) => wanted.length === 0 || wanted.includes(statusOf(d)));
      return paged(url, devices, (d) => d.serial, (d) => {
        const status = statusOf(d);
        return {
          name: d.name,
          serial: d.serial,
          mac: d.mac,
          networkId: d.networkId,
          status,
          lastReportedAt: iso(status === 'online' || status === 'alerting' ? now - 30_000 : now - 3_600_000),
          productType: d.productType,
          model: d.model,
          tags: [],
        };
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/organizations\/([^/]+)\/devices\/statuses\/overview$/,
    orgOf: byOrgParam,
    handler: (s, p, url) => {
      const now = s.simNow();
      const byStatus = { online: 0, alerting: 0, offline: 0, dormant: 0 };
      for (const d of filterDevices(s, p[0], url)) byStatus[s.firmware.deviceStatus(d, networkOf(s, d), now)]++;
      return { status: 200, body: { counts: { byStatus } } };
    },
  },
  { method: 'GET', pattern: /^\/networks\/([^/]+)$/, orgOf: byNetworkParam, handler: (s, p) => ({ status: 200, body: renderNetwork(requireNetwork(s, p[0])) }) },
  {
    method: 'GET',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades$/,
    orgOf: byNetworkParam,
    handler: (s, p) => ({ status: 200, body: firmwareUpgrades(s, requireNetwork(s, p[0])) }),
  },
  {
    method: 'PUT',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades$/,
    orgOf: byNetworkParam,
    handler: (s, p, _url, body) => {
      const network = requireNetwork(s, p[0]);
      const products = objectField(body, 'products');
      const now = s.simNow();
      for (const [product, settings] of Object.entries(products ?? {})) {
        const next = objectField(settings, 'nextUpgrade');
        if (!next) continue;
        const toVersionId = objectField(next, 'toVersion')?.['id'];
        if (typeof toVersionId !== 'string') throw new ApiProblem(400, [`'products.${product}.nextUpgrade.toVersion.id' is required`]);
        const time = next['time'];
        if (time !== undefined && typeof time !== 'string') throw new ApiProblem(400, [`'products.${product}.nextUpgrade.time' must be a string`]);
        firmwareCall(() => s.firmware.schedule(network, product, { time, toVersionId, fails: s.faults.upgradeFails(network.id) }, now, iso));
      }
      return { status: 200, body: firmwareUpgrades(s, network) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/rollbacks$/,
    orgOf: byNetworkParam,
    handler: (s, p, _url, body) => {
      const network = requireNetwork(s, p[0]);
      const b = (body ?? {}) as Record<string, unknown>;
      const parsed = rollbackReasons(b, true);
      const product = b['product'];
      if (product !== undefined && typeof product !== 'string') throw new ApiProblem(400, ["'product' must be a string"]);
      const time = typeof b['time'] === 'string' ? b['time'] : undefined;
      const toVersionId = objectField(b, 'toVersion')?.['id'];
      const done = firmwareCall(() => s.firmware.rollback(network, product, { time, toVersionId: typeof toVersionId === 'string' ? toVersionId : undefined }, s.simNow(), iso));
      return { status: 200, body: { ...done, reasons: parsed } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/groups$/,
    orgOf: byNetworkParam,
    handler: (s, p) => ({ status: 200, body: s.staged.groupsView(requireNetwork(s, p[0])) }),
  },
  {
    method: 'GET',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/stages$/,
    orgOf: byNetworkParam,
    handler: (s, p) => ({ status: 200, body: s.staged.stagesView(requireNetwork(s, p[0])) }),
  },
  {
    method: 'GET',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/events$/,
    orgOf: byNetworkParam,
    handler: (s, p) => ({ status: 200, body: s.staged.eventView(requireNetwork(s, p[0]), s.simNow(), iso) }),
  },
  {
    method: 'POST',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/events$/,
    orgOf: byNetworkParam,
    handler: (s, p, _url, body) => {
      const network = requireNetwork(s, p[0]);
      const products = objectField(body, 'products');
      const entries = Object.entries(products ?? {});
      if (entries.length !== 1) throw new ApiProblem(400, ["'products' must name one switch product (switch or switchCatalyst)"]);
      const [product, settings] = entries[0] as [string, unknown];
      if (product !== 'switch') throw new ApiProblem(400, [`The network has no ${product} devices to stage`]);
      const toVersionId = objectField(objectField(settings, 'nextUpgrade'), 'toVersion')?.['id'];
      if (typeof toVersionId !== 'string') throw new ApiProblem(400, [`'products.${product}.nextUpgrade.toVersion.id' is required`]);
      const stages = stageList(body, 'stages');
      const now = s.simNow();
      firmwareCall(() => s.staged.create(network, toVersionId, stages, now, iso));
      return { status: 200, body: s.staged.eventView(network, now, iso) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/events\/defer$/,
    orgOf: byNetworkParam,
    handler: (s, p) => {
      const network = requireNetwork(s, p[0]);
      const now = s.simNow();
      firmwareCall(() => s.staged.defer(network, now, iso));
      return { status: 200, body: s.staged.eventView(network, now, iso) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/networks\/([^/]+)\/firmwareUpgrades\/staged\/events\/rollbacks$/,
    orgOf: byNetworkParam,
    handler: (s, p, _url, body) => {
      const network = requireNetwork(s, p[0]);
      const stages = stageList(body, 'stages', true);
      const reasons = rollbackReasons(body, false);
      const now = s.simNow();
      firmwareCall(() => s.staged.rollback(network, stages, reasons, now, iso));
      return { status: 200, body: s.staged.eventView(network, now, iso) };
    },
  },
];

/** `stages: [{ group: { id }, milestones: { scheduledFor } }]`, as the staged calls take it. */
function stageList(body: unknown, field: string, mayBeEmpty = false): { groupId: string; scheduledFor: string }[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(raw) || (!mayBeEmpty && raw.length === 0)) throw new ApiProblem(400, [`'${field}' must be a${mayBeEmpty ? '' : ' non-empty'} array`]);
  return raw.map((st, i) => {
    const id = objectField(st, 'group')?.['id'];
    const at = objectField(st, 'milestones')?.['scheduledFor'];
    if (typeof id !== 'string') throw new ApiProblem(400, [`'${field}[${i}].group.id' is required`]);
    if (typeof at !== 'string') throw new ApiProblem(400, [`'${field}[${i}].milestones.scheduledFor' is required`]);
    return { groupId: id, scheduledFor: at };
  });
}

function rollbackReasons(body: unknown, required: boolean): { category: string; comment: string }[] {
  const reasons = body && typeof body === 'object' ? (body as Record<string, unknown>)['reasons'] : undefined;
  if (reasons === undefined && !required) return [];
  if (!Array.isArray(reasons) || reasons.length === 0) throw new ApiProblem(400, ["'reasons' must be a non-empty array"]);
  return reasons.map((r) => {
    const category = (r as { category?: unknown })?.category;
    const comment = (r as { comment?: unknown })?.comment;
    if (typeof category !== 'string' || !ROLLBACK_CATEGORIES.includes(category)) throw new ApiProblem(400, [`'reasons[].category' must be one of ${ROLLBACK_CATEGORIES.join(', ')}`]);
    if (typeof comment !== 'string') throw new ApiProblem(400, ["'reasons[].comment' is required"]);
    return { category, comment };
  });
}

const ROLLBACK_CATEGORIES = ['broke old features', 'other', 'performance', 'stability', 'testing', 'unifying networks versions'];

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function firmwareUpgrades(s: ApiState, network: SimNetwork) {
  return { upgradeWindow: { dayOfWeek: 'sun', hourOfDay: '4:00' }, timezone: network.timeZone, products: s.firmware.view(network, s.simNow(), iso) };
}

function firmwareCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FirmwareProblem) throw new ApiProblem(err.status, [err.message]);
    throw err;
  }
}

function objectField(value: unknown, name: string): Record<string, unknown> | undefined {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function renderOrg(o: SimOrg) {
  return { id: o.id, name: o.name, url: `https://dashboard.example.invalid/o/${o.id}/manage/organization/overview`, api: { enabled: true } };
}

function renderNetwork(n: SimNetwork) {
  return { id: n.id, organizationId: n.organizationId, name: n.name, productTypes: n.productTypes, timeZone: n.timeZone, tags: [], notes: '', isBoundToConfigTemplate: false };
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

function networkOf(s: ApiState, d: SimDevice): SimNetwork {
  return s.networkById.get(d.networkId) as SimNetwork;
}

function filterDevices(s: ApiState, orgId: string | undefined, url: URL): SimDevice[] {
  const devices = s.devicesByOrg.get(requireOrg(s, orgId).id) ?? [];
  const networkIds = url.searchParams.getAll('networkIds[]');
  const serials = url.searchParams.getAll('serials[]');
  const products = url.searchParams.getAll('productTypes[]');
  if (networkIds.length === 0 && serials.length === 0 && products.length === 0) return devices;
  return devices.filter(
    (d) => (networkIds.length === 0 || networkIds.includes(d.networkId)) && (serials.length === 0 || serials.includes(d.serial)) && (products.length === 0 || products.includes(d.productType)),
  );
}

function paged<T>(url: URL, sorted: readonly T[], keyOf: (item: T) => string, render: (item: T) => unknown): ApiAnswer {
  const raw = url.searchParams.get('perPage');
  const perPage = raw === null ? 1000 : Number(raw);
  if (!Number.isInteger(perPage) || perPage < 3 || perPage > 1000) throw new ApiProblem(400, ["'perPage' must be an integer between 3 and 1000"]);
  const startingAfter = url.searchParams.get('startingAfter') ?? undefined;
  const page = pageOf(sorted, keyOf, { perPage, startingAfter });
  return { status: 200, body: page.items.map(render), headers: { link: linkHeader(url, perPage, page.lastKey, page.more) } };
}
