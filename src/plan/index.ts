/**
 * Pure, deterministic rollout planning: runs inside Temporal's workflow
 * sandbox, so no I/O, no clock (time is passed in) and no Node built-ins.
 * The pieces live in `plan/`; this is the one import path for callers.
 */
export { buildPlan, DEFAULT_HORIZON_MS } from './build';
export type { SiteInput } from './build';
export { evaluateStartable, nextStartable, nextWakeUpMs } from './admission';
export type { StartDecision } from './admission';
export { lowerBoundMakespan } from './lower-bound';
export { nextWindowOpening, SiteCalendar } from './site-calendar';
export type { OpenInterval } from './site-calendar';
export { PlanError } from './errors';
export { simulateSchedule } from './simulate';
export type * from './types';
