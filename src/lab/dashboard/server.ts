import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessLog } from './access-log';
import { ApiProblem, ROUTES, type ApiAnswer, type ApiState } from './api-routes';
import { FaultBook, type DashboardFault } from './faults';
import type { SimDevice, SimNetwork } from './model';
import { OrgBudget } from './org-budget';
import { seededRandom } from '../rng';
import { seedFleet } from './seed-fleet';
import { UpgradeBook } from './upgrades';

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
  /** Simulated duration of one upgrade stage unless the request says otherwise. */
  stageDurationSec?: number;
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
  setFault: (fault: DashboardFault) => void;
  clearFaults: () => void;
  /** Current simulated time (ms since epoch). */
  simNow: () => number;
  stop: () => Promise<void>;
}

const PREFIX = '/api/v1';

/** Starts a dashboard-style REST API on loopback; see README-style notes in index.ts. */
export async function startDashboardSim(opts: DashboardSimOptions = {}): Promise<DashboardSim> {
  const seed = opts.seed ?? 1;
  const fleet = seedFleet({ orgs: opts.orgs ?? 2, networksPerOrg: opts.networksPerOrg ?? 3, devicesPerNetwork: opts.devicesPerNetwork ?? 10, seed });
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
  const state: ApiState = {
    orgs: fleet.orgs,
    orgById: new Map(fleet.orgs.map((o) => [o.id, o])),
    networkById,
    networksByOrg,
    devicesByOrg,
    upgrades: new UpgradeBook(devicesByNetwork),
    faults,
    log,
    simNow,
    defaultStageDurationMs: (opts.stageDurationSec ?? 600) * 1000,
  };

  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const at = wallNow();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const pathAndQuery = url.pathname + url.search;
    const rawBody = await readBody(req);
    const keyIndex = keys.indexOf(apiKeyOf(req) ?? '');
    const route = url.pathname.startsWith(PREFIX) ? findRoute(method, url.pathname.slice(PREFIX.length)) : undefined;
    const orgId = route ? route.route.orgOf(state, route.params) : undefined;
    const send = (answer: ApiAnswer) => {
      log.add({ at, orgId, method, path: pathAndQuery, status: answer.status, keyIndex });
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...answer.headers });
      res.end(text);
    };
    if (keyIndex < 0) return send({ status: 401, body: { errors: ['Invalid API key'] } });
    if (!route) return send({ status: 404, body: { errors: ['Not found'] } });
    const facts = { method, path: pathAndQuery, orgId };
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
      const body = rawBody.length ? JSON.parse(rawBody) : undefined;
      const idem = req.headers['idempotency-key'];
      answer = route.route.handler(state, route.params, url, body, { idempotencyKey: typeof idem === 'string' ? idem : undefined });
    } catch (err) {
      if (err instanceof ApiProblem) answer = { status: err.status, body: { errors: err.errors } };
      else if (err instanceof SyntaxError) answer = { status: 400, body: { errors: ['The request body is not valid JSON'] } };
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
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}${PREFIX}`,
    apiKey: keys[0] as string,
    apiKeys: keys,
    orgIds: fleet.orgs.map((o) => o.id),
    networkIds: (orgId) => fleet.networks.filter((n) => orgId === undefined || n.organizationId === orgId).map((n) => n.id),
    devices: (orgId) => (orgId === undefined ? fleet.devices : (devicesByOrg.get(orgId) ?? [])),
    log,
    setFault: (fault) => faults.add(fault, wallNow()),
    clearFaults: () => faults.clear(),
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

function tooMany(retryAfterSec: number): ApiAnswer {
  return { status: 429, body: { errors: ['API rate limit exceeded for organization'] }, headers: { 'retry-after': String(retryAfterSec) } };
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
