import type { Command } from 'commander';
import { register as codecServer } from './codec-server';
import { register as collect } from './collect';
import { register as configPush } from './config-push';
import { register as dashboard } from './dashboard';
import { register as dev } from './dev';
import { register as inventory } from './inventory';
import { register as lab } from './lab';
import { register as rolloutControl } from './rollout-control';
import { register as rolloutPlan } from './rollout-plan';
import { register as rolloutStart } from './rollout-start';
import { register as server } from './server';
import { register as worker } from './worker';

/**
 * Every sub-command lives in its own module under `commands/` and exports a
 * `register(program)` function; this list is the only place they meet.
 */
export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}

const registrations: Array<(program: Command) => void> = [
  codecServer,
  collect,
  configPush,
  dashboard,
  dev,
  inventory,
  lab,
  rolloutPlan,
  rolloutStart,
  rolloutControl,
  server,
  worker,
];
