import { isGrpcServiceError, ServiceError } from '@temporalio/client';

/** The server refused to start a workflow; the message carries its own reason and what to do. */
export class WorkflowStartRefused extends Error {
  override readonly name = 'WorkflowStartRefused';
}

/**
 * The SDK says only "Failed to start Workflow" and keeps the server's reason
 * (e.g. "no mapping defined for search attribute NetopsKind for Visibility
 * store") in the gRPC cause; this puts that reason in the message, with the
 * fix for the common case of a namespace without the netops search attributes.
 */
export function withServerReason(err: unknown, workflowId: string): unknown {
  if (!(err instanceof ServiceError) || !isGrpcServiceError(err.cause)) return err;
  const reason = err.cause.details || err.cause.message;
  const hint = /search attribute/i.test(reason)
    ? ': the namespace lacks the netops search attributes; register them with deploy/temporal/create-namespace.sh (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), see docs/operations.md'
    : '';
  return new WorkflowStartRefused(`Temporal refused to start ${workflowId}: ${reason}${hint}`);
}

/**
 * The innermost message of a workflow failure: the SDK's "Workflow execution
 * failed" wraps the activity failure, which wraps what actually went wrong
 * (e.g. a result store the worker may not write).
 */
export function innermostReason(err: unknown): string {
  let current: unknown = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
