import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';

/**
 * Query and update definitions without the workflow runtime: the SDK's
 * `defineQuery`/`defineUpdate` (in @temporalio/workflow) return exactly
 * `{ type, name }`, and the type brands exist only at compile time. Defining
 * them here keeps @temporalio/workflow out of every client that only reads.
 */
export function queryDefinition<Ret, Args extends unknown[] = []>(name: string): QueryDefinition<Ret, Args> {
  return { type: 'query', name } as QueryDefinition<Ret, Args>;
}

export function updateDefinition<Ret, Args extends unknown[] = []>(name: string): UpdateDefinition<Ret, Args> {
  return { type: 'update', name } as UpdateDefinition<Ret, Args>;
}
