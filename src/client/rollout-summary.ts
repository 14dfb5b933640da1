import { DEFAULT_BUSY_WAIT_MS, type RolloutInput } from '../contracts/rollout';
import { tableRow } from '../contracts/rollout-details';

/**
 * The static details the Web UI shows for a rollout: what it does and under
 * which rules, fixed at start. Markdown, small, no secrets.
 */
export function renderRolloutSummary(input: RolloutInput): string {
  const s = input.settings;
  const sites = [...new Set(input.devices.map((d) => d.site))];
  const groups = new Set(input.devices.filter((d) => d.redundancyGroup).map((d) => d.redundancyGroup));
  const canary = s.canary?.devices?.length ? s.canary.devices.join(', ') : s.canary?.count ? `${s.canary.count} device(s)` : 'none';
  const budget = [s.failureBudget.count !== undefined ? `${s.failureBudget.count}` : '', s.failureBudget.percent !== undefined ? `${s.failureBudget.percent}%` : '']
    .filter(Boolean)
    .join(' / ');
  return [
    `## ${s.dryRun ? 'Dry run' : 'Rollout'} ${input.name}`,
    '',
    tableRow(['', '']),
    `|---|---|`,
    tableRow(jobDescription(input)),
    tableRow(['devices', `${input.devices.length} in ${sites.length} site(s), ${groups.size} redundancy group(s)`]),
    tableRow(['window', `${s.window} at once${s.perSite ? `, ${s.perSite} per site` : ''}, at most ${s.maxUnavailablePerRedundancyGroup ?? 1} per redundancy group`]),
    tableRow(['canary', `${canary}${s.requireApproval ? ', then wait for approval' : ''}`]),
    tableRow(['failure budget', budget || '0']),
    tableRow(['busy devices', `waited for up to ${Math.round((s.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS) / 60_000)} min, then reported busy`]),
    tableRow(['maintenance windows', s.respectWindows ? 'respected' : 'ignored']),
    tableRow(['sites in order', (s.siteOrder?.length ? s.siteOrder : sites).join(', ')]),
  ].join('\n');
}

function jobDescription(input: RolloutInput): [string, string] {
  const job = input.job;
  switch (job.kind) {
    case 'upgrade':
      return ['image', `${job.image.fileName} (${job.image.version}, md5 ${job.image.md5})`];
    case 'dashboard-firmware':
      return ['firmware', `${job.firmware} on cloud-managed networks via ${job.dashboard.baseUrl}`];
    case 'config':
      return ['config', `${job.label}: ${job.lineSets.length} distinct line set(s), ${job.saveAfter ? 'saved after verify' : 'not saved'}`];
  }
}
