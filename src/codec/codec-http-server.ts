import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { payloadFromJson, payloadToJson, PayloadJsonError } from './payload-json';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Bearer token every POST must carry; `undefined` only when the caller opted out of auth explicitly. */
  token: string | undefined;
  /** Browser origins allowed to call us (the Web UI's), e.g. http://127.0.0.1:8233. */
  uiOrigins: string[];
  host?: string;
  port?: number;
  maxBodyBytes?: number;
  /** One line per failed request (no payload content). */
  log?: (line: string) => void;
}

export interface RunningCodecServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';
// `/encode`, `/decode`, or the same under a namespace segment, which is what
// `temporal --codec-endpoint 'http://host/{namespace}'` produces.
const ROUTE = /^(?:\/[^/]+)?\/(encode|decode)\/?$/;

/**
 * Temporal's remote codec protocol over node:http: POST a proto3-JSON
 * `{payloads: [...]}` to /encode or /decode and get the same shape back.
 */
export function createCodecRequestHandler(opts: CodecServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const origins = new Set(opts.uiOrigins.map(normalizeOrigin));
  const tokenDigest = opts.token === undefined ? undefined : digest(opts.token);
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const log = opts.log ?? (() => undefined);

  return (req, res) => {
    const origin = req.headers.origin;
    const originAllowed = origin !== undefined && origins.has(normalizeOrigin(origin));
    if (origin !== undefined && !originAllowed) {
      // No CORS headers: the browser blocks the page; non-browser callers never send Origin.
      return send(res, 403, { error: `origin ${origin} is not allowed; start the codec server with --ui-origin ${origin}` });
    }
    if (originAllowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, { status: 'ok' });
    const route = ROUTE.exec(path);
    if (!route) return send(res, 404, { error: `no such endpoint ${path}; use POST /encode or /decode` });
    if (req.method === 'OPTIONS') {
      // Preflights carry no credentials by design, so they are answered before the token check.
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      return send(res, 405, { error: `${req.method} not allowed; use POST` });
    }
    if (tokenDigest && !bearerMatches(req.headers.authorization, tokenDigest)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="netops-codec"');
      log(`401 ${path} from ${req.socket.remoteAddress ?? '?'}`);
      return send(res, 401, { error: 'missing or wrong bearer token' });
    }
    const op = route[1] as 'encode' | 'decode';
    void (async () => {
      try {
        const payloads = parseRequest(await readBody(req, maxBody));
        const out = op === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
        send(res, 200, { payloads: out.map(payloadToJson) });
      } catch (err) {
        const status = err instanceof BodyTooLarge ? 413 : 400;
        const message = err instanceof Error ? err.message : String(err);
        log(`${status} ${op}: ${message}`);
        if (!res.headersSent) send(res, status, { error: message });
      }
    })();
  };
}

export async function startCodecServer(opts: CodecServerOptions): Promise<RunningCodecServer> {
  const server = createServer(createCodecRequestHandler(opts));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

function parseRequest(body: Buffer): ReturnType<typeof payloadFromJson>[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new PayloadJsonError('request body is not JSON; expected {"payloads": [...]}');
  }
  const payloads = (doc as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new PayloadJsonError('request body has no "payloads" array');
  return payloads.map((p, i) => payloadFromJson(p, i));
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining (not destroying) so the 413 can still be written back.
      if (size > limit) reject(new BodyTooLarge(`request body is larger than ${limit} bytes`));
      else chunks.push(chunk);
    });
    req.once('end', () => resolveBody(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

// Comparing digests keeps the comparison constant-time whatever the lengths.
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1].trim()), expected);
}

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}
