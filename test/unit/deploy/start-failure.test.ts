import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { innermostReason, withServerReason, WorkflowStartRefused } from '../../../src/client/start-failure';

// The SDK reports a refused start as "Failed to start Workflow"; the
// server's reason is in the gRPC cause and must reach the operator.
function grpcError(details: string): Error {
  return Object.assign(new Error(`3 INVALID_ARGUMENT: ${details}`), { code: 3, details, metadata: {} });
}

describe('a refused workflow start', () => {
  it('carries the server\'s reason and, for a missing search attribute, the script that registers them', () => {
    const err = withServerReason(new ServiceError('Failed to start Workflow', { cause: grpcError('no mapping defined for search attribute NetopsKind for Visibility store') }), 'rollout/ams1');
    expect(err).toBeInstanceOf(WorkflowStartRefused);
    expect((err as Error).message).toBe(
      'Temporal refused to start rollout/ams1: no mapping defined for search attribute NetopsKind for Visibility store: the namespace lacks the netops search attributes; register them with deploy/temporal/create-namespace.sh (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), see docs/operations.md',
    );
  });

  it('passes other reasons on without a hint, and anything else unchanged', () => {
    const other = withServerReason(new ServiceError('Failed to start Workflow', { cause: grpcError('Namespace bare is not found.') }), 'rollout/x');
    expect((other as Error).message).toBe('Temporal refused to start rollout/x: Namespace bare is not found.');
    const plain = new Error('boom');
    expect(withServerReason(plain, 'rollout/x')).toBe(plain);
  });

  it('names the innermost cause of a failed workflow', () => {
    const inner = new Error('the result store /data cannot be written by this process (uid 1000, EACCES on /data)');
    const activity = Object.assign(new Error('Activity task failed'), { cause: inner });
    expect(innermostReason(Object.assign(new Error('Workflow execution failed'), { cause: activity }))).toBe(inner.message);
    expect(innermostReason('text')).toBe('text');
  });
});
