import type { DeviceTimings } from './device-timings';
import type { FirmwareProduct } from './firmware-products';
import type { SecretRef } from './inventory';
import type { NetworkTarget } from './targets';

/**
 * Inputs and results of the dashboard (cloud-managed fleet) workflows: plain
 * JSON, the API key only as a reference resolved on the worker.
 */

export interface DashboardConnection {
  /** e.g. https://api.meraki.com/api/v1, or the organisation's region: api.meraki.ca, api.meraki.cn, api.meraki.in, api.gov-meraki.com */
  baseUrl: string;
  apiKey: SecretRef;
  /** The User-Agent's caller part, "ApplicationName[/version] VendorName" (Meraki's format); default: the worker's NETOPS_DASHBOARD_CALLER. */
  caller?: string;
}

/** The task queue whose workers run one organisation's REST activities: `<base>-dashboard-<orgId>`. */
export function dashboardTaskQueue(baseTaskQueue: string, orgId: string): string {
  return `${baseTaskQueue}-dashboard-${orgId}`;
}

/** The workflow id of one `dashboard status` run, started at `atIso`. */
export function dashboardStatusWorkflowId(atIso: string): string {
  return `dashboard-status/${atIso}`;
}

/** Organisation ids become task queue names and URL path segments: keep them to a safe alphabet. */
export function isValidOrgId(orgId: string): boolean {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(orgId);
}

export interface DashboardStatusInput {
  dashboard: DashboardConnection;
  orgIds: string[];
  /** Devices per request; default 1000 (the dashboard's maximum). */
  perPage?: number;
  /** Networks of one organisation walked at once (1: one cursor over the whole organisation). Default 4. */
  concurrencyPerOrg?: number;
  /** Devices not online listed per organisation at most. Default 50. */
  maxListed?: number;
  /** Fail an organisation whose page waited this long for a worker (none polls its queue). Default 2 min. */
  noWorkerTimeoutMs?: number;
  /** Counts only, from devices/statuses/overview: one request per organisation, no list of devices not online. */
  countsOnly?: boolean;
}

export interface OrgStatusInput extends Omit<DashboardStatusInput, 'orgIds'> {
  orgId: string;
}

export interface OrgStatusCounts {
  orgId: string;
  total: number;
  online: number;
  offline: number;
  alerting: number;
  dormant: number;
  networks: number;
  /** Requests answered (pages fetched, 429s excluded). */
  requests: number;
  /** Activity tasks (slices of the organisation's budget) they were sent in. */
  tasks?: number;
  /** Slices that met a 429 and waited out its Retry-After. */
  rateLimited?: number;
  notOnline: { serial: string; networkId: string; status: string; name?: string }[];
  notOnlineTruncated: boolean;
  error?: string;
}

export interface DashboardStatusReport {
  orgs: OrgStatusCounts[];
  totals: { total: number; online: number; offline: number; alerting: number; dormant: number };
  /** Organisations whose collection failed (their counts are partial or zero). */
  failedOrgs: string[];
  /**
   * Where the full rows would be stored. There is no result store in the
   * project yet, so the workflow returns the summary only and this stays unset.
   */
  resultRef?: string;
}

/** Products the Dashboard API upgrades in stages (`firmwareUpgrades/staged/...`): switches only. */
export const STAGED_PRODUCTS = ['switch', 'switchCatalyst'] as const;
export type StagedProduct = (typeof STAGED_PRODUCTS)[number];

/**
 * A firmware rollout of cloud-managed networks through the Meraki
 * Dashboard API, on the rollout engine: each network's upgrade of one
 * product type is scheduled with PUT /networks/{id}/firmwareUpgrades.
 */
export interface FirmwareJob {
  kind: 'dashboard-firmware';
  /** The target version as the dashboard names it: its shortName ("MS 17.1.4") or firmware name ("switch-17-1-4"). */
  firmware: string;
  dashboard: DashboardConnection;
  /** Whose firmware; default: the one product type of each network that offers `firmware`. */
  productType?: FirmwareProduct;
  /** How long after the network's turn its upgrade is scheduled to start; default 60 s. */
  startDelayMs?: number;
  /** How often the waiting activity reads the network's firmware; default 10 s. */
  pollIntervalMs?: number;
  /** Roll the network back when its upgrade fails or a device misses the new firmware (default true). */
  rollbackOnFailure?: boolean;
  /**
   * Switch networks only: upgrade through the network's pre-built staged
   * upgrade groups (POST firmwareUpgrades/staged/events), stage by stage in
   * their order, each stage's switches checked before the next may start.
   * A network without groups is refused. Default false (network-wide PUT).
   */
  staged?: boolean;
  /** Staged: how far apart the stages are scheduled (stage n starts at the first's time + n x this); default 1 h. */
  stageIntervalMs?: number;
  /** Staged: what an operator's abort does to stages not yet run: `defer` them by a week (default) or `rollback` the event. */
  stagedAbort?: 'defer' | 'rollback';
}

export interface DashboardNetworkUpgradeInput {
  rollout: string;
  network: NetworkTarget;
  job: FirmwareJob;
  timings: DeviceTimings;
  dryRun: boolean;
}
