import { rolloutReportSchema } from './rollout-schemas';
import { z } from './zod';

/**
 * The failure types a caller can meet, each with the details it carries
 * (`ApplicationFailure.details[0]`). Stable names: services branch on them.
 */

/** The input did not match its schema; the workflow ended on its first task, before touching anything. */
export const INVALID_INPUT = 'InvalidInput';
/** The rollout ended failed or aborted; details[0] is its report. */
export const ROLLOUT_FAILED = 'RolloutFailed';
export const ROLLOUT_ABORTED = 'RolloutAborted';

/** Why a rollout refused an update; the update's own failure, the rollout goes on. */
export const UPDATE_REFUSALS = {
  RolloutEnded: 'the rollout has ended (or is ending): no control changes it any more',
  StillPlanning: 'the rollout is still planning its waves',
  AlreadyPaused: 'pause sent to a paused rollout',
  NotPaused: 'resume sent to a rollout that is not paused',
  NoCanary: 'approve sent to a rollout without canaries',
  AlreadyApproved: 'approve sent twice',
  CanaryRunning: 'approve sent before the canaries finished',
  CanaryFailed: 'approve sent although a canary did not succeed',
  AlreadyAborting: 'abort sent twice',
  UnknownDevice: 'retryDevice / skipDevice name a target that is not in the rollout',
  NotFailed: 'retryDevice names a target that has not failed',
  DeviceRunning: 'skipDevice names a target that is running now',
  DeviceSettled: 'skipDevice names a target that is already done or skipped',
} as const;
export type UpdateRefusalType = keyof typeof UPDATE_REFUSALS;

export const inputProblemSchema = z.strictObject({
  path: z.string().describe('JSON Pointer (RFC 6901) into the input, e.g. /settings/window; "/" is the whole input'),
  message: z.string().describe('What is wrong; never repeats the value sent'),
});

export const invalidInputDetailsSchema = z
  .strictObject({ workflow: z.string(), problems: z.array(inputProblemSchema).min(1) })
  .meta({ id: 'InvalidInputDetails', description: 'details[0] of an InvalidInput failure: every bad field of the input' });
export type InvalidInputDetails = z.output<typeof invalidInputDetailsSchema>;

export const updateRefusalDetailsSchema = z
  .strictObject({ update: z.string(), refusal: z.enum(Object.keys(UPDATE_REFUSALS) as [UpdateRefusalType, ...UpdateRefusalType[]]), device: z.string().optional() })
  .meta({ id: 'UpdateRefusalDetails', description: 'details[0] of a refused update; the failure type is `refusal`' });
export type UpdateRefusalDetails = z.output<typeof updateRefusalDetailsSchema>;

/** details[0] of RolloutFailed / RolloutAborted: the same report a completed rollout returns. */
export const rolloutFailureDetailsSchema = rolloutReportSchema;
