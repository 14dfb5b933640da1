import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { WORKFLOW_INPUTS, WorkflowTypeName } from '../../../src/contracts/workflow-inputs';
import type {
  approveArgsSchema,
  controlAnswerSchema,
  deviceArgsSchema,
  reasonArgsSchema,
  rolloutProgressSchema,
  rolloutReportSchema,
} from '../../../src/contracts/rollout-schemas';
import { PLATFORM_IDS } from '../../../src/contracts/target-schemas';
import { TIMING_PRESETS } from '../../../src/contracts/timing-presets';
import { versionFromFileName } from '../../../src/client/image-file';
import { LAB_DEVICE_TIMINGS } from '../../../src/cli/rollout/settings';
import { versionFromImageFileName } from '../../../src/contracts/image-version';
import { PLATFORMS } from '../../../src/inventory/types';
import type { CollectInput } from '../../../src/contracts/collect';
import type { DashboardNetworkUpgradeInput, DashboardStatusInput, OrgStatusInput } from '../../../src/contracts/dashboard';
import type { DeviceConfigInput } from '../../../src/workflows/device-config';
import type { DeviceUpgradeInput } from '../../../src/workflows/device-upgrade';
import type { ProbeInput } from '../../../src/workflows/probe';
import type { RolesProbeInput } from '../../../src/workflows/roles-probe';
import { DEFAULT_DEVICE_TIMINGS, type ApproveArgs, type ControlAnswer, type DeviceArgs, type ReasonArgs, type RolloutInput, type RolloutProgress, type RolloutReport } from '../../../src/contracts/rollout';

/**
 * The workflows are written against TypeScript interfaces; the validator and
 * the published schemas come from zod. These lines fail the type check (tsc
 * runs over test/) the moment the two disagree: what the validator hands a
 * workflow must be a value of its interface, and every value of the interface
 * (what our own code builds, a child's input) must pass the validator.
 */
type Assignable<S extends z.core.$ZodType, T> = [z.output<S>] extends [T] ? ([T] extends [z.input<S>] ? true : false) : false;
// Assignability alone forgives a field one side has and the other lacks; the key sets must match too, at every depth.
type Shape<T> = T extends readonly (infer U)[] ? Shape<U>[] : T extends object ? { [K in keyof T]-?: Shape<Exclude<T[K], undefined>> } : 'leaf';
type SameShape<A, B> = [Shape<A>] extends [Shape<B>] ? ([Shape<B>] extends [Shape<A>] ? true : false) : false;
type Fits<S extends z.core.$ZodType, T> = Assignable<S, T> extends true ? SameShape<z.output<S>, T> : false;
type InputFits<W extends WorkflowTypeName, T> = Fits<(typeof WORKFLOW_INPUTS)[W]['schema'], T>;
const agree = <T extends true>(value: T): T => value;

export const drift = [
  agree<InputFits<'rolloutWorkflow', RolloutInput>>(true),
  agree<InputFits<'deviceUpgradeWorkflow', DeviceUpgradeInput>>(true),
  agree<InputFits<'deviceConfigWorkflow', DeviceConfigInput>>(true),
  agree<InputFits<'collectWorkflow', CollectInput>>(true),
  agree<InputFits<'probeWorkflow', ProbeInput>>(true),
  agree<InputFits<'dashboardStatusWorkflow', DashboardStatusInput>>(true),
  agree<InputFits<'dashboardOrgStatusWorkflow', OrgStatusInput>>(true),
  agree<InputFits<'dashboardNetworkUpgradeWorkflow', DashboardNetworkUpgradeInput>>(true),
  agree<InputFits<'redundancyRolesWorkflow', RolesProbeInput>>(true),
  agree<Fits<typeof rolloutProgressSchema, RolloutProgress>>(true),
  agree<Fits<typeof rolloutReportSchema, RolloutReport>>(true),
  agree<Fits<typeof controlAnswerSchema, ControlAnswer>>(true),
  agree<Fits<typeof reasonArgsSchema, ReasonArgs>>(true),
  agree<Fits<typeof approveArgsSchema, ApproveArgs>>(true),
  agree<Fits<typeof deviceArgsSchema, DeviceArgs>>(true),
];

describe('contract schemas and the workflow types', () => {
  it('agree on every shape (checked by the type checker; this run only proves the file compiled)', () => {
    expect(drift.every(Boolean)).toBe(true);
  });

  it('know the same platforms as the inventory', () => {
    expect([...PLATFORM_IDS].sort()).toEqual([...PLATFORMS].sort());
  });

  it('name the same presets the CLI uses (--timings real | lab)', () => {
    expect(TIMING_PRESETS.real).toEqual(DEFAULT_DEVICE_TIMINGS);
    expect(TIMING_PRESETS.lab).toEqual(LAB_DEVICE_TIMINGS);
  });

  it('read the version from an image name as the CLI does', () => {
    for (const name of ['cat9k_iosxe.17.12.04.SPA.bin', 'isr4400-universalk9.17.09.04a.SPA.bin', 'nxos64-cs.10.4.3.F.bin', 'nxos.9.3.10.bin', 'frr-8.5.bin', 'golden.bin']) {
      expect(versionFromImageFileName(name), name).toBe(versionFromFileName(name));
    }
  });
});
