import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { createEncryptionCodec, parseKeyText, payloadToJson } from '../../../src/codec';
import { freePort } from '../../../src/server/free-port';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'bin', 'netops.cjs');
const dir = mkdtempSync(join(tmpdir(), 'netops-codec-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const keyText = `old:${randomBytes(32).toString('base64')}\nnew:${randomBytes(32).toString('base64')}\n`;
const keyFile = secretFile('codec.keys', keyText);
const token = randomBytes(20).toString('hex');
const tokenFile = secretFile('token', `${token}\n`);
const cleanEnv = { ...process.env, NETOPS_CODEC_KEY_FILE: '', NETOPS_CODEC_KEYS: '', NETOPS_CODEC_TOKEN: '', NETOPS_CODEC_KEY_ID: 'new' };

describe('netops codec-server', () => {
  it('serves until SIGTERM, decoding payloads under any key in the file', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'codec-server', '--port', String(port), '--key-file', keyFile, '--token-file', tokenFile], {
      env: cleanEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      let stderr = '';
      await new Promise<void>((resolveReady, reject) => {
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          if (stderr.includes('codec server on')) resolveReady();
        });
        void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
      });
      expect(stderr).toContain(`codec server on http://127.0.0.1:${port} (current key new;`);
      // A payload from before the rotation, encrypted under "old".
      const oldCodec = createEncryptionCodec(parseKeyText(keyText, 'test', 'old'));
      const [enc] = await oldCodec.encode([defaultPayloadConverter.toPayload({ device: 'r9' })]);
      const res = await fetch(`http://127.0.0.1:${port}/decode`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ payloads: [payloadToJson(enc!)] }),
      });
      expect(res.status).toBe(200);
      const { payloads } = (await res.json()) as { payloads: Array<{ data: string }> };
      expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toBe('{"device":"r9"}');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a world-readable token file with exit 2 and one line', () => {
    const open = secretFile('open-token', `${token}\n`, 0o644);
    const run = spawnSync(process.execPath, [bin, 'codec-server', '--key-file', keyFile, '--token-file', open], { env: cleanEnv, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`netops: token file ${open} is world-readable (mode 644); run \`chmod 600 ${open}\` and rotate it if others could have read it\n`);
  });

  it('refuses a key file with several keys and no current one', () => {
    const env = { ...cleanEnv, NETOPS_CODEC_KEY_ID: '', NETOPS_CODEC_TOKEN: token };
    const run = spawnSync(process.execPath, [bin, 'codec-server', '--key-file', keyFile], { env, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/2 keys but none marked current; set NETOPS_CODEC_KEY_ID/);
  });
});
