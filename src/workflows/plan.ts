/**
 * Pure, deterministic rollout planning: runs inside Temporal's workflow
 * sandbox, so no I/O, no clock (time is passed in) and no Node built-ins.
 * The pieces live in `plan/`; this is the one import path for callers.
 */
export { buildPlan, DEFAULT_HORIZON_MS } from './plan/build';
export type { SiteInput } from './plan/build';
export { evaluateStartable, nextStartable, nextWakeUpMs } from './plan/admission';
export type { StartDecision } from './plan/admission';
export { lowerBoundMakespan } from './plan/lower-bound';
export { nextWindowOpening, SiteCalendar } from './plan/site-calendar';
export type { OpenInterval } from './plan/site-calendar';
export { PlanError } from './plan/errors';
export { simulateSchedule } from './plan/simulate';
export type * from './plan/types';
