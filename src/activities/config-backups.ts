import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** NETOPS_CONFIG_BACKUP_DIR, else `.data/config-backups` under the current directory. */
export function defaultConfigBackupRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env['NETOPS_CONFIG_BACKUP_DIR'] || join(process.cwd(), '.data', 'config-backups');
}

/**
 * Copies of running configurations, for devices that cannot hold a restore
 * point themselves (FRR). A configuration may hold passwords, so it never
 * travels through a workflow: the copy stays on the worker's disk, readable
 * by the worker's user only, under `<root>/<device>/<backup name>`, and the
 * workflow carries the backup name. The name is stable per push, so a
 * retried backup overwrites its own copy and a retried rollback finds it;
 * workers that may run each other's activities must share the root.
 */
export class ConfigBackups {
  readonly root: string;

  constructor(root: string = defaultConfigBackupRoot()) {
    this.root = resolve(root);
  }

  /** Where the copy of `name` for `device` lives (device and backup names are encoded, never path syntax). */
  pathOf(device: string, name: string): string {
    return join(this.root, encodeURIComponent(device), encodeURIComponent(name));
  }

  async put(device: string, name: string, config: string): Promise<string> {
    const path = this.pathOf(device, name);
    await mkdir(join(this.root, encodeURIComponent(device)), { recursive: true, mode: 0o700 });
    // Written whole under a temporary name, then renamed: a killed worker never leaves half a copy.
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, config, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
    return path;
  }

  async get(device: string, name: string): Promise<string | undefined> {
    try {
      return await readFile(this.pathOf(device, name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
}
