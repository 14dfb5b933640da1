import type { Command } from 'commander';
import { CodecKeyError, createEncryptionCodec, loadCodecKeys, readKeyFile, startCodecServer } from '../../codec';
import { CodecChain } from '../../codec/codec-chain';
import { CompressionCodec } from '../../codec/compression-codec';
import { CliError, ExitCode } from '../shared/cli-error';
import { parsePort } from '../shared/parse-options';
import { untilInterrupted } from '../shared/process-signals';

interface CodecServerFlags {
  port: string;
  host: string;
  uiOrigin: string[];
  keyFile?: string;
  tokenFile?: string;
  auth: boolean;
}

export const DEFAULT_UI_ORIGIN = 'http://127.0.0.1:8233';

export function register(program: Command): void {
  program
    .command('codec-server')
    .description("Serve Temporal's remote codec protocol so the Web UI and `temporal` CLI can show encrypted payloads")
    .option('--port <n>', 'port to listen on', '8888')
    .option('--host <ip>', 'address to listen on', '127.0.0.1')
    .option('--ui-origin <url>', `Web UI origin allowed to call (repeatable; default ${DEFAULT_UI_ORIGIN})`, collect, [])
    .option('--key-file <path>', 'encryption keys (default env NETOPS_CODEC_KEY_FILE, else NETOPS_CODEC_KEYS)')
    .option('--token-file <path>', 'bearer token callers must send (default env NETOPS_CODEC_TOKEN)')
    .option('--no-auth', 'accept requests without a token (only behind your own authenticating proxy)')
    .addHelpText(
      'after',
      `
Endpoints: POST /encode and /decode (also /<namespace>/encode|decode), GET /healthz.
Every POST needs "Authorization: Bearer <token>". Browsers may call only from a --ui-origin
(default ${DEFAULT_UI_ORIGIN}, the dev server's UI).

Example:
  $ export NETOPS_CODEC_KEY_FILE=~/.config/netops/codec.keys NETOPS_CODEC_TOKEN=$(cat ~/.config/netops/codec.token)
  $ npx netops codec-server --port 8888 --ui-origin http://127.0.0.1:8233
  $ temporal workflow show -w <id> --codec-endpoint http://127.0.0.1:8888 --codec-auth "Bearer $NETOPS_CODEC_TOKEN"`,
    )
    .action(async (flags: CodecServerFlags) => {
      const port = parsePort(flags.port, '--port');
      const uiOrigins = flags.uiOrigin.length > 0 ? flags.uiOrigin : [DEFAULT_UI_ORIGIN];
      for (const origin of uiOrigins) checkOrigin(origin);
      const token = flags.auth ? resolveToken(flags.tokenFile) : undefined;
      let codec;
      let currentKeyId: string;
      try {
        const encryption = createEncryptionCodec(loadCodecKeys({ file: flags.keyFile }));
        currentKeyId = encryption.currentKeyId;
        codec = new CodecChain([new CompressionCodec(), encryption]);
      } catch (err) {
        throw asCliError(err);
      }
      let server;
      try {
        server = await startCodecServer({
          codec,
          token,
          uiOrigins,
          host: flags.host,
          port,
          log: (line) => process.stderr.write(`codec-server: ${line}\n`),
        });
      } catch (err) {
        throw new CliError(`cannot listen on ${flags.host}:${port}: ${(err as Error).message}`, ExitCode.unavailable);
      }
      if (!token) process.stderr.write('codec-server: WARNING: --no-auth: anyone who can reach this port can decrypt payloads\n');
      process.stderr.write(
        `codec server on ${server.url} (current key ${currentKeyId}; browser origins: ${uiOrigins.join(', ')})\n`,
      );
      await untilInterrupted();
      await server.close();
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function checkOrigin(origin: string): void {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new CliError(`--ui-origin ${origin} is not a URL; use e.g. ${DEFAULT_UI_ORIGIN}`, ExitCode.usage);
  }
  if (url.origin !== origin.replace(/\/+$/, '')) {
    throw new CliError(`--ui-origin ${origin} must be an origin only (scheme://host:port, no path), e.g. ${url.origin}`, ExitCode.usage);
  }
}

function resolveToken(tokenFile: string | undefined): string {
  let token: string | undefined;
  try {
    token = tokenFile ? readKeyFile(tokenFile, 'token file').trim() : process.env.NETOPS_CODEC_TOKEN?.trim();
  } catch (err) {
    throw asCliError(err);
  }
  if (!token) {
    throw new CliError(
      'no bearer token: pass --token-file <path> or set NETOPS_CODEC_TOKEN (make one with `openssl rand -hex 32`), or --no-auth behind your own proxy',
      ExitCode.usage,
    );
  }
  if (token.length < 16) throw new CliError('the bearer token is shorter than 16 characters; make one with `openssl rand -hex 32`', ExitCode.usage);
  return token;
}

function asCliError(err: unknown): Error {
  if (err instanceof CodecKeyError) return new CliError(err.message, ExitCode.usage);
  return err instanceof Error ? err : new Error(String(err));
}
