import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main';
import { runCli } from '../../support/cli-process';

// Bad input to `netops config push` is refused with one line and exit 2,
// before Temporal is contacted (the address below has nothing listening).
// One case runs the real binary; the rest drive the same program in-process,
// as spawning tsx eight times costs more CPU than the suite can spare.
const dir = mkdtempSync(join(tmpdir(), 'netops-config-cli-'));
const INVENTORY = 'test/fixtures/inventory/lab.yaml';
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const good = file('ntp.liquid', 'ntp server {{ data.ntp }}\n');

const BASE = ['config', 'push', '--inventory', INVENTORY, '--address', '127.0.0.1:1'];

/** `netops ...` in this process: exit code and what it printed. */
async function push(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'netops', ...BASE, ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

async function expectUsageError(args: string[], message: string | RegExp): Promise<void> {
  const run = await push(...args);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(typeof message === 'string' ? new RegExp(`^netops: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netops config push: bad input', () => {
  it('neither --template nor --lines (the real binary)', async () => {
    const run = await runCli([...BASE], { env: { LAB_PASSWORD: 'x' } });
    expect(run.stderr).toBe('netops: give the configuration with --template FILE or --lines FILE\n');
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });

  it('both --template and --lines', async () => {
    await expectUsageError(['--template', good, '--lines', good], '--template and --lines exclude each other: give one');
  });

  it('a template that cannot be read', async () => {
    await expectUsageError(['--template', join(dir, 'missing.liquid')], `--template: cannot read ${join(dir, 'missing.liquid')}: no such file`);
  });

  it('a template with a syntax error', async () => {
    const bad = file('broken.liquid', 'interface Loopback0\n{% if device.name %}\n description x\n');
    await expectUsageError(['--template', bad], /^netops: .*broken\.liquid: template syntax error: tag \{% if device\.name %\} not closed, line:2, col:1$/);
  });

  it('a variable a device does not have', async () => {
    const bad = file('vrf.liquid', 'vrf definition {{ data.vrf }}\n');
    await expectUsageError(['--template', bad, '--devices', 'r1-a'], /^netops: .*vrf\.liquid: r1-a: undefined variable: data\.vrf, line:1, col:\d+$/);
  });

  it('an unknown variable name', async () => {
    const bad = file('host.liquid', 'hostname {{ hostname }}\n');
    await expectUsageError(['--template', bad], /^netops: .*host\.liquid: unknown variable "hostname" \(templates can use device\.\* and data\.\*\)$/);
  });

  it('a template that references credentials', async () => {
    const bad = file('creds.liquid', 'username admin secret {{ credentials.password }}\n');
    await expectUsageError(['--template', bad], /^netops: .*creds\.liquid: the template references "credentials\.password": templates may not use credentials or secrets/);
  });

  it('a bad --verify check', async () => {
    await expectUsageError(['--template', good, '--verify', 'redundancy,vibes'], '--verify: "vibes" is not a check (expected a comma list of redundancy, interfaces, bgp, or none)');
  });
});
