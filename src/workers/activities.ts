import { probeActivities } from '../activities/probe';

/** All activities a netops worker serves, assembled in one place. */
export function buildActivities(): object {
  return { ...probeActivities };
}
