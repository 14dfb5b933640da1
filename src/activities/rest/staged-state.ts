import { STAGED_PRODUCTS, type StagedProduct } from '../../contracts/dashboard';

/**
 * Strict readers of the staged-upgrade answers of the Dashboard API v1
 * (switch networks only): `GET .../firmwareUpgrades/staged/groups`,
 * `.../staged/stages` and `.../staged/events`. The spec types a stage's
 * progress only through its milestones (`startedAt`, `completedAt`,
 * `canceledAt`, all date-times); its `status` is free text whose values the
 * spec does not list, so progress is read from the milestones and the status
 * is only shown.
 */

export { STAGED_PRODUCTS, type StagedProduct };

export function isStagedProduct(product: string): product is StagedProduct {
  return (STAGED_PRODUCTS as readonly string[]).includes(product);
}

export interface StagedGroup {
  id: string;
  name: string;
  isDefault: boolean;
  /** Serials assigned to the group explicitly. */
  serials: string[];
  /** Switch stacks assigned to the group (their members' serials are not in this answer). */
  stackIds: string[];
}

export type StagePhase = 'pending' | 'running' | 'completed' | 'canceled';

export interface StagedStageState {
  groupId: string;
  groupName?: string;
  scheduledFor?: string;
  startedAt?: string;
  completedAt?: string;
  canceledAt?: string;
  /** The dashboard's own words, shown, never interpreted. */
  status?: string;
  phase: StagePhase;
}

export interface StagedEventState {
  /** The version the event upgrades (or, after a rollback, returns) the switches to; absent when there is no event. */
  toVersion?: { id: string; shortName?: string };
  stages: StagedStageState[];
  /** Present once the event was rolled back. */
  reasons: { category: string; comment: string }[];
}

/** A staged-upgrade answer that does not hold what the API defines; names the network and the field. */
export class StagedAnswerError extends Error {
  constructor(readonly networkId: string, detail: string) {
    super(`network ${networkId}: the dashboard's staged upgrade answer ${detail}; nothing was changed. Check the network's staged upgrades in the dashboard (or report the answer, with its X-Request-Id, to Meraki).`);
    this.name = 'StagedAnswerError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(networkId: string, o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new StagedAnswerError(networkId, `has a ${where}.${key} that is not a string`);
  return v;
}

function optionalTime(networkId: string, o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = optionalString(networkId, o, key, where);
  if (v === undefined || v === '') return undefined;
  if (Number.isNaN(Date.parse(v))) throw new StagedAnswerError(networkId, `has a ${where}.${key} "${v}" that is not a date-time`);
  return v;
}

/** `GET .../staged/groups`: every group, each read strictly (a group without an id or name is an error, not skipped). */
export function readStagedGroups(networkId: string, body: unknown): StagedGroup[] {
  if (!Array.isArray(body)) throw new StagedAnswerError(networkId, 'of groups is not a list');
  return body.map((g, i) => {
    const where = `groups[${i}]`;
    if (!isObject(g) || typeof g['groupId'] !== 'string' || g['groupId'] === '') throw new StagedAnswerError(networkId, `has no ${where}.groupId`);
    if (typeof g['name'] !== 'string') throw new StagedAnswerError(networkId, `has no ${where}.name`);
    const isDefault = g['isDefault'];
    if (isDefault !== undefined && typeof isDefault !== 'boolean') throw new StagedAnswerError(networkId, `has a ${where}.isDefault that is not true or false`);
    const assigned = g['assignedDevices'];
    if (assigned !== undefined && !isObject(assigned)) throw new StagedAnswerError(networkId, `has a ${where}.assignedDevices that is not an object`);
    const list = (key: 'devices' | 'switchStacks', id: 'serial' | 'id'): string[] => {
      const raw = assigned?.[key];
      if (raw === undefined) return [];
      if (!Array.isArray(raw)) throw new StagedAnswerError(networkId, `has a ${where}.assignedDevices.${key} that is not a list`);
      return raw.map((d, j) => {
        if (!isObject(d) || typeof d[id] !== 'string' || d[id] === '') throw new StagedAnswerError(networkId, `has no ${where}.assignedDevices.${key}[${j}].${id}`);
        return d[id];
      });
    };
    return { id: g['groupId'], name: g['name'], isDefault: isDefault === true, serials: list('devices', 'serial'), stackIds: list('switchStacks', 'id') };
  });
}

/** `GET .../staged/stages`: the groups in the order their stages run. */
export function readStageOrder(networkId: string, body: unknown): { groupId: string; name?: string }[] {
  if (!Array.isArray(body)) throw new StagedAnswerError(networkId, 'of stages is not a list');
  return body.map((s, i) => {
    const group = isObject(s) ? s['group'] : undefined;
    if (!isObject(group) || typeof group['id'] !== 'string' || group['id'] === '') throw new StagedAnswerError(networkId, `has no stages[${i}].group.id`);
    const name = optionalString(networkId, group, 'name', `stages[${i}].group`);
    return { groupId: group['id'], ...(name !== undefined ? { name } : {}) };
  });
}

function phaseOf(s: Pick<StagedStageState, 'startedAt' | 'completedAt' | 'canceledAt'>): StagePhase {
  if (s.canceledAt) return 'canceled';
  if (s.completedAt) return 'completed';
  if (s.startedAt) return 'running';
  return 'pending';
}

/**
 * `GET .../staged/events` (and the answers of its writes). An answer with no
 * stages is "no event"; a version with several products is an error (the
 * API stages one switch product per event).
 */
export function readStagedEvent(networkId: string, body: unknown): StagedEventState {
  if (!isObject(body)) throw new StagedAnswerError(networkId, 'of the staged event is not an object');
  const event: StagedEventState = { stages: [], reasons: [] };
  const products = body['products'];
  if (products !== undefined) {
    if (!isObject(products)) throw new StagedAnswerError(networkId, 'has a products that is not an object');
    for (const [product, raw] of Object.entries(products)) {
      if (!isStagedProduct(product)) throw new StagedAnswerError(networkId, `stages a product "${product}" (staged upgrades are for switch and switchCatalyst only)`);
      const to = isObject(raw) && isObject(raw['nextUpgrade']) ? raw['nextUpgrade']['toVersion'] : undefined;
      if (to === undefined) continue;
      if (!isObject(to) || typeof to['id'] !== 'string' || to['id'] === '') throw new StagedAnswerError(networkId, `has no products.${product}.nextUpgrade.toVersion.id`);
      if (event.toVersion) throw new StagedAnswerError(networkId, 'names versions for more than one product');
      const shortName = optionalString(networkId, to, 'shortName', `products.${product}.nextUpgrade.toVersion`);
      event.toVersion = { id: to['id'], ...(shortName !== undefined ? { shortName } : {}) };
    }
  }
  const stages = body['stages'];
  if (stages !== undefined) {
    if (!Array.isArray(stages)) throw new StagedAnswerError(networkId, 'has a stages that is not a list');
    event.stages = stages.map((s, i) => {
      const where = `stages[${i}]`;
      const group = isObject(s) ? s['group'] : undefined;
      if (!isObject(s) || !isObject(group) || typeof group['id'] !== 'string' || group['id'] === '') throw new StagedAnswerError(networkId, `has no ${where}.group.id`);
      const m = s['milestones'];
      if (m !== undefined && !isObject(m)) throw new StagedAnswerError(networkId, `has a ${where}.milestones that is not an object`);
      const ms = m ?? {};
      const out: Omit<StagedStageState, 'phase'> = { groupId: group['id'] };
      const groupName = optionalString(networkId, group, 'name', `${where}.group`);
      if (groupName !== undefined) out.groupName = groupName;
      for (const k of ['scheduledFor', 'startedAt', 'completedAt', 'canceledAt'] as const) {
        const t = optionalTime(networkId, ms, k, `${where}.milestones`);
        if (t !== undefined) out[k] = t;
      }
      const status = optionalString(networkId, s, 'status', where);
      if (status !== undefined) out.status = status;
      return { ...out, phase: phaseOf(out) };
    });
  }
  const reasons = body['reasons'];
  if (reasons !== undefined) {
    if (!Array.isArray(reasons)) throw new StagedAnswerError(networkId, 'has a reasons that is not a list');
    event.reasons = reasons.map((r, i) => {
      if (!isObject(r) || typeof r['category'] !== 'string') throw new StagedAnswerError(networkId, `has no reasons[${i}].category`);
      return { category: r['category'], comment: typeof r['comment'] === 'string' ? r['comment'] : '' };
    });
  }
  if (event.stages.length > 0 && !event.toVersion) throw new StagedAnswerError(networkId, 'has stages but no products.<switch product>.nextUpgrade.toVersion.id');
  return event;
}

/** An event with a stage still to run or running. */
export function isActive(event: StagedEventState): boolean {
  return event.stages.some((s) => s.phase === 'pending' || s.phase === 'running');
}

/** How to get a network ready for staged upgrades; quoted by every refusal that a missing set-up causes. */
export const STAGED_SETUP_HINT =
  'create its staged upgrade groups in the dashboard (the network\'s firmware upgrades, staged upgrades: groups of switches, one marked as the default group for every switch not assigned elsewhere) and set their stage order, or with the API (POST /networks/{networkId}/firmwareUpgrades/staged/groups, PUT .../staged/stages); or roll the network out without --staged';

/** One stage of the plan: a group in stage order, with what netops can check of it. */
export interface PlannedStage {
  groupId: string;
  name: string;
  isDefault: boolean;
  /** Serials assigned explicitly (for the default group: every device of the product assigned nowhere else, when that is knowable). */
  devices: number;
  stacks: number;
}

/**
 * The stages to schedule, from the groups and their order. Refuses a
 * network without groups, an order naming a group that does not exist, and
 * a group with no stage (its switches would never be upgraded).
 */
export function planStages(networkId: string, groups: StagedGroup[], order: { groupId: string }[]): PlannedStage[] {
  if (groups.length === 0) throw new StagedSetupError(networkId, `has no staged upgrade groups; ${STAGED_SETUP_HINT}`);
  if (order.length === 0) throw new StagedSetupError(networkId, `has ${groups.length} staged upgrade group(s) but no stage order; set the order of its groups in the dashboard (PUT /networks/{networkId}/firmwareUpgrades/staged/stages)`);
  const byId = new Map(groups.map((g) => [g.id, g]));
  const unknown = order.filter((o) => !byId.has(o.groupId)).map((o) => o.groupId);
  if (unknown.length > 0) throw new StagedSetupError(networkId, `has a stage order naming group(s) ${unknown.join(', ')} that do not exist; fix the stage order in the dashboard`);
  const seen = new Set(order.map((o) => o.groupId));
  if (seen.size !== order.length) throw new StagedSetupError(networkId, 'lists a group twice in its stage order; fix the stage order in the dashboard');
  const missing = groups.filter((g) => !seen.has(g.id)).map((g) => `${g.name} (${g.id})`);
  if (missing.length > 0) throw new StagedSetupError(networkId, `has group(s) ${missing.join(', ')} with no stage, whose switches would not be upgraded; add them to the stage order in the dashboard`);
  return order.map((o) => {
    const g = byId.get(o.groupId) as StagedGroup;
    return { groupId: g.id, name: g.name, isDefault: g.isDefault, devices: g.serials.length, stacks: g.stackIds.length };
  });
}

/** The network is not set up for staged upgrades (a non-retryable refusal). */
export class StagedSetupError extends Error {
  constructor(readonly networkId: string, detail: string) {
    super(`network ${networkId} ${detail}`);
    this.name = detail.startsWith('has no staged upgrade groups') ? 'NoStagedGroups' : 'StagedGroupsIncomplete';
  }
}

/**
 * The serials a stage covers: a group's own; for the default group, every
 * device of the product that no other group names. Undefined when switch
 * stacks are assigned to groups, since their members' serials are not in the
 * groups answer: those stages are then checked only by the network's
 * post-check.
 */
export function stageSerials(groups: StagedGroup[], groupId: string, productSerials: readonly string[]): string[] | undefined {
  const group = groups.find((g) => g.id === groupId);
  if (!group) return undefined;
  if (!group.isDefault) return group.stackIds.length > 0 ? undefined : group.serials;
  if (groups.some((g) => g.stackIds.length > 0)) return undefined;
  const elsewhere = new Set(groups.filter((g) => g.id !== groupId).flatMap((g) => g.serials));
  return [...new Set([...group.serials, ...productSerials.filter((s) => !elsewhere.has(s))])];
}
