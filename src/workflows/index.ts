// Everything the worker registers as a workflow type. Keep this file free of
// anything but re-exports: it is the entry point of the workflow bundle.
export { probeWorkflow } from './probe';
export { redundancyRolesWorkflow } from './roles-probe';
export { redundancyDiscoveryWorkflow } from './discover';
export { rolloutWorkflow } from './rollout';
export { deviceUpgradeWorkflow } from './device-upgrade';
export { dashboardStatusWorkflow, dashboardOrgStatusWorkflow } from './dashboard-status';
export { dashboardNetworkUpgradeWorkflow } from './dashboard-network-upgrade';
export { collectWorkflow } from './collect';
export { deviceConfigWorkflow } from './device-config';
