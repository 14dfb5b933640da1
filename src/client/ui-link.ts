/**
 * The Web UI page of a workflow. The dev server's UI listens on its gRPC port
 * + 1000 by default; anything else is told with --ui-url or NETOPS_UI_URL.
 */
export function webUiBase(address: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const base = explicit ?? env.NETOPS_UI_URL;
  if (base) return base.replace(/\/+$/, '');
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(address);
  if (!m) return undefined;
  return `http://${m[1]}:${Number(m[2]) + 1000}`;
}

export function workflowUrl(uiBase: string | undefined, namespace: string, workflowId: string): string | undefined {
  if (!uiBase) return undefined;
  return `${uiBase}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
