/** The task queue every netops worker polls and every client starts on. */
export const TASK_QUEUE = 'netops';

/** Names that become part of a workflow id or a task queue (rollout names, run names): 1-80 characters. */
export const NAME_PATTERN = /^[A-Za-z0-9][\w.-]{0,79}$/;

/**
 * The workflow types clients start by name (the functions workflows/index.ts
 * registers carry these names; test/unit/house checks they agree). Names are
 * part of the wire contract: recorded histories and other languages' clients
 * use them.
 */
export const WORKFLOW_TYPES = {
  rollout: 'rolloutWorkflow',
  deviceUpgrade: 'deviceUpgradeWorkflow',
  deviceConfig: 'deviceConfigWorkflow',
  dashboardNetworkUpgrade: 'dashboardNetworkUpgradeWorkflow',
  collect: 'collectWorkflow',
  probe: 'probeWorkflow',
  redundancyRoles: 'redundancyRolesWorkflow',
  redundancyDiscovery: 'redundancyDiscoveryWorkflow',
  dashboardStatus: 'dashboardStatusWorkflow',
  dashboardOrgStatus: 'dashboardOrgStatusWorkflow',
} as const;
