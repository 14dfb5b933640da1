import type { DeviceUpgradeInput } from './device-upgrade';
import { deviceConfigInput } from './device-config';
import type { DashboardNetworkUpgradeInput } from '../contracts/dashboard';
import { ApplicationFailure, patched } from '@temporalio/workflow';
import { imageRolloutRefusals } from '../contracts/image-platforms';
import { isDeviceTarget, type DeviceTarget, type RolloutInput, type RolloutJob, type RolloutTarget } from '../contracts/rollout';

/** How the engine starts the child workflow of one target, whatever the job. */
export interface ChildSpec {
  workflowType: string;
  args: unknown[];
  /** One line for the Web UI, e.g. "upgrade r1-a to 17.12.04". */
  summary: string;
  /** Search attribute NetopsKind of the child. */
  kind: string;
}

/** A short name of what the job installs or applies: the image version, a config label, a firmware. */
export function jobLabel(job: RolloutJob): string {
  switch (job.kind) {
    case 'upgrade':
      return job.image.version;
    case 'dashboard-firmware':
      return job.firmware;
    case 'config':
      return job.label;
  }
}

/** What a person calls the job, for titles: "Upgrade of 40 devices to 17.12.04". */
export function jobTitle(input: RolloutInput): string {
  const n = input.devices.length;
  const what = input.settings.dryRun ? 'Dry run of ' : '';
  switch (input.job.kind) {
    case 'upgrade':
      return `${what ? `${what}an upgrade` : 'Upgrade'} of ${n} devices to ${input.job.image.version}`;
    case 'config':
      return `${what ? `${what}a config push` : 'Config push'} "${input.job.label}" to ${n} devices`;
    case 'dashboard-firmware':
      return `${what ? `${what}a firmware rollout` : 'Firmware rollout'} of ${n} networks to ${input.job.firmware}`;
  }
}

/** Executions started before FRR was refused replay as they ran. */
export const NO_IMAGE_PLATFORMS_PATCH = 'netops-refuse-imageless-upgrade-v1';

/**
 * An image rollout refuses, before anything starts, devices whose platform
 * has no image (FRR): the CLI refuses them already; this catches any other
 * client that starts the workflow with the same JSON.
 */
export function refuseImagelessUpgrade(input: RolloutInput): void {
  if (input.job.kind !== 'upgrade' || !patched(NO_IMAGE_PLATFORMS_PATCH)) return;
  const refusals = imageRolloutRefusals(input.devices.filter(isDeviceTarget));
  if (refusals.length > 0) throw ApplicationFailure.create({ type: 'InvalidInput', message: `rollout ${input.name}: ${refusals.join('; ')}. Nothing was started.`, nonRetryable: true });
}

function sshDevice(target: RolloutTarget, job: RolloutJob): DeviceTarget {
  if (isDeviceTarget(target)) return target;
  throw ApplicationFailure.create({ type: 'InvalidInput', message: `${job.kind} works on SSH devices; ${target.name} is a dashboard network`, nonRetryable: true });
}

/** The other members of the target's redundancy group. */
function peersOf(input: RolloutInput, target: RolloutTarget): DeviceTarget[] {
  if (!target.redundancyGroup) return [];
  return input.devices.filter((d): d is DeviceTarget => isDeviceTarget(d) && d.redundancyGroup === target.redundancyGroup && d.name !== target.name);
}

export function childSpec(input: RolloutInput, target: RolloutTarget): ChildSpec {
  const { job, settings } = input;
  switch (job.kind) {
    case 'upgrade': {
      const device = sshDevice(target, job);
      const peers = peersOf(input, device);
      const args: DeviceUpgradeInput = {
        rollout: input.name,
        device,
        peers,
        image: job.image,
        timings: settings.timings,
        dryRun: settings.dryRun,
        rollbackOnFailedPostCheck: job.rollbackOnFailedPostCheck,
      };
      return {
        workflowType: 'deviceUpgradeWorkflow',
        args: [args],
        summary: `${settings.dryRun ? 'pre-check' : 'upgrade'} ${target.name} to ${job.image.version}`,
        kind: 'device-upgrade',
      };
    }
    case 'dashboard-firmware': {
      if (isDeviceTarget(target)) {
        throw ApplicationFailure.create({ type: 'InvalidInput', message: `${job.kind} works on dashboard networks; ${target.name} is an SSH device`, nonRetryable: true });
      }
      const args: DashboardNetworkUpgradeInput = { rollout: input.name, network: target, job, timings: settings.timings, dryRun: settings.dryRun };
      return {
        workflowType: 'dashboardNetworkUpgradeWorkflow',
        args: [args],
        summary: `${settings.dryRun ? 'pre-check' : 'upgrade'} network ${target.name} (org ${target.orgId}) to ${job.firmware}`,
        kind: 'dashboard-firmware',
      };
    }
    case 'config': {
      const device = sshDevice(target, job);
      return {
        workflowType: 'deviceConfigWorkflow',
        args: [deviceConfigInput(input, job, device)],
        summary: `${settings.dryRun ? 'diff' : 'push'} ${job.label} ${settings.dryRun ? 'against' : 'to'} ${target.name}`,
        kind: 'device-config',
      };
    }
  }
}
