import { rename as renameCb, writeFile as writeFileCb } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { indexRowOf, lastRowPerDevice } from './index-row';
import type { CollectedDevice, IndexRow, ResultStore, RunMeta } from './types';

/** Run ids and device names become path segments: nothing that could climb out of the root. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export class InvalidResultKey extends Error {}

/**
 * The store's directory cannot be written by this process (permissions, a
 * read-only file system). Retrying cannot fix it; the message says where and
 * what to set.
 */
export class ResultStoreUnwritable extends Error {
  override readonly name = 'ResultStoreUnwritable';
}

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Runs a write; a permission or read-only failure becomes ResultStoreUnwritable. */
async function writing<T>(root: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!code || !UNWRITABLE.has(code)) throw err;
    const who = process.getuid ? `uid ${process.getuid()}` : 'this user';
    throw new ResultStoreUnwritable(
      `the result store ${root} cannot be written by this process (${who}, ${code} on ${(err as NodeJS.ErrnoException).path ?? root}): set NETOPS_RESULTS_DIR to a directory it may write (in a container: a volume), then run the collection again`,
    );
  }
}

function segment(kind: string, value: string): string {
  if (!SAFE_SEGMENT.test(value) || value.includes('..')) throw new InvalidResultKey(`${kind} '${value}' cannot be used as a result store key (letters, digits, '.', '_', '-')`);
  return value;
}

/**
 * The default result store: a directory tree on the worker's disk.
 *
 *   <root>/<runId>/run.json              RunMeta
 *   <root>/<runId>/index.jsonl           one IndexRow per put (last one wins)
 *   <root>/<runId>/devices/<device>.json CollectedDevice
 *   <root>/_sets/<key>.json              device sets too large for a workflow input
 *
 * Whole files are written to a temporary name and renamed, so a reader (or a
 * worker killed mid-write) never sees half a record. Index lines are small
 * appends, which POSIX keeps whole on a local file system.
 */
export class LocalResultStore implements ResultStore {
  readonly root: string;
  private readonly setCache = new Map<string, { mtimeMs: number; devices: unknown[] }>();
  private readonly madeDirs = new Set<string>();
  private readonly indexes = new Map<string, GroupAppend>();

  constructor(root: string) {
    this.root = resolve(root);
  }

  private runDir(runId: string): string {
    return join(this.root, segment('run id', runId));
  }

  async putRun(meta: RunMeta): Promise<void> {
    await writing(this.root, async () => {
      await mkdir(join(this.runDir(meta.runId), 'devices'), { recursive: true });
      await writeAtomic(join(this.runDir(meta.runId), 'run.json'), JSON.stringify(meta, null, 2));
    });
  }

  async getRun(runId: string): Promise<RunMeta | undefined> {
    return readJson<RunMeta>(join(this.runDir(runId), 'run.json'));
  }

  async listRuns(): Promise<RunMeta[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const metas = await Promise.all(names.filter((n) => SAFE_SEGMENT.test(n)).map((n) => readJson<RunMeta>(join(this.root, n, 'run.json'))));
    return metas.filter((m): m is RunMeta => m !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /**
   * Resolves once the device's file and its index row are written. The
   * directory is made once per run, and the index rows of the puts that
   * arrive while one append is under way go out in the next single append
   * (a collection stores hundreds of devices at once: a syscall saved per
   * device is CPU the collection does not spend).
   */
  async put(runId: string, device: string, data: CollectedDevice): Promise<void> {
    const dir = join(this.runDir(runId), 'devices');
    const file = join(dir, `${segment('device name', device)}.json`);
    await writing(this.root, async () => {
      if (!this.madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      try {
        await writeAtomic(file, JSON.stringify(data));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // The run's directory went away under us (removed by hand): make it again, once.
        await mkdir(dir, { recursive: true });
        await writeAtomic(file, JSON.stringify(data));
      }
      await this.indexOf(runId).append(`${JSON.stringify(indexRowOf(data))}\n`);
    });
  }

  private indexOf(runId: string): GroupAppend {
    let index = this.indexes.get(runId);
    if (!index) {
      index = new GroupAppend(join(this.runDir(runId), 'index.jsonl'));
      this.indexes.set(runId, index);
    }
    return index;
  }

  async get(runId: string, device: string): Promise<CollectedDevice | undefined> {
    return readJson<CollectedDevice>(join(this.runDir(runId), 'devices', `${segment('device name', device)}.json`));
  }

  async list(runId: string): Promise<IndexRow[]> {
    let text: string;
    try {
      text = await readFile(join(this.runDir(runId), 'index.jsonl'), 'utf8');
    } catch {
      return [];
    }
    const rows: IndexRow[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        rows.push(JSON.parse(line) as IndexRow);
      } catch {
        // a line cut by a crash mid-append: that device's file is still authoritative
      }
    }
    return lastRowPerDevice(rows);
  }

  async putDeviceSet(key: string, devices: unknown[]): Promise<void> {
    const dir = join(this.root, '_sets');
    await writing(this.root, async () => {
      await mkdir(dir, { recursive: true });
      await writeAtomic(join(dir, `${segment('device set', key)}.json`), JSON.stringify(devices));
    });
  }

  async getDeviceSet<T>(key: string, from: number, to: number): Promise<T[]> {
    const path = join(this.root, '_sets', `${segment('device set', key)}.json`);
    const { mtimeMs } = await stat(path);
    let cached = this.setCache.get(key);
    if (!cached || cached.mtimeMs !== mtimeMs) {
      cached = { mtimeMs, devices: JSON.parse(await readFile(path, 'utf8')) as unknown[] };
      this.setCache.set(key, cached);
    }
    return cached.devices.slice(from, to) as T[];
  }
}

/** Appends to one file; lines that arrive while an append is under way go out together in the next one. */
class GroupAppend {
  private lines: string[] = [];
  private waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private busy = false;

  constructor(private readonly path: string) {}

  append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.lines.push(line);
      this.waiting.push({ resolve, reject });
      if (!this.busy) this.flush();
    });
  }

  private flush(): void {
    const text = this.lines.join('');
    const waiting = this.waiting;
    this.lines = [];
    this.waiting = [];
    this.busy = true;
    appendFile(this.path, text).then(
      () => this.done(waiting, undefined),
      (err: unknown) => this.done(waiting, err),
    );
  }

  private done(waiting: { resolve: () => void; reject: (err: unknown) => void }[], err: unknown): void {
    this.busy = false;
    for (const w of waiting) {
      if (err) w.reject(err);
      else w.resolve();
    }
    if (this.lines.length) this.flush();
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  // The callback API: no FileHandle per write (fs/promises' writeFile and rename cost a third more CPU per put, measured).
  await new Promise<void>((resolve, reject) => writeFileCb(tmp, text, (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve, reject) => renameCb(tmp, path, (err) => (err ? reject(err) : resolve())));
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
