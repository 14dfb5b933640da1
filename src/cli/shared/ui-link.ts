/**
 * The Web UI page of a workflow, from configuration: --ui-url, else
 * NETOPS_UI_URL (docs/operations.md; `off` prints no link, e.g. for a cluster
 * without a UI). Without either, only a Temporal on loopback gets a link, at
 * its gRPC port + 1000: where the dev server (`netops server`, `netops dev`)
 * serves its UI. Any other deployment (compose's UI is on 8080) says where its
 * UI is with NETOPS_UI_URL.
 */
export function webUiBase(address: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const base = explicit ?? env.NETOPS_UI_URL;
  if (base !== undefined && base.trim().toLowerCase() === 'off') return undefined;
  if (base) return base.replace(/\/+$/, '');
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(address);
  if (!m) return undefined;
  return `http://${m[1]}:${Number(m[2]) + 1000}`;
}

export function workflowUrl(uiBase: string | undefined, namespace: string, workflowId: string): string | undefined {
  if (!uiBase) return undefined;
  return `${uiBase}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
