/**
 * temporal-netops as a library: `import { connectNetops } from 'temporal-netops'`.
 *
 * Everything another service needs to start, steer and read netops workflows
 * with the same types the CLI uses. Workflow and activity *implementations*
 * are not exported: they belong to workers (`netops worker`), not to clients.
 */

// Connecting and the typed client.
export { connectNetops, type ConnectNetopsOptions, type NetopsConnection } from './client/connect-netops';
export { NetopsClient, ControlRejected, RolloutNotFound, RolloutExists, reportFromFailure, type RolloutListItem } from './client/netops-client';
export { TASK_QUEUE } from './contracts/names';

// The rollout's contract: input, report, progress, and the controls.
export {
  progressQuery,
  pauseUpdate,
  resumeUpdate,
  approveUpdate,
  abortUpdate,
  retryDeviceUpdate,
  skipDeviceUpdate,
  rolloutWorkflowId,
  deviceWorkflowId,
  isDeviceTarget,
  DEFAULT_DEVICE_TIMINGS,
  type RolloutInput,
  type RolloutReport,
  type RolloutProgress,
  type RolloutStatus,
  type RolloutSettings,
  type RolloutJob,
  type RolloutTarget,
  type UpgradeJob,
  type ConfigJob,
  type ConfigVerify,
  type DeviceTarget,
  type NetworkTarget,
  type ImageSpec,
  type DeviceTimings,
  type FailureBudget,
  type DeviceOutcome,
  type DeviceReport,
  type DeviceProgress,
  type DeviceState,
  type ReportedError,
  type DeviceJobResult,
  type ControlAnswer,
  type ReasonArgs,
  type DeviceArgs,
} from './contracts/rollout';
export type { RolloutPolicy } from './contracts/rollout-policy';
export type { DeviceAccess } from './contracts/targets';
export type { DeviceUpgradeInput, DeviceUpgradeResult, DeviceConfigInput } from './contracts/device-jobs';
export type { ProbeInput, ProbeReport, ProbeTarget } from './contracts/probes';
export {
  collectProgressQuery,
  collectWorkflowId,
  COLLECT_PROFILES,
  DEFAULT_COLLECT_TIMINGS,
  type CollectInput,
  type CollectResult,
  type CollectSummary,
  type CollectProgress,
  type CollectProfile,
  type CollectTimings,
} from './contracts/collect';

// Building inputs the way the CLI does.
export {
  loadInventory,
  selectDevices,
  describeSelection,
  InventoryError,
  SelectionError,
  FilterSyntaxError,
  formatProblems,
  type Inventory,
  type Device,
  type Site,
  type Selection,
  type LoadOptions,
  type InventoryFormat,
  type CredentialRef,
  type Platform,
} from './inventory';
export { toDeviceTarget } from './client/device-targets';
export { inspectImage, versionFromFileName } from './client/image-file';
