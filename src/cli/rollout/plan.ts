import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { imageRolloutRefusals } from '../../contracts/image-platforms';
import { describeSelection, type Device, type InventoryFormat, type Site } from '../../inventory';
import { buildPlan, lowerBoundMakespan, PlanError } from '../../plan';
import type { Plan, PlanDevice, RedundancyRole } from '../../plan';
import { CliError, ExitCode } from '../shared/cli-error';
import { getOrCreateGroup, ROLLOUT_GROUP_DESCRIPTION } from '../shared/command-groups';
import { renderTable } from '../shared/text-table';
import { addPolicyOptions, parseAt, policyFromFlags, type PolicyFlags } from './options';
import { addSelectionOptions, loadInventoryForCli, selectFromOptions, selectionFromOptions, type SelectionFlags } from '../shared/selection-options';
import { formatDuration } from '../shared/format-duration';
import type { RoleAnswer } from '../../contracts/probes';
import { TASK_QUEUE } from '../../contracts/names';
import { probeRoles } from './role-probe';
import { parseDuration } from './settings';
import { addTemporalOptions, type TemporalFlags } from '../shared/temporal-connection';

interface PlanFlags extends SelectionFlags, PolicyFlags, TemporalFlags {
  inventory: string;
  format: InventoryFormat;
  image: string;
  at?: string;
  json?: boolean;
  roles: 'live' | 'inventory';
  taskQueue: string;
  rolesTimeout: string;
}

/** Where a device's role in the plan came from; `why` says why it is unknown, or what a vPC member's order rests on. */
export interface PlannedRole {
  role: RedundancyRole;
  source: 'device' | 'inventory' | 'none';
  why?: string;
}


/** `netops rollout plan`: the order, waves and expected times of a rollout, without touching a device. */
export function register(program: Command): void {
  const rollout = getOrCreateGroup(program, 'rollout', ROLLOUT_GROUP_DESCRIPTION);
  const cmd = rollout
    .command('plan')
    .description('show how a rollout would run (order, waves, pairs, windows, expected times) without touching any device')
    .requiredOption('--inventory <file>', 'inventory YAML file, Nornir hosts.yaml, or a Nornir inventory directory')
    .addOption(new Option('--format <format>', 'inventory format').choices(['auto', 'netops', 'nornir']).default('auto'))
    .requiredOption('--image <file>', 'image file the rollout would install (checked to exist, not read)');
  addTemporalOptions(addPolicyOptions(addSelectionOptions(cmd)))
    .option('--at <iso-time>', 'plan as if starting at this time (with a zone, e.g. 2026-11-28T00:00Z); default now')
    .addOption(new Option('--roles <source>', 'redundancy roles: "live" asks the devices through a worker, "inventory" uses data.redundancy_role').choices(['live', 'inventory']).default('live'))
    .option('--task-queue <name>', 'task queue of the workers that ask the devices', TASK_QUEUE)
    .option('--roles-timeout <duration>', 'how long to wait for the devices to answer', '30s')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      `
Standby members go first, so the plan reads each redundancy group member's
live HSRP/VRRP role (active/standby) on the device, through a worker (which
holds the credentials), read-only. A device that cannot be asked keeps the
role the inventory gives it (data.redundancy_role) or "unknown", and the plan
says why under "Roles". --roles inventory asks no device.
Expected times assume each device takes --duration and the canary is approved
the moment it finishes.

Examples:
  $ netops rollout plan --inventory inventory.yaml --image ios-17.12.bin --site ams1,fra1 \\
      --canary 1 --window 4 --per-site 2 --site-order fra1,ams1
  $ netops rollout plan --inventory inventory.yaml --image ios-17.12.bin --canary r1-a,fra-frr1 \\
      --at 2026-11-28T00:00Z --json`,
    )
    .action(async (opts: PlanFlags) => runPlan(opts));
}

async function runPlan(opts: PlanFlags): Promise<void> {
  const policy = policyFromFlags(opts);
  const nowMs = parseAt(opts.at);
  const imageBytes = await imageSize(opts.image);
  const inv = await loadInventoryForCli(opts.inventory, opts.format);
  const selected = selectFromOptions(inv, opts);
  const noImage = imageRolloutRefusals(selected);
  if (noImage.length > 0) throw new CliError(`--image: ${noImage.join('; ')}`, ExitCode.usage);
  const live = opts.roles === 'live' ? await probeRoles(selected, { ...opts, timeoutMs: parseDuration(opts.rolesTimeout, '--roles-timeout') }) : {};
  const roles = plannedRoles(selected, live);
  let plan: Plan;
  try {
    plan = buildPlan(selected.map((d) => ({ ...toPlanDevice(d), role: roles[d.name]?.role ?? 'unknown' })), inv.sites, policy, nowMs);
  } catch (err) {
    if (err instanceof PlanError) throw new CliError(err.problems.join('; '), ExitCode.usage);
    throw err;
  }
  const lowerBoundMs = lowerBoundMakespan(plan);
  if (opts.json) {
    const out = { inventory: inv.source, selection: describeSelection(selectionFromOptions(opts)), image: { path: opts.image, bytes: imageBytes }, lowerBoundMakespanMs: lowerBoundMs, roles, plan };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderPlan(plan, { image: opts.image, imageBytes, lowerBoundMs, roles }));
}

/**
 * Each grouped device's role: what the device said, else the inventory's
 * data.redundancy_role, else unknown; whenever the device was not the
 * source, why.
 */
export function plannedRoles(devices: Device[], live: Record<string, RoleAnswer>): Record<string, PlannedRole> {
  const out: Record<string, PlannedRole> = {};
  for (const d of devices) {
    if (d.redundancyGroup === undefined) continue;
    const asked = live[d.name];
    if (asked && asked.role !== 'unknown') {
      // A vPC member's role is its place in the pair's order, and says so.
      out[d.name] = { role: asked.role, source: 'device', ...(asked.basis ? { why: asked.basis } : {}) };
      continue;
    }
    const fromInventory = toPlanDevice(d).role ?? 'unknown';
    const why = asked?.why ?? 'not asked (--roles inventory)';
    out[d.name] = fromInventory === 'unknown' ? { role: 'unknown', source: 'none', why } : { role: fromInventory, source: 'inventory', why };
  }
  return out;
}

async function imageSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new CliError(`--image: ${path} is not a file`);
    return s.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`--image: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

const ROLES: readonly string[] = ['active', 'standby'];

/** The planner's view of an inventory device; the role stays unknown unless the inventory states it. */
export function toPlanDevice(d: Device): PlanDevice {
  const p: PlanDevice = { name: d.name, site: d.site, groups: d.groups };
  if (d.redundancyGroup !== undefined) p.redundancyGroup = d.redundancyGroup;
  const role = d.data.redundancy_role;
  p.role = typeof role === 'string' && ROLES.includes(role) ? (role as RedundancyRole) : 'unknown';
  return p;
}

export interface RenderContext {
  image: string;
  imageBytes: number;
  lowerBoundMs: number;
  /** Role and its source per grouped device; absent: the roles section is left out. */
  roles?: Record<string, PlannedRole>;
}

/** The plan as aligned plain-text tables (what `rollout plan` prints without --json). */
export function renderPlan(plan: Plan, ctx: RenderContext): string {
  const p = plan.policy;
  const n = plan.order.length;
  const lines: string[] = [];
  lines.push(
    `Rollout plan: ${n} device${n === 1 ? '' : 's'} at ${plural(plan.siteOrder.length, 'site')}, image ${basename(ctx.image)} (${formatBytes(ctx.imageBytes)}), from ${utc(plan.plannedAtMs)} UTC`,
  );
  lines.push(
    `Policy: window ${p.window}, per site ${p.perSite ?? '-'}, per group ${typeof p.perGroup === 'number' ? p.perGroup : '-'}, ` +
      `max ${p.maxUnavailablePerRedundancyGroup} down per redundancy group, ` +
      `${p.siteConcurrency === 1 ? 'one site at a time' : `${p.siteConcurrency} sites at a time`}, ` +
      `${formatDuration(p.expectedDeviceDurationMs, 'minutes')} per device, maintenance windows ${p.respectWindows ? 'respected' : 'ignored'}`,
  );
  lines.push(`Canary: ${plan.canary.length > 0 ? `${plan.canary.join(', ')} (then wait for approval)` : 'none'}`);

  lines.push('', 'Sites');
  lines.push(
    ...table(
      ['SITE', 'TIME ZONE', 'WINDOWS', 'AT PLAN TIME'],
      plan.siteOrder.map((name) => {
        const info = plan.sites[name];
        if (!info) return [name, '-', '-', '-'];
        return [name, info.site.timezone, describeWindows(info.site, info.alwaysOpen), describeNow(info)];
      }),
    ),
  );

  lines.push('', 'Redundancy groups');
  if (plan.redundancyGroups.length === 0) lines.push('  none');
  else {
    lines.push(
      ...table(
        ['GROUP', 'MEMBERS (in order)', 'MAX DOWN'],
        plan.redundancyGroups.map((g) => [g.name, g.members.map((m) => `${m} (${plan.devices[m]?.role ?? 'unknown'})`).join(', '), String(g.maxUnavailable)]),
      ),
    );
  }

  const roleRows = Object.entries(ctx.roles ?? {});
  if (roleRows.length > 0) {
    lines.push('', 'Roles');
    lines.push(...table(['DEVICE', 'ROLE', 'FROM', 'WHY'], roleRows.map(([name, r]) => [name, r.role, r.source === 'device' ? 'the device' : r.source === 'inventory' ? 'inventory' : '-', r.why ?? ''])));
  }

  lines.push('', 'Expected schedule');
  const rows = plan.schedule.devices.map((s) => {
    const d = plan.devices[s.name];
    const site = d ? plan.sites[d.site]?.site : undefined;
    return [
      String(s.wave + 1),
      s.name,
      d?.site ?? '-',
      d?.redundancyGroup ?? '-',
      d?.role ?? 'unknown',
      d?.canary ? 'yes' : '',
      utc(s.startMs),
      utc(s.endMs),
      site ? local(site, s.startMs) : '-',
      formatDuration(s.endMs - s.startMs, 'minutes'),
    ];
  });
  lines.push(...table(['WAVE', 'DEVICE', 'SITE', 'REDUNDANCY', 'ROLE', 'CANARY', 'START (UTC)', 'END (UTC)', 'START (SITE)', 'DURATION'], rows));
  const lastEnd = plan.plannedAtMs + plan.schedule.makespanMs;
  lines.push(
    '',
    `${plural(plan.schedule.waves.length, 'wave')}; expected makespan ${formatDuration(plan.schedule.makespanMs, 'minutes')} (ends ${utc(lastEnd)} UTC), lower bound ${formatDuration(ctx.lowerBoundMs, 'minutes')}`,
  );
  if (plan.schedule.unschedulable.length > 0) {
    lines.push('', `Unschedulable (${plan.schedule.unschedulable.length}):`);
    for (const u of plan.schedule.unschedulable) lines.push(`  ${u.name}: ${u.message}`);
  }
  if (plan.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of plan.warnings) lines.push(`  ${w}`);
  }
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string[] {
  return renderTable(header, rows, '  ').trimEnd().split('\n');
}

function describeWindows(site: Site, alwaysOpen: boolean): string {
  if (site.windows.length === 0) return 'always open';
  const text = site.windows.map((w) => `${w.days.join(',')} ${w.start}-${w.end}`).join('; ');
  return alwaysOpen ? `${text} (ignored)` : text;
}

function describeNow(info: Plan['sites'][string]): string {
  if (info.alwaysOpen) return 'open';
  if (info.openAtPlanTime) return info.currentWindowCloseMs !== undefined ? `open until ${local(info.site, info.currentWindowCloseMs)}` : 'open';
  return info.nextOpeningMs !== undefined ? `closed; opens ${local(info.site, info.nextOpeningMs)}` : 'closed; no window in the coming weeks';
}

function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function local(site: Site, ms: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: site.timezone,
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(ms);
}


function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
