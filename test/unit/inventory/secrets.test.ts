import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveSecret, SecretResolutionError } from '../../../src/inventory';

const dir = mkdtempSync(join(tmpdir(), 'netops-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.NETOPS_TEST_SECRET;
});

describe('resolveSecret', () => {
  it('reads an environment variable', async () => {
    process.env.NETOPS_TEST_SECRET = 'pa55';
    await expect(resolveSecret({ kind: 'env', name: 'NETOPS_TEST_SECRET' })).resolves.toBe('pa55');
  });

  it('reads a file, dropping one trailing line break', async () => {
    writeFileSync(join(dir, 'enable'), 's3cret\n');
    await expect(resolveSecret({ kind: 'file', path: join(dir, 'enable') })).resolves.toBe('s3cret');
  });

  it('names the reference, never a value, when it cannot resolve', async () => {
    await expect(resolveSecret({ kind: 'env', name: 'NETOPS_TEST_SECRET' })).rejects.toBeInstanceOf(SecretResolutionError);
    await expect(resolveSecret({ kind: 'env', name: 'NETOPS_TEST_SECRET' })).rejects.toThrow(
      'cannot resolve secret env:NETOPS_TEST_SECRET: environment variable NETOPS_TEST_SECRET is not set on this worker',
    );
    const missing = join(dir, 'missing');
    await expect(resolveSecret({ kind: 'file', path: missing })).rejects.toThrow(`cannot resolve secret file:${missing}: the file does not exist on this worker`);
  });

  it('refuses empty secrets rather than logging in with nothing', async () => {
    process.env.NETOPS_TEST_SECRET = '';
    await expect(resolveSecret({ kind: 'env', name: 'NETOPS_TEST_SECRET' })).rejects.toThrow('environment variable NETOPS_TEST_SECRET is empty');
    writeFileSync(join(dir, 'empty'), '\n');
    await expect(resolveSecret({ kind: 'file', path: join(dir, 'empty') })).rejects.toThrow('the file is empty');
  });
});
