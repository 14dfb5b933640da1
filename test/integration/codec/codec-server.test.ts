import { randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { probeActivities, type ProbeTarget } from '../../../src/activities/probe';
import {
  createEncryptionCodec,
  dataConverterFor,
  ENCRYPTED_ENCODING,
  payloadToJson,
  startCodecServer,
  type CodecKeys,
  type RunningCodecServer,
} from '../../../src/codec';
import { probeWorkflow } from '../../../src/workflows/probe';
import { connectTestEnv, type TemporalTestEnv } from '../../support/temporal';

const DEVICE = `edge-rtr-${randomUUID().slice(0, 8)}`;
const FAILING = `core-rtr-${randomUUID().slice(0, 8)}`;
const TOKEN = randomBytes(24).toString('hex');
const UI_ORIGIN = 'http://127.0.0.1:8233';
const keys: CodecKeys = { currentKeyId: 'k2026', keys: new Map([['k2026', randomBytes(32)]]) };
const codec = createEncryptionCodec(keys);

let env: TemporalTestEnv;
let codecServer: RunningCodecServer;
let device: Server;
let devicePort: number;
let workflowId: string;
let history: temporal.api.history.v1.IHistory;
let failedId: string;
let failedError: Error | undefined;
let failedHistory: temporal.api.history.v1.IHistory;

beforeAll(async () => {
  env = await connectTestEnv();
  codecServer = await startCodecServer({ codec, token: TOKEN, uiOrigins: [UI_ORIGIN] });
  // A stand-in device that greets like an SSH server, so the probe succeeds.
  device = createServer((socket) => socket.end('SSH-2.0-netops-test\r\n'));
  await new Promise<void>((r) => device.listen(0, '127.0.0.1', r));
  devicePort = (device.address() as { port: number }).port;

  const dataConverter = dataConverterFor(codec);
  const client = new Client({ connection: env.connection, namespace: 'default', dataConverter });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: env.taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: {
      // The probe of FAILING throws inside the worker with the device's name in its message.
      tcpProbe: (target: ProbeTarget, timeoutMs: number) =>
        target.name === FAILING ? Promise.reject(new TypeError(`cannot probe ${FAILING}: refused by the test`)) : probeActivities.tcpProbe(target, timeoutMs),
    },
    dataConverter,
  });
  workflowId = `codec-${randomUUID()}`;
  failedId = `codec-fail-${randomUUID()}`;
  const [result, failure] = await worker.runUntil(
    Promise.all([
      client.workflow.execute(probeWorkflow, {
        args: [{ targets: [{ name: DEVICE, host: '127.0.0.1', port: devicePort }], timeoutMs: 2000 }],
        taskQueue: env.taskQueue,
        workflowId,
      }),
      // A failing activity (the input itself is valid: the workflow checks its input first).
      client.workflow
        .execute(probeWorkflow, {
          args: [{ targets: [{ name: FAILING, host: '127.0.0.1', port: devicePort }], timeoutMs: 500 }],
          taskQueue: env.taskQueue,
          workflowId: failedId,
        })
        .then(
          () => undefined,
          (err: unknown) => err as Error,
        ),
    ]),
  );
  failedError = failure;
  // The encrypting client and worker see plaintext end to end.
  expect(result).toEqual({ reachable: [DEVICE], unreachable: [] });
  // A client without the codec reads what the server stores.
  history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  failedHistory = await env.client.workflow.getHandle(failedId).fetchHistory();
});

afterAll(async () => {
  await codecServer?.close();
  await new Promise<void>((r) => (device ? device.close(() => r()) : r()));
  await env?.close();
});

function historyPayloads(): Payload[] {
  const out: Payload[] = [];
  for (const event of history.events ?? []) {
    out.push(...(event.workflowExecutionStartedEventAttributes?.input?.payloads ?? []));
    out.push(...(event.activityTaskScheduledEventAttributes?.input?.payloads ?? []));
    out.push(...(event.activityTaskCompletedEventAttributes?.result?.payloads ?? []));
    out.push(...(event.workflowExecutionCompletedEventAttributes?.result?.payloads ?? []));
  }
  return out;
}

/** The workflow result payload as `temporal workflow show -o json` prints it. */
function cliResult(stdout: string): { encoding: string; text: string } {
  const doc = JSON.parse(stdout) as { events: Array<{ workflowExecutionCompletedEventAttributes?: { result: { payloads: JsonPayloadOut[] } } }> };
  const done = doc.events.find((e) => e.workflowExecutionCompletedEventAttributes);
  const payload = done?.workflowExecutionCompletedEventAttributes?.result.payloads[0];
  return {
    encoding: Buffer.from(payload?.metadata.encoding ?? '', 'base64').toString(),
    text: Buffer.from(payload?.data ?? '', 'base64').toString('latin1'),
  };
}

interface JsonPayloadOut {
  metadata: Record<string, string>;
  data: string;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${codecServer.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as { payloads?: unknown[]; error?: string } };
}

describe('payload encryption through the Temporal server', () => {
  it('stores only ciphertext: no payload and no byte of the history holds the device name', () => {
    const payloads = historyPayloads();
    // start input, the activity's two arguments, its result, the workflow result
    expect(payloads.length).toBe(5);
    for (const p of payloads) {
      expect(Buffer.from(p.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(p.data ?? []).toString('latin1')).not.toContain(DEVICE);
    }
    const wire = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(wire).not.toContain(DEVICE);
    expect(wire).not.toContain('SSH-2.0-netops-test');
  });

  it('the codec server decodes the stored payloads back to the workflow input and result', async () => {
    const payloads = historyPayloads();
    const res = await post('/decode', { payloads: payloads.map(payloadToJson) }, { 'X-Namespace': 'default', Origin: UI_ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const decoded = (res.json.payloads as Array<{ metadata: Record<string, string>; data: string }>).map((p) =>
      defaultPayloadConverter.fromPayload<unknown>({
        metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        data: Buffer.from(p.data, 'base64'),
      }),
    );
    const target = { name: DEVICE, host: '127.0.0.1', port: devicePort };
    expect(decoded).toEqual([
      { targets: [target], timeoutMs: 2000 },
      target,
      2000,
      { name: DEVICE, ok: true, banner: 'SSH-2.0-netops-test' },
      { reachable: [DEVICE], unreachable: [] },
    ]);
  });

  it('`temporal workflow show --codec-endpoint` shows plaintext only through the codec server', async () => {
    const run = promisify(execFile);
    const base = ['workflow', 'show', '-w', workflowId, '--address', inject('temporalAddress'), '--namespace', 'default', '-o', 'json'];
    const plain = await run(inject('temporalCli'), base);
    expect(cliResult(plain.stdout)).toEqual({ encoding: ENCRYPTED_ENCODING, text: expect.not.stringContaining(DEVICE) });
    const viaCodec = await run(inject('temporalCli'), [...base, '--codec-endpoint', `${codecServer.url}/{namespace}`, '--codec-auth', `Bearer ${TOKEN}`]);
    expect(cliResult(viaCodec.stdout)).toEqual({ encoding: 'json/plain', text: JSON.stringify({ reachable: [DEVICE], unreachable: [] }) });
  });

  it('/encode output is ciphertext that the workers\' codec can decode', async () => {
    const plain = payloadToJson(defaultPayloadConverter.toPayload({ device: DEVICE }));
    const res = await post('/default/encode', { payloads: [plain] });
    expect(res.status).toBe(200);
    const [enc] = res.json.payloads as Array<{ metadata: Record<string, string>; data: string }>;
    expect(Buffer.from(enc!.metadata.encoding!, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(enc!.data, 'base64').toString('latin1')).not.toContain(DEVICE);
    const [back] = await codec.decode([
      { metadata: Object.fromEntries(Object.entries(enc!.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])), data: Buffer.from(enc!.data, 'base64') },
    ]);
    expect(defaultPayloadConverter.fromPayload(back!)).toEqual({ device: DEVICE });
  });
});

describe('failure encryption', () => {
  it('stores activity failure messages and stacks only as ciphertext; the encrypting client reads them', () => {
    const failed = (failedHistory.events ?? []).find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    expect(failed?.message).toBe('Encoded failure');
    expect(failed?.stackTrace ?? '').toBe('');
    expect(Buffer.from(failed?.encodedAttributes?.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
    const wire = Buffer.from(temporal.api.history.v1.History.encode(failedHistory).finish()).toString('latin1');
    expect(wire).not.toContain(FAILING);
    // The client with the codec decodes the chain back: workflow failure <- activity failure <- TypeError.
    const root = (failedError as { cause?: { cause?: Error } } | undefined)?.cause?.cause;
    expect(root?.message).toBe(`cannot probe ${FAILING}: refused by the test`);
  });
});

describe('codec server access control', () => {
  it('answers the Web UI preflight with its origin and the headers it sends, without a token', async () => {
    const res = await fetch(`${codecServer.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: UI_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace,authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, X-Namespace, Authorization');
  });

  it('refuses other origins, with no CORS grant', async () => {
    const res = await fetch(`${codecServer.url}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is 401 without the bearer token or with a wrong one, and still lets the UI read the 401', async () => {
    const payloads = historyPayloads().map(payloadToJson);
    const none = await fetch(`${codecServer.url}/decode`, { method: 'POST', headers: { Origin: UI_ORIGIN }, body: JSON.stringify({ payloads }) });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const wrong = await post('/decode', { payloads }, { Authorization: `Bearer ${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.json)).not.toContain(DEVICE);
  });

  it('rejects malformed bodies, unknown paths and other methods with a message', async () => {
    expect((await post('/decode', { nope: 1 })).json.error).toMatch(/no "payloads" array/);
    expect((await post('/decode', { payloads: [{ data: '***' }] })).json.error).toMatch(/payloads\[0\]\.data is not a base64 string/);
    expect((await post('/metrics', { payloads: [] })).status).toBe(404);
    expect((await fetch(`${codecServer.url}/decode`)).status).toBe(405);
    expect((await fetch(`${codecServer.url}/healthz`)).status).toBe(200);
  });

  it('reports a payload under an unknown key as a 400 naming the key', async () => {
    const other = createEncryptionCodec({ currentKeyId: 'retired', keys: new Map([['retired', randomBytes(32)]]) });
    const [enc] = await other.encode([defaultPayloadConverter.toPayload('x')]);
    const res = await post('/decode', { payloads: [payloadToJson(enc!)] });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/key id "retired"/);
  });
});
