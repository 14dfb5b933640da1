import type { Command } from 'commander';
import type { RolloutPolicy } from '../../plan';
import { CliError } from '../shared/cli-error';
import { parsePositiveInt, splitList } from '../shared/parse-options';
import { parseCanary } from './job-input';

/**
 * The planning flags `rollout plan` and `rollout start` share, so a plan
 * printed with some flags is exactly what a start with the same flags runs.
 */
export interface PolicyFlags {
  canary?: string;
  window: string;
  perSite?: string;
  perGroup?: string;
  maxUnavailable: string;
  siteOrder?: string;
  siteConcurrency: string;
  duration: string;
  horizonDays: string;
  ignoreWindows?: boolean;
}

export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .option('--canary <n|names>', 'canary devices: a count (standby/non-redundant picked first) or a comma list of names')
    .option('--window <n>', 'max devices upgraded at once', '1')
    .option('--per-site <n>', 'max devices at once per site')
    .option('--per-group <n>', 'max devices at once per inventory group')
    .option('--max-unavailable <n>', 'max members of one HSRP/VRRP group down at once (below the group size)', '1')
    .option('--site-order <sites>', 'comma list of sites in the order to work on them; others follow')
    .option('--site-concurrency <n>', 'sites in progress at once (1 = strictly one site after the other)', '1')
    .option('--duration <minutes>', 'expected minutes per device', '30')
    .option('--horizon-days <n>', 'how far ahead to look for maintenance windows', '14')
    .option('--ignore-windows', 'plan as if every site were always open');
}

export function policyFromFlags(opts: PolicyFlags): RolloutPolicy {
  const policy: RolloutPolicy = {
    window: parsePositiveInt(opts.window, '--window'),
    maxUnavailablePerRedundancyGroup: parsePositiveInt(opts.maxUnavailable, '--max-unavailable'),
    siteConcurrency: parsePositiveInt(opts.siteConcurrency, '--site-concurrency'),
    expectedDeviceDurationMs: parsePositiveInt(opts.duration, '--duration') * 60_000,
    horizonMs: parsePositiveInt(opts.horizonDays, '--horizon-days', { max: 366 }) * 86_400_000,
    respectWindows: !opts.ignoreWindows,
  };
  if (opts.perSite !== undefined) policy.perSite = parsePositiveInt(opts.perSite, '--per-site');
  if (opts.perGroup !== undefined) policy.perGroup = parsePositiveInt(opts.perGroup, '--per-group');
  if (opts.siteOrder !== undefined) policy.siteOrder = splitList(opts.siteOrder);
  if (opts.canary !== undefined) policy.canary = parseCanary(opts.canary);
  return policy;
}

export function parseAt(at: string | undefined): number {
  if (at === undefined) return Date.now();
  const ms = Date.parse(at);
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(at.trim()) || Number.isNaN(ms)) {
    throw new CliError(`--at: "${at}" is not an ISO time with a zone (e.g. 2026-11-28T00:00Z or 2026-11-28T01:00+01:00)`);
  }
  return ms;
}

