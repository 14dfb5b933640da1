import type { Payload } from '@temporalio/common';

/**
 * A payload as proto3 JSON, the shape the Web UI and `temporal` CLI send to a
 * codec server: bytes fields, including every metadata value, are base64.
 */
export interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

export class PayloadJsonError extends Error {}

export function payloadFromJson(json: unknown, index: number): Payload {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new PayloadJsonError(`payloads[${index}] is not an object`);
  }
  const { metadata, data } = json as JsonPayload;
  const out: Payload = {};
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new PayloadJsonError(`payloads[${index}].metadata is not an object`);
    out.metadata = {};
    for (const [key, value] of Object.entries(metadata)) {
      out.metadata[key] = base64Field(value, `payloads[${index}].metadata.${key}`);
    }
  }
  if (data !== undefined && data !== null) out.data = base64Field(data, `payloads[${index}].data`);
  return out;
}

export function payloadToJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    if (value) metadata[key] = Buffer.from(value).toString('base64');
  }
  return { metadata, data: payload.data ? Buffer.from(payload.data).toString('base64') : '' };
}

function base64Field(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) throw new PayloadJsonError(`${where} is not a base64 string`);
  return Buffer.from(value, 'base64');
}
