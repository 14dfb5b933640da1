import { describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES } from '../../../src/contracts/names';
import * as registered from '../../../src/workflows/index';

// Clients start workflows by the names in contracts/; the worker registers
// functions. A renamed function would leave clients starting a type no worker
// knows: both lists must be the same.
describe('workflow type names', () => {
  it('name exactly the functions the worker registers', () => {
    expect(Object.values(WORKFLOW_TYPES).sort()).toEqual(Object.keys(registered).sort());
    for (const name of Object.values(WORKFLOW_TYPES)) expect(typeof (registered as Record<string, unknown>)[name], name).toBe('function');
  });
});
