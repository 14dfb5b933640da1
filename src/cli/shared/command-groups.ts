import type { Command } from 'commander';

/** The `rollout` group's description, whichever of its modules registers first. */
export const ROLLOUT_GROUP_DESCRIPTION = 'pair-aware image rollouts: plan, start and control them';

/**
 * A command group such as `rollout`, shared by the modules that add its
 * sub-commands (`rollout plan`, `rollout start`, ...): the first caller
 * creates it, later callers get the same one, whatever the registration order.
 */
export function getOrCreateGroup(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (existing) {
    if (!existing.description()) existing.description(description);
    return existing;
  }
  return program.command(name).description(description);
}
