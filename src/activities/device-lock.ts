import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { SA_KIND, SA_ROLLOUT_ID } from '../contracts/search-attributes';
import { toActivityFailure } from './failures';

/** Who holds a device's `device/<name>` workflow id right now. */
export interface DeviceLockHolder {
  /** The device workflow id, e.g. `device/r1-a`. */
  workflowId: string;
  /** False when the holder ended between the refused start and this look-up (retry at once). */
  running: boolean;
  /** The rollout that started the holder, when it carries one (`NetopsRolloutId`). */
  rollout?: string;
  /** What the holder does (`NetopsKind`, e.g. device-upgrade). */
  kind?: string;
}

/**
 * A rollout's look-up of the operation that holds one of its devices. A
 * workflow may not ask the server itself (it would not replay), so the answer
 * comes through an activity and is recorded in history.
 */
export const deviceLockActivities = {
  async deviceLockHolder(workflowId: string): Promise<DeviceLockHolder> {
    try {
      const described = await Context.current().client.workflow.getHandle(workflowId).describe();
      const rollout = described.typedSearchAttributes.get(SA_ROLLOUT_ID);
      const kind = described.typedSearchAttributes.get(SA_KIND);
      return {
        workflowId,
        running: described.status.name === 'RUNNING',
        ...(rollout ? { rollout } : {}),
        ...(kind ? { kind } : {}),
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { workflowId, running: false };
      throw toActivityFailure(err, workflowId);
    }
  },
};

export type DeviceLockActivities = typeof deviceLockActivities;
