import { configActivities } from './config';
import { imageActivities } from './image';
import { redundancyActivities } from './redundancy';
import { reloadActivities } from './reload';
import { DeviceRuntime, type ActivityDeps } from './runtime';
import { showActivities } from './show';
import { vpcActivities } from './vpc';
import { isolationActivities } from './isolation';

export type { ActivityDeps } from './runtime';
export type * from './types';

/**
 * All device activities, bound to one worker's dependencies (session
 * limiter, logger, secret resolver). Workflows `import type { DeviceActivities }`
 * and proxy them.
 */
export function createActivities(deps: ActivityDeps = {}) {
  const rt = new DeviceRuntime(deps);
  return {
    ...showActivities(rt),
    ...imageActivities(rt),
    ...redundancyActivities(rt),
    ...reloadActivities(rt),
    ...configActivities(rt),
    ...vpcActivities(rt),
    ...isolationActivities(rt),
  };
}

export type DeviceActivities = ReturnType<typeof createActivities>;
