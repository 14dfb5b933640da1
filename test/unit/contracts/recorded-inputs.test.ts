import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkflowInput } from '../../../src/contracts/validate-input';
import { WORKFLOW_INPUTS, type WorkflowTypeName } from '../../../src/contracts/workflow-inputs';

// The inputs of rollouts the previous code started (the recorded histories)
// are what other services send today: the check must accept every one, or
// the same JSON that worked yesterday would now fail with InvalidInput.
const HISTORIES = join(__dirname, '..', '..', 'fixtures', 'histories');

interface StartedEvent {
  workflowExecutionStartedEventAttributes?: { workflowType: { name: string }; input: { payloads: Array<{ metadata: Record<string, string>; data: string }> } };
}

const recorded = readdirSync(HISTORIES)
  .filter((f) => f.endsWith('.json'))
  .map((file) => {
    const first = (JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as { events: StartedEvent[] }).events[0]!;
    const attrs = first.workflowExecutionStartedEventAttributes!;
    const payload = attrs.input.payloads[0]!;
    expect(Buffer.from(payload.metadata['encoding']!, 'base64').toString(), file).toBe('json/plain');
    return { file, workflow: attrs.workflowType.name, input: JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as unknown };
  });

describe('inputs of recorded histories', () => {
  it('are several, of rollouts and of each kind of child they start', () => {
    expect(new Set(recorded.map((r) => r.workflow))).toEqual(new Set(['rolloutWorkflow', 'deviceUpgradeWorkflow', 'dashboardNetworkUpgradeWorkflow']));
  });

  for (const { file, workflow, input } of recorded) {
    it(`${file} (${workflow}) still passes the check`, () => {
      expect(Object.keys(WORKFLOW_INPUTS)).toContain(workflow);
      const check = checkWorkflowInput(workflow as WorkflowTypeName, input);
      expect(check.ok ? [] : check.problems).toEqual([]);
    });
  }
});
