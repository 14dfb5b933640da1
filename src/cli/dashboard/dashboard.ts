import type { Command } from 'commander';
import { DashboardClient } from '../../devices/rest/client';
import { RestError } from '../../devices/rest/errors';
import { checkCaller, InvalidCaller } from '../../devices/rest/user-agent';
import { FIRMWARE_PRODUCTS, type FirmwareProduct } from '../../contracts/firmware-products';
import { parseSecretRef } from '../../inventory/secret-ref';
import { resolveSecret } from '../../inventory/secrets';
import type { SecretRef, Site } from '../../inventory/types';
import { TASK_QUEUE, WORKFLOW_TYPES } from '../../contracts/names';
import { dashboardStatusWorkflowId, isValidOrgId, type DashboardConnection, type DashboardStatusReport, type FirmwareJob, type OrgStatusCounts } from '../../contracts/dashboard';
import { DEFAULT_DEVICE_TIMINGS, rolloutWorkflowId, type NetworkTarget, type RolloutInput } from '../../contracts/rollout';
import { CliError, ExitCode } from '../shared/cli-error';
import { NetopsClient } from '../../client/netops-client';
import { parsePositiveInt, splitList } from '../shared/parse-options';
import { addBudgetOptions, parseDuration } from '../rollout/settings';
import { checkJobFlags, jobRolloutInput, parseCanary } from '../rollout/job-input';
import { jobLabel } from '../../contracts/job-kinds';
import { watchToReport } from '../rollout/watch';
import { addTemporalOptions, connectClient, type TemporalFlags } from '../shared/temporal-connection';
import { renderTable } from '../shared/text-table';
import { waiterLoad, waiterLoadWarning } from './waiter-load';
import { withNetops } from '../shared/with-netops';

interface DashboardFlags extends TemporalFlags {
  url: string;
  apiKeyRef: string;
  org: string;
  caller?: string;
  taskQueue: string;
  json?: boolean;
}

interface StatusFlags extends DashboardFlags {
  perPage: string;
  concurrency: string;
  countsOnly?: boolean;
}

interface RolloutStartFlags extends DashboardFlags {
  network?: string;
  firmware: string;
  name?: string;
  canary?: string;
  window: string;
  perOrg?: string;
  orgConcurrency: string;
  failureBudget: string;
  approval: boolean;
  dryRun?: boolean;
  product?: string;
  pollInterval: string;
  /** --no-rollback sets it false. */
  rollback?: boolean;
  staged?: boolean;
  stageInterval?: string;
  stagedAbort?: string;
  watch?: boolean;
}

/** The flags every dashboard command shares, checked before anything is contacted. */
export function dashboardFromFlags(flags: Pick<DashboardFlags, 'url' | 'apiKeyRef' | 'org' | 'caller'>): { dashboard: DashboardConnection; orgIds: string[] } {
  let url: URL;
  try {
    url = new URL(flags.url);
  } catch {
    throw new CliError(`--url: "${flags.url}" is not a URL (e.g. https://api.meraki.com/api/v1)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError(`--url: "${flags.url}" must be an http(s) URL`);
  const parsed = parseSecretRef(flags.apiKeyRef, process.cwd());
  if (!parsed.ok) throw new CliError(`--api-key-ref: expected ${parsed.expected}`);
  const orgIds = splitList(flags.org);
  if (orgIds.length === 0) throw new CliError('--org: give at least one organisation id');
  const bad = orgIds.find((o) => !isValidOrgId(o));
  if (bad !== undefined) throw new CliError(`--org: "${bad}" is not an organisation id (letters, digits, '.', '_', '-')`);
  if (flags.caller !== undefined) {
    try {
      checkCaller(flags.caller);
    } catch (err) {
      if (err instanceof InvalidCaller) throw new CliError(`--caller: ${err.message}`);
      throw err;
    }
  }
  return { dashboard: { baseUrl: flags.url, apiKey: parsed.ref, ...(flags.caller !== undefined ? { caller: flags.caller } : {}) }, orgIds: [...new Set(orgIds)] };
}

/** Networks of the organisations as rollout targets, read from the dashboard with the key resolved here. */
export async function listNetworkTargets(dashboard: DashboardConnection, orgIds: string[], only?: string[], product?: FirmwareProduct): Promise<NetworkTarget[]> {
  const key = await resolveKey(dashboard.apiKey);
  const client = new DashboardClient({ baseUrl: dashboard.baseUrl, apiKey: () => key, maxAttempts: 2, caller: dashboard.caller ?? process.env['NETOPS_DASHBOARD_CALLER'] });
  const targets: NetworkTarget[] = [];
  const withoutProduct: string[] = [];
  try {
    for (const orgId of orgIds) {
      for await (const n of client.items<{ id: string; productTypes?: string[] }>({ orgId, path: `/organizations/${encodeURIComponent(orgId)}/networks`, perPage: 1000 })) {
        if (only && !only.includes(n.id)) continue;
        // A network without the product has nothing to upgrade: leave it out rather than fail it.
        if (product && !(n.productTypes ?? []).includes(product)) {
          withoutProduct.push(n.id);
          continue;
        }
        targets.push({ kind: 'network', name: n.id, site: orgId, groups: [], orgId, networkId: n.id });
      }
    }
  } catch (err) {
    if (err instanceof RestError) throw new CliError(`cannot list the networks: ${err.message}`, err.status === undefined ? ExitCode.unavailable : ExitCode.usage);
    throw err;
  } finally {
    await client.close();
  }
  const missing = (only ?? []).filter((id) => !targets.some((t) => t.networkId === id) && !withoutProduct.includes(id));
  if (missing.length > 0) throw new CliError(`--network: not in organisation(s) ${orgIds.join(', ')}: ${missing.join(', ')}`);
  const noProduct = (only ?? []).filter((id) => withoutProduct.includes(id));
  if (noProduct.length > 0) throw new CliError(`--network: ${noProduct.join(', ')} ha${noProduct.length === 1 ? 's' : 've'} no ${product} devices`);
  if (targets.length === 0) throw new CliError(`no networks${product ? ` with ${product} devices` : ''} found in organisation(s) ${orgIds.join(', ')}`);
  return targets;
}

async function resolveKey(ref: SecretRef): Promise<string> {
  try {
    return await resolveSecret(ref);
  } catch (err) {
    throw new CliError(`--api-key-ref: ${(err as Error).message}`);
  }
}

/** The rollout input of a firmware rollout; the engine's settings with dashboard-sized defaults. */
export function firmwareRolloutInput(opts: RolloutStartFlags, dashboard: DashboardConnection, targets: NetworkTarget[]): RolloutInput {
  if (!opts.firmware.trim()) throw new CliError('--firmware: give the firmware version as the dashboard names it, e.g. "MS 17.1.4" or "switch-17-1-4"');
  const flags = checkJobFlags(opts);
  const job: FirmwareJob = {
    kind: 'dashboard-firmware',
    firmware: opts.firmware.trim(),
    dashboard,
    ...(opts.product !== undefined ? { productType: parseProduct(opts.product) } : {}),
    pollIntervalMs: parseDuration(opts.pollInterval, '--poll-interval'),
    ...(opts.rollback === false ? { rollbackOnFailure: false } : {}),
    ...stagedFlags(opts),
  };
  const policy = {
    window: parsePositiveInt(opts.window, '--window'),
    ...(opts.perOrg !== undefined ? { perSite: parsePositiveInt(opts.perOrg, '--per-org') } : {}),
    siteConcurrency: parsePositiveInt(opts.orgConcurrency, '--org-concurrency'),
    ...(opts.canary !== undefined ? { canary: parseCanary(opts.canary) } : {}),
    expectedDeviceDurationMs: 60 * 60_000,
    // Cloud-managed networks have no maintenance windows in the inventory: the dashboard's own schedule applies.
    respectWindows: false,
  };
  return jobRolloutInput(flags, { job, targets, sites: orgSites(targets.map((t) => t.orgId)), policy, timings: DEFAULT_DEVICE_TIMINGS });
}

/** --staged and its companions; the companions alone are a mistake worth saying. */
function stagedFlags(opts: Pick<RolloutStartFlags, 'staged' | 'stageInterval' | 'stagedAbort' | 'product'>): Pick<FirmwareJob, 'staged' | 'stageIntervalMs' | 'stagedAbort'> {
  if (!opts.staged) {
    if (opts.stageInterval !== undefined || opts.stagedAbort !== undefined) throw new CliError('--stage-interval and --staged-abort apply to staged upgrades: add --staged');
    return {};
  }
  if (opts.product !== undefined && opts.product !== 'switch') throw new CliError(`--staged: staged upgrades exist for switch networks only; --product ${opts.product} is upgraded network-wide (leave out --staged)`);
  if (opts.stagedAbort !== undefined && opts.stagedAbort !== 'defer' && opts.stagedAbort !== 'rollback') throw new CliError(`--staged-abort: "${opts.stagedAbort}" is not defer or rollback`);
  return {
    staged: true,
    ...(opts.stageInterval !== undefined ? { stageIntervalMs: parseDuration(opts.stageInterval, '--stage-interval') } : {}),
    ...(opts.stagedAbort !== undefined ? { stagedAbort: opts.stagedAbort } : {}),
  };
}

/**
 * Each organisation is a network's "site" on the rollout engine (limits and
 * ordering per organisation). Cloud-managed networks have no maintenance
 * windows in the inventory: the dashboard's own schedule applies, so a site
 * is open at any time.
 */
export function orgSites(orgIds: readonly string[]): Record<string, Site> {
  return Object.fromEntries([...new Set(orgIds)].map((orgId) => [orgId, { name: orgId, timezone: 'UTC', windows: [] }]));
}

export function parseProduct(text: string): FirmwareProduct {
  if (!(FIRMWARE_PRODUCTS as readonly string[]).includes(text)) throw new CliError(`--product: "${text}" is not a product type with network firmware (${FIRMWARE_PRODUCTS.join(', ')})`);
  return text as FirmwareProduct;
}

export function renderStatusReport(report: DashboardStatusReport): string {
  // Reports from before tasks were counted have no `tasks`.
  const tasks = (o: { tasks?: number }) => (o.tasks === undefined ? '-' : String(o.tasks));
  const rows = report.orgs.map((o) => [o.orgId, String(o.total), String(o.online), String(o.alerting), String(o.offline), String(o.dormant), String(o.requests), tasks(o), o.error ?? '']);
  const t = report.totals;
  const sum = (f: (o: OrgStatusCounts) => number) => String(report.orgs.reduce((n, o) => n + f(o), 0));
  rows.push(['total', String(t.total), String(t.online), String(t.alerting), String(t.offline), String(t.dormant), sum((o) => o.requests), sum((o) => o.tasks ?? 0), report.failedOrgs.length ? `${report.failedOrgs.length} failed` : '']);
  return renderTable(['org', 'devices', 'online', 'alerting', 'offline', 'dormant', 'requests', 'tasks', 'error'], rows);
}

function addDashboardOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--url <url>', 'dashboard API base URL, e.g. https://api.meraki.com/api/v1')
    .requiredOption('--api-key-ref <ref>', 'where the workers find the API key: env:NAME or file:PATH (never the key itself)')
    .requiredOption('--org <ids>', 'organisation id(s), comma-separated')
    .option('--caller <name>', 'who you are, for the User-Agent Meraki asks for: "ApplicationName[/version] VendorName" (default: $NETOPS_DASHBOARD_CALLER)')
    .option('--task-queue <name>', 'task queue of the workers (organisation queues are <name>-dashboard-<org>)', TASK_QUEUE)
    .option('--json', 'print the result as JSON');
}

export function register(program: Command): void {
  const group = program.command('dashboard').description('cloud-managed fleets through a dashboard REST API: status, firmware rollouts');

  addTemporalOptions(
    addDashboardOptions(group.command('status').description('count online/alerting/offline devices per organisation (runs on the workers, within each org rate limit)'))
      .option('--per-page <n>', 'devices per request (3-1000)', '1000')
      .option('--concurrency <n>', 'networks of one organisation walked at once (1 = one cursor over the whole organisation, fewest requests)', '1')
      .option('--counts-only', 'counts from devices/statuses/overview: one request per organisation, no list of devices not online'),
  )
    .addHelpText(
      'after',
      `
Needs workers that serve the organisations: netops worker --dashboard-orgs <ids>.

Examples:
  $ export MERAKI_KEY=...   # on the workers
  $ netops dashboard status --url https://api.meraki.com/api/v1 --api-key-ref env:MERAKI_KEY --org 500000,500037
  $ netops dashboard status --url http://127.0.0.1:8080/api/v1 --api-key-ref env:SIM_KEY --org 500000 --json`,
    )
    .action(async (opts: StatusFlags) => {
      const { dashboard, orgIds } = dashboardFromFlags(opts);
      const perPage = parsePositiveInt(opts.perPage, '--per-page', { min: 3, max: 1000 });
      const concurrencyPerOrg = parsePositiveInt(opts.concurrency, '--concurrency', { max: 50 });
      const conn = await connectClient(opts);
      try {
        const report = (await conn.client.workflow.execute(WORKFLOW_TYPES.dashboardStatus, {
          taskQueue: opts.taskQueue,
          workflowId: dashboardStatusWorkflowId(new Date().toISOString()),
          args: [{ dashboard, orgIds, perPage, concurrencyPerOrg, ...(opts.countsOnly ? { countsOnly: true } : {}) }],
          staticSummary: `device statuses of ${orgIds.length} organisation(s)`,
        })) as DashboardStatusReport;
        process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatusReport(report));
        if (report.failedOrgs.length > 0) process.exitCode = ExitCode.failed;
      } finally {
        await conn.close();
      }
    });

  const rollout = group.command('rollout').description('firmware rollouts of networks on the rollout engine (steer them with `netops rollout ...`)');
  addTemporalOptions(
    addBudgetOptions(addDashboardOptions(rollout.command('start').description('upgrade the firmware of every network (or --network) of the organisations, network by network'))
      .requiredOption('--firmware <version>', 'target version as the dashboard names it: shortName ("MS 17.1.4") or firmware name ("switch-17-1-4")')
      .option('--product <type>', `whose firmware (${FIRMWARE_PRODUCTS.join(', ')}); default: the product of each network that offers --firmware; only networks with it are listed`)
      .option('--network <ids>', 'only these network ids (comma-separated; default: every network of the organisations)')
      .option('--name <name>', 'rollout name; the workflow id is rollout/<name>')
      .option('--canary <n|ids>', 'canary networks: a count or a comma list of network ids')
      .option('--window <n>', 'networks upgraded at once', '2')
      .option('--per-org <n>', 'networks at once per organisation')
      .option('--org-concurrency <n>', 'organisations in progress at once', '1')
      .option('--dry-run', 'check every network (devices, current firmware); change nothing')
      .option('--no-rollback', 'leave a network whose upgrade failed as it is instead of rolling it back')
      .option('--poll-interval <duration>', 'how often a network\'s firmware is read while it upgrades', '10s')
      .option('--staged', "switch networks: upgrade through each network's staged upgrade groups (set up in the dashboard), stage by stage in their order, each stage's switches checked before the next; a network without groups is refused")
      .option('--stage-interval <duration>', 'with --staged: how far apart the stages are scheduled (default 1h)')
      .option('--staged-abort <defer|rollback>', 'with --staged: what an abort does to the stages not yet run: defer them a week (default) or roll the event back')
      .option('--watch', 'follow the rollout until it ends (exit 0 completed, 1 failed or aborted)'),
      'failed networks',
      'networks',
    ),
  )
    .addHelpText(
      'after',
      `
Networks are listed here with the key (it is not sent to Temporal); the
workers read the key themselves. Control the rollout like any other:
  netops rollout status|watch|pause|resume|approve|abort|retry|skip <name>

Examples:
  $ netops dashboard rollout start --url https://api.meraki.com/api/v1 --api-key-ref env:MERAKI_KEY \\
      --org 500000 --firmware "MS 17.1.4" --canary 1 --window 4 --failure-budget 1 --name ms-17.1.4
  $ netops dashboard rollout start --url http://127.0.0.1:8080/api/v1 --api-key-ref env:SIM_KEY \\
      --org 500000 --network L_5000000000,L_5000000001 --firmware "MS 17.1.4" --dry-run --watch
  $ netops dashboard rollout start --url https://api.meraki.com/api/v1 --api-key-ref env:MERAKI_KEY \\
      --org 500000 --product switch --firmware "MS 17.1.4" --staged --stage-interval 2h --canary 1 --name ms-staged`,
    )
    .action(async (opts: RolloutStartFlags) => {
      const { dashboard, orgIds } = dashboardFromFlags(opts);
      const only = opts.network === undefined ? undefined : splitList(opts.network);
      const targets = await listNetworkTargets(dashboard, orgIds, only, opts.product === undefined ? undefined : parseProduct(opts.product));
      const input = firmwareRolloutInput(opts, dashboard, targets);
      const warning = waiterLoadWarning(waiterLoad(input.settings.window, input.settings.perSite, (input.job as FirmwareJob).pollIntervalMs ?? 10_000));
      if (warning && !input.settings.dryRun) process.stderr.write(`${warning}\n`);
      await withNetops(opts, async (_netops, conn) => {
        const netops = new NetopsClient(conn.client, opts.taskQueue);
        await netops.startRollout(input);
        if (!opts.watch) {
          if (opts.json) process.stdout.write(`${JSON.stringify({ name: input.name, workflowId: rolloutWorkflowId(input.name), networks: targets.length })}\n`);
          else process.stdout.write(`started rollout ${input.name}: ${targets.length} network(s) to ${jobLabel(input.job)}\n`);
          return;
        }
        process.stderr.write(`started rollout ${input.name}\n`);
        await watchToReport(netops, input.name, { json: opts.json });
      });
    });
}
