import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessLog } from './access-log';
import { ApiProblem, ROUTES, type ApiAnswer, type ApiState } from './api-routes';
import { FaultBook, type DashboardFault } from './faults';
import { FirmwareBook } from './firmware-book';
import type { ProductType, SimDevice, SimNetwork } from './model';
import { OrgBudget } from './org-budget';
import { seededRandom } from '../rng';
import { seedFleet } from './seed-fleet';
import { StagedBook, type SimStagedGroup } from './staged-book';

export interface DashboardSimOptions {
  orgs?: number;
  networksPerOrg?: number;
  devicesPerNetwork?: number;
  /** Sustained requests per second per organisation, shared by every API key. */
  rateLimitPerSec?: number;
  /** Requests the bucket holds after a quiet spell; default = rateLimitPerSec. */
  burst?: number;
  /** Simulated time runs this many times faster than real time (upgrade progress). */
  timeScale?: number;
  /** Simulated seconds a network's devices spend rebooting into a new version; default 600. */
  upgradeDurationSec?: number;
  /** @deprecated the old name of upgradeDurationSec. */
  stageDurationSec?: number;
  /** Product types the networks take in turn (one per network); default switch, wireless, appliance. */
  productTypes?: ProductType[];
  /** Organisations whose devices/availabilities answers 404, so clients fall back to devices/statuses. */
  legacyStatusOrgs?: string[];
  /** Give every switch network of two or more switches staged upgrade groups (a one-switch canary, then the default group); default true. */
  stagedGroups?: boolean;
  /** Keep request and response bodies in the access log (for the contract tests); default true. */
  recordBodies?: boolean;
  seed?: number;
  /** How many distinct API keys to issue; all see every organisation. */
  apiKeys?: number;
  host?: string;
  port?: number;
}

export interface DashboardSim {
  /** Base URL including `/api/v1`, e.g. http://127.0.0.1:40123/api/v1 */
  url: string;
  apiKey: string;
  apiKeys: string[];
  orgIds: string[];
  networkIds: (orgId?: string) => string[];
  devices: (orgId?: string) => ReadonlyArray<Pick<SimDevice, 'serial' | 'networkId' | 'organizationId' | 'productType' | 'model'>>;
  log: AccessLog;
  /** Requests received and not answered yet (method and path), e.g. a write a `slow` fault holds. */
  inFlight: () => { method: string; path: string }[];
  setFault: (fault: DashboardFault) => void;
  clearFaults: () => void;
  /** The network's staged upgrade groups (in stage order), as seeded. */
  stagedGroups: (networkId: string) => readonly SimStagedGroup[];
  /** Removes the network's staged upgrade groups, as a network never set up for staged upgrades. */
  clearStagedGroups: (networkId: string) => void;
  /** Current simulated time (ms since epoch). */
  simNow: () => number;
  stop: () => Promise<void>;
}

const PREFIX = '/api/v1';
/** `/api/v1/...`, or the same under a regional shard (`/shard-n42/api/v1/...`), where a redirect may send a client. */
const API_PATH = /^(\/shard-\w+)?\/api\/v1(\/.*)$/;

/** Starts a dashboard-style REST API on loopback; see README-style notes in index.ts. */
export async function startDashboardSim(opts: DashboardSimOptions = {}): Promise<DashboardSim> {
  const seed = opts.seed ?? 1;
  const fleet = seedFleet({ orgs: opts.orgs ?? 2, networksPerOrg: opts.networksPerOrg ?? 3, devicesPerNetwork: opts.devicesPerNetwork ?? 10, seed, productTypes: opts.productTypes });
  const recordBodies = opts.recordBodies ?? true;
  const rate = opts.rateLimitPerSec ?? 10;
  const burst = opts.burst ?? rate;
  const timeScale = opts.timeScale ?? 1;
  const random = seededRandom(seed ^ 0x5eed);
  const keys = Array.from({ length: Math.max(1, opts.apiKeys ?? 2) }, (_, i) => `sim-${seed}-${i}-${Math.floor(random() * 2 ** 48).toString(16)}`);

  const realStart = performance.now();
  const simEpoch = Date.now();
  const simNow = () => simEpoch + (performance.now() - realStart) * timeScale;
  const wallNow = () => performance.timeOrigin + performance.now();

  const networkById = new Map<string, SimNetwork>();
  const networksByOrg = new Map<string, SimNetwork[]>();
  const devicesByOrg = new Map<string, SimDevice[]>();
  const devicesByNetwork = new Map<string, SimDevice[]>();
  const deviceBySerial = new Map(fleet.devices.map((d) => [d.serial, d]));
  for (const n of fleet.networks) {
    networkById.set(n.id, n);
    push(networksByOrg, n.organizationId, n);
  }
  for (const d of fleet.devices) {
    push(devicesByOrg, d.organizationId, d);
    push(devicesByNetwork, d.networkId, d);
  }
  for (const list of devicesByOrg.values()) list.sort((a, b) => (a.serial < b.serial ? -1 : 1));
  for (const list of networksByOrg.values()) list.sort((a, b) => (a.id < b.id ? -1 : 1));

  const log = new AccessLog();
  const faults = new FaultBook(random);
  const budgets = new Map<string, OrgBudget>();
  const upgradeDurationMs = (opts.upgradeDurationSec ?? opts.stageDurationSec ?? 600) * 1000;
  const firmware = new FirmwareBook(devicesByNetwork, upgradeDurationMs);
  const staged = new StagedBook(firmware, devicesByNetwork, upgradeDurationMs);
  firmware.stagedDeviceVersion = (d, n, now) => staged.deviceVersionId(d, n, now);
  if (opts.stagedGroups !== false) for (const n of fleet.networks) if (n.productTypes.includes('switch')) staged.seed(n);
  const state: ApiState = {
    orgs: fleet.orgs,
    orgById: new Map(fleet.orgs.map((o) => [o.id, o])),
    networkById,
    networksByOrg,
    devicesByOrg,
    firmware,
    staged,
    faults,
    legacyStatusOrgs: new Set(opts.legacyStatusOrgs ?? []),
    simNow,
  };
  let requestIds = 0;
  const pending = new Set<{ method: string; path: string }>();
  const requestIdPrefix = Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0');

  const sockets = new Set<import('node:net').Socket>();
  let port = 0;
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const at = wallNow();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const pathAndQuery = url.pathname + url.search;
    const rawBody = await readBody(req);
    const keyIndex = keys.indexOf(apiKeyOf(req) ?? '');
    const prefixed = API_PATH.exec(url.pathname);
    const apiPath = prefixed?.[2] ?? url.pathname;
    const onShard = prefixed?.[1] !== undefined;
    const route = prefixed ? findRoute(method, apiPath) : undefined;
    const orgId = route ? route.route.orgOf(state, route.params) : undefined;
    let requestBody: unknown;
    const arrival = { method, path: pathAndQuery };
    pending.add(arrival);
    const send = (answer: ApiAnswer) => {
      pending.delete(arrival);
      const requestId = `${requestIdPrefix}${(++requestIds).toString(16).padStart(8, '0')}`;
      const ua = req.headers['user-agent'];
      log.add({
        at,
        orgId,
        method,
        path: pathAndQuery,
        apiPath,
        status: answer.status,
        keyIndex,
        requestId,
        ...(typeof ua === 'string' ? { userAgent: ua } : {}),
        ...(recordBodies ? { requestBody, responseBody: answer.body } : {}),
      });
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': requestId, ...answer.headers });
      res.end(text);
    };
    if (rawBody.length) {
      try {
        requestBody = JSON.parse(rawBody);
      } catch {
        return send({ status: 400, body: { errors: ['The request body is not valid JSON'] } });
      }
    }
    if (keyIndex < 0) return send({ status: 401, body: { errors: ['Invalid API key'] } });
    if (!route) return send({ status: 404, body: { errors: ['Not found'] } });
    const facts = { method, path: pathAndQuery, orgId };
    const redirect = onShard ? undefined : faults.redirect(facts);
    if (redirect) {
      const location = redirect.to === 'shard' ? `${url.origin}/shard-n42${PREFIX}${apiPath}${url.search}` : `http://127.0.0.2:${port}${pathAndQuery}`;
      return send({ status: redirect.status, body: undefined, headers: { location } });
    }
    if (orgId !== undefined) {
      const stormSec = faults.storm(facts, at);
      if (stormSec !== undefined) return send(tooMany(stormSec));
      let budget = budgets.get(orgId);
      if (!budget) budgets.set(orgId, (budget = new OrgBudget(rate, burst, at)));
      const taken = budget.tryTake(at);
      // Whole seconds, as the real dashboard sends them.
      if (!taken.ok) return send(tooMany(Math.max(1, Math.ceil(taken.waitMs / 1000))));
    }
    const delay = faults.delayMs(facts);
    if (delay > 0) await sleep(delay, timers);
    const injected = faults.serverError(facts);
    if (injected?.when === 'before') return send({ status: injected.status, body: { errors: ['Internal server error (injected)'] } });
    let answer: ApiAnswer;
    try {
      answer = route.route.handler(state, route.params, url, requestBody);
    } catch (err) {
      if (err instanceof ApiProblem) answer = { status: err.status, body: { errors: err.errors } };
      else answer = { status: 500, body: { errors: [String(err)] } };
    }
    if (injected?.when === 'after') return send({ status: injected.status, body: { errors: ['Internal server error (injected after the change was applied)'] } });
    send(answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}${PREFIX}`,
    apiKey: keys[0] as string,
    apiKeys: keys,
    orgIds: fleet.orgs.map((o) => o.id),
    networkIds: (orgId) => fleet.networks.filter((n) => orgId === undefined || n.organizationId === orgId).map((n) => n.id),
    devices: (orgId) => (orgId === undefined ? fleet.devices : (devicesByOrg.get(orgId) ?? [])),
    log,
    inFlight: () => [...pending],
    setFault: (fault) => {
      if (fault.kind === 'device-misses-upgrade') {
        if (!deviceBySerial.has(fault.serial)) throw new RangeError(`no device ${fault.serial} in the simulator`);
        state.firmware.keepOldFirmware(fault.serial);
      }
      faults.add(fault, wallNow());
    },
    clearFaults: () => faults.clear(),
    stagedGroups: (networkId) => staged.groupsOf(networkId),
    clearStagedGroups: (networkId) => staged.clear(networkId),
    simNow,
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

function findRoute(method: string, path: string) {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1).map(decodeURIComponent) };
  }
  return undefined;
}

function apiKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers['x-cisco-meraki-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return m?.[1];
}

function tooMany(retryAfterSec: number | null): ApiAnswer {
  return { status: 429, body: { errors: ['API rate limit exceeded for organization'] }, ...(retryAfterSec === null ? {} : { headers: { 'retry-after': String(retryAfterSec) } }) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
