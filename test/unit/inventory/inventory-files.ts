import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { formatProblem, InventoryError, loadInventory, type Inventory, type LoadOptions } from '../../../src/inventory';

/**
 * Writes inventory files into a private temp directory (removed after the
 * test file) and loads them, so problem lines can be compared exactly with
 * the directory prefix stripped: `inv.yaml:7:11: devices.r1-a.port: ...`.
 */
export function inventoryFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'netops-inv-'));
  let counter = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (files: Record<string, string>): string => {
    const root = join(dir, String(counter++));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    return root;
  };

  /** The problem lines for loading `path` (relative to a fresh dir), or [] when it loads. */
  const problemLines = async (files: Record<string, string>, path: string, opts?: LoadOptions): Promise<string[]> => {
    const root = write(files);
    try {
      await loadInventory(join(root, path), opts);
      return [];
    } catch (err) {
      if (!(err instanceof InventoryError)) throw err;
      return err.problems.map((p) => formatProblem(p).split(`${root}/`).join(''));
    }
  };

  return {
    dir,
    write,
    /** Problems of a one-file inventory named inv.yaml. */
    problems: (yaml: string) => problemLines({ 'inv.yaml': yaml }, 'inv.yaml'),
    problemLines,
    load: async (files: Record<string, string>, path: string, opts?: LoadOptions): Promise<Inventory> => loadInventory(join(write(files), path), opts),
    /** Like load, also saying which directory the files were written to. */
    loadIn: async (files: Record<string, string>, path: string): Promise<{ root: string; inventory: Inventory }> => {
      const root = write(files);
      return { root, inventory: await loadInventory(join(root, path)) };
    },
  };
}

/** Lines 1-5 of most test inventories: one credential set, one site, defaults using both. */
export const HEAD = [
  'credentials:',
  '  lab: {username: admin, password: env:LAB_PASSWORD}',
  'sites:',
  '  ams1: {timezone: Europe/Amsterdam}',
  'defaults: {platform: iosxe, site: ams1, credentials: lab}',
].join('\n');

/** HEAD plus a `devices:` section (line 6) made of `lines`, which start at line 7. */
export function withDevices(...lines: string[]): string {
  return [HEAD, 'devices:', ...lines, ''].join('\n');
}
