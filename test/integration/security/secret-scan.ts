import type { Client } from '@temporalio/client';

/** Where a secret was found, and a little of what surrounds it (the secret itself masked). */
export interface Leak {
  secret: string;
  source: string;
  context: string;
}

/** Every form a secret could take in text we read: as is, and base64 (payload data left encoded). */
function forms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64').replace(/=+$/, '')];
}

/** Finds each secret (as is or base64-encoded) in each named text. */
export function findSecrets(texts: Record<string, string>, secrets: string[]): Leak[] {
  const leaks: Leak[] = [];
  for (const [source, text] of Object.entries(texts)) {
    for (const secret of secrets) {
      for (const form of forms(secret)) {
        const at = text.indexOf(form);
        if (at < 0) continue;
        const context = text.slice(Math.max(0, at - 80), at + form.length + 80).split(form).join('<SECRET>');
        leaks.push({ secret: `${secret.slice(0, 6)}...`, source, context });
      }
    }
  }
  return leaks;
}

/**
 * All of a history as text: its JSON (bytes as base64, the way the API
 * carries them) followed by every byte field decoded as UTF-8, so payload
 * data, failure details and memo are read in clear.
 */
export function historyText(history: unknown): string {
  const decoded: string[] = [];
  const json = JSON.stringify(history, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      decoded.push(Buffer.from(value).toString('utf8'));
      return Buffer.from(value).toString('base64');
    }
    if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      const buf = Buffer.from((value as { data: number[] }).data);
      decoded.push(buf.toString('utf8'));
      return buf.toString('base64');
    }
    return value;
  });
  // JSON fields that hold base64 (a proto's toJSON form) are decoded too.
  for (const m of json.matchAll(/"([A-Za-z0-9+/]{16,}={0,2})"/g)) decoded.push(Buffer.from(m[1]!, 'base64').toString('utf8'));
  return `${json}\n${decoded.join('\n')}`;
}

/** Every workflow execution in the namespace (every run, closed or open), as `workflowId@runId` -> history text. */
export async function allHistories(client: Client): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for await (const wf of client.workflow.list()) {
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    texts[`history ${wf.workflowId}@${wf.runId} (${wf.type})`] = historyText(history);
  }
  return texts;
}
