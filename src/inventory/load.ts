import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { readNetopsInventory, netopsDuplicateLabel } from './netops-format';
import { readNornirInventory } from './nornir-format';
import { InventoryError } from './problems';
import { resolveDraft } from './resolve';
import type { Inventory } from './types';
import { readYamlSource } from './yaml-source';

export type InventoryFormat = 'netops' | 'nornir' | 'auto';

export interface LoadOptions {
  /** `auto` (default) treats a directory, or a file named hosts.yaml, as Nornir SimpleInventory. */
  format?: InventoryFormat;
}

/**
 * Loads, validates and resolves an inventory. Throws `InventoryError` with
 * every problem found (never just the first); the result holds credential
 * references only, so it is safe to pass into workflows.
 */
export async function loadInventory(path: string, opts: LoadOptions = {}): Promise<Inventory> {
  const format = opts.format === undefined || opts.format === 'auto' ? await detectFormat(path) : opts.format;
  const draft = format === 'nornir' ? await readNornirInventory(path) : await readNetops(path);
  const { inventory, problems } = resolveDraft(draft);
  if (problems.length > 0) throw new InventoryError(problems);
  return inventory;
}

async function readNetops(path: string) {
  const read = await readYamlSource(path, path, netopsDuplicateLabel);
  if (!read.source) throw new InventoryError(read.problems);
  return readNetopsInventory(read.source, read.problems);
}

async function detectFormat(path: string): Promise<'netops' | 'nornir'> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return 'nornir';
  return /^hosts\.ya?ml$/.test(basename(path)) ? 'nornir' : 'netops';
}
