import { FIRMWARE_PRODUCTS, type FirmwareProduct, type FirmwareTarget, type FirmwareVersion } from './types';

/** One product's part of `GET /networks/{id}/firmwareUpgrades`, read strictly. */
export interface ProductFirmwareState {
  product: FirmwareProduct;
  current: FirmwareVersion;
  available: FirmwareVersion[];
  /** Pending upgrade; absent when the dashboard shows none (no `nextUpgrade`, or one without a version id). */
  next?: { time: string; toVersion: FirmwareVersion };
  last?: { time: string; fromVersion?: FirmwareVersion; toVersion: FirmwareVersion };
}

/** The network's firmware answer did not hold what the API defines; names the network and the field. */
export class FirmwareAnswerError extends Error {
  constructor(readonly networkId: string, detail: string) {
    super(`network ${networkId}: the dashboard's firmwareUpgrades answer ${detail}; nothing was changed. Check the network in the dashboard (or report the answer, with its X-Request-Id, to Meraki).`);
    this.name = 'FirmwareAnswerError';
  }
}

/** A version the user named that the network does not offer. */
export class UnknownFirmwareVersion extends Error {
  constructor(readonly networkId: string, wanted: string, offered: string) {
    super(`network ${networkId}: no firmware "${wanted}" is offered for this network (it offers ${offered}); give one of those as --firmware, by shortName or firmware name`);
    this.name = 'UnknownFirmwareVersion';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function version(networkId: string, v: unknown, where: string): FirmwareVersion {
  if (!isObject(v) || typeof v['id'] !== 'string' || v['id'] === '') throw new FirmwareAnswerError(networkId, `has no version id in ${where}`);
  const out: FirmwareVersion = { id: v['id'] };
  for (const k of ['firmware', 'shortName', 'releaseType', 'releaseDate'] as const) if (typeof v[k] === 'string') out[k] = v[k];
  return out;
}

/** A version object that may be empty (`{}`) where the API has nothing to show. */
function optionalVersion(networkId: string, v: unknown, where: string): FirmwareVersion | undefined {
  if (v === undefined || v === null || (isObject(v) && (v['id'] === undefined || v['id'] === null || v['id'] === ''))) return undefined;
  return version(networkId, v, where);
}

/** The products the answer reports, each read strictly. Unknown product keys are an error, not skipped. */
export function readFirmwareState(networkId: string, body: unknown): ProductFirmwareState[] {
  if (!isObject(body) || !isObject(body['products'])) throw new FirmwareAnswerError(networkId, 'has no products object');
  const states: ProductFirmwareState[] = [];
  for (const [product, raw] of Object.entries(body['products'])) {
    if (!(FIRMWARE_PRODUCTS as readonly string[]).includes(product)) throw new FirmwareAnswerError(networkId, `reports a product type "${product}" netops does not know`);
    if (!isObject(raw)) throw new FirmwareAnswerError(networkId, `has a products.${product} that is not an object`);
    const where = (f: string) => `products.${product}.${f}`;
    const available = raw['availableVersions'];
    if (available !== undefined && !Array.isArray(available)) throw new FirmwareAnswerError(networkId, `has a ${where('availableVersions')} that is not a list`);
    const state: ProductFirmwareState = {
      product: product as FirmwareProduct,
      current: version(networkId, raw['currentVersion'], where('currentVersion')),
      available: (available ?? []).map((v, i) => version(networkId, v, where(`availableVersions[${i}]`))),
    };
    const next = raw['nextUpgrade'];
    if (isObject(next)) {
      const to = optionalVersion(networkId, next['toVersion'], where('nextUpgrade.toVersion'));
      if (to) {
        if (typeof next['time'] !== 'string' || Number.isNaN(Date.parse(next['time']))) throw new FirmwareAnswerError(networkId, `has a pending upgrade without a readable ${where('nextUpgrade.time')}`);
        state.next = { time: next['time'], toVersion: to };
      }
    }
    const last = raw['lastUpgrade'];
    if (isObject(last)) {
      const to = optionalVersion(networkId, last['toVersion'], where('lastUpgrade.toVersion'));
      if (to) {
        const from = optionalVersion(networkId, last['fromVersion'], where('lastUpgrade.fromVersion'));
        state.last = { time: typeof last['time'] === 'string' ? last['time'] : '', toVersion: to, ...(from ? { fromVersion: from } : {}) };
      }
    }
    states.push(state);
  }
  return states;
}

function names(v: FirmwareVersion): string[] {
  return [v.shortName, v.firmware].filter((n): n is string => n !== undefined).map((n) => n.trim().toLowerCase());
}

/** Human name of a version: its shortName, else its firmware name, else its id. */
export function versionName(v: FirmwareVersion): string {
  return v.shortName ?? v.firmware ?? `version id ${v.id}`;
}

/**
 * The product and version object the target names on this network: by
 * shortName or firmware name (case and surrounding space ignored) among the
 * versions offered and the one running. With no product given, exactly one
 * product of the network must offer it.
 */
export function resolveTarget(networkId: string, states: ProductFirmwareState[], target: FirmwareTarget): { state: ProductFirmwareState; version: FirmwareVersion } {
  const wanted = target.version.trim().toLowerCase();
  const candidates = target.productType ? states.filter((s) => s.product === target.productType) : states;
  if (target.productType && candidates.length === 0) {
    throw new UnknownFirmwareVersion(networkId, target.version, `no ${target.productType} firmware at all; its products are ${states.map((s) => s.product).join(', ') || 'none'}`);
  }
  const matches = candidates.flatMap((state) => [state.current, ...state.available].filter((v) => names(v).includes(wanted)).map((version) => ({ state, version })));
  const unique = matches.filter((m, i) => matches.findIndex((o) => o.state.product === m.state.product && o.version.id === m.version.id) === i);
  if (unique.length === 1) return unique[0] as { state: ProductFirmwareState; version: FirmwareVersion };
  if (unique.length > 1) {
    throw new UnknownFirmwareVersion(networkId, target.version, `it under several products (${unique.map((m) => m.state.product).join(', ')}): choose one with --product`);
  }
  const offered = candidates.map((s) => `${s.product}: ${[s.current, ...s.available].map(versionName).join(', ')}`).join('; ');
  throw new UnknownFirmwareVersion(networkId, target.version, offered || 'nothing');
}

/** Same instant, whatever the formatting (the dashboard may drop milliseconds or change the zone's spelling). */
export function sameTime(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return !Number.isNaN(ta) && Math.floor(ta / 1000) === Math.floor(tb / 1000);
}
