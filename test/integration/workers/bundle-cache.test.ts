import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedWorkflowBundle, sourceHash } from '../../../src/workers/workflow-bundle-cache';

// A tiny project of its own: one workflow file under src/, bundled for real.
const root = mkdtempSync(join(tmpdir(), 'netops-bundle-cache-'));
const workflow = join(root, 'src', 'workflows.ts');
mkdirSync(join(root, 'src'));
writeFileSync(workflow, 'export async function hello(): Promise<string> { return "hello"; }\n');
writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
// The bundler resolves @temporalio/workflow from the project's own modules.
symlinkSync(join(__dirname, '..', '..', '..', 'node_modules'), join(root, 'node_modules'));

describe('the workflow bundle cache', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('bundles once per version of the source and reuses the file after', { timeout: 60_000 }, async () => {
    const dir = join(root, 'cache');
    const first = await cachedWorkflowBundle({ root, dir, workflowsPath: workflow });
    expect(first.fromCache).toBe(false);
    expect('codePath' in first && first.codePath).toContain(sourceHash(root));
    const again = await cachedWorkflowBundle({ root, dir, workflowsPath: workflow });
    expect(again).toEqual({ ...first, fromCache: true });
    // No half-written file is ever left beside the bundle.
    expect(readdirSync(dir)).toEqual([`workflows-${sourceHash(root)}.js`]);
  });

  it('a changed source file or lockfile gets a fresh bundle', { timeout: 60_000 }, async () => {
    const before = sourceHash(root);
    writeFileSync(workflow, 'export async function hello(): Promise<string> { return "hello again"; }\n');
    const edited = sourceHash(root);
    expect(edited).not.toBe(before);
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    expect(sourceHash(root)).not.toBe(edited);
    const rebuilt = await cachedWorkflowBundle({ root, dir: join(root, 'cache'), workflowsPath: workflow });
    expect(rebuilt.fromCache).toBe(false);
    expect(readdirSync(join(root, 'cache'))).toHaveLength(2);
  });

  it('a cache it cannot write to still yields the bundle, in memory', { timeout: 60_000 }, async () => {
    // A cache "directory" under a regular file cannot be created, even by root.
    const r = await cachedWorkflowBundle({ root, dir: join(root, 'package-lock.json', 'cache'), workflowsPath: workflow });
    expect(r.fromCache).toBe(false);
    expect('code' in r && r.code).toContain('hello again');
  });
});
