import { describe, expect, it } from 'vitest';
import * as registered from '../../../src/workflows/index';
import { WORKFLOW_INPUTS } from '../../../src/contracts/workflow-inputs';

// The worker registers every export of src/workflows/index.ts. Each must fail
// its execution on an unexpected error instead of retrying its workflow task
// forever (test/integration/contract/workflow-bugs.test.ts shows it live), and
// each must have an input schema its first line checks.
describe('every registered workflow', () => {
  const workflows = Object.entries(registered).filter(([, v]) => typeof v === 'function') as Array<[string, { workflowDefinitionOptions?: { failureExceptionTypes?: unknown[] } }]>;

  it('is more than a handful (the index was read)', () => expect(workflows.length).toBeGreaterThanOrEqual(8));

  for (const [name, fn] of workflows) {
    it(`${name} fails its execution on any Error`, () => {
      expect(fn.workflowDefinitionOptions?.failureExceptionTypes).toContain(Error);
    });
    it(`${name} has an input schema`, () => {
      expect(Object.keys(WORKFLOW_INPUTS)).toContain(name);
    });
  }
});
