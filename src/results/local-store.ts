import { appendFile, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
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
 *   <root>/<runId>/index.jsonl           one IndexRow per put (last one wins), with `at` its record's place
 *   <root>/<runId>/records/<id>.jsonl    CollectedDevice records, one a line, written once
 *   <root>/<runId>/devices/<device>.json CollectedDevice (runs stored before segments; still read)
 *   <root>/_sets/<key>.json              device sets too large for a workflow input
 *
 * Whole files are written to a temporary name and renamed, so a reader (or a
 * worker killed mid-write) never sees half a record. Index lines are small
 * appends, which POSIX keeps whole on a local file system.
 */
export class LocalResultStore implements ResultStore {
  readonly root: string;
  private readonly setCache = new Map<string, { mtimeMs: number; devices: unknown[] }>();
  private readonly writers = new Map<string, RunWriter>();
  private readonly indexCache = new Map<string, { size: number; rows: Promise<Map<string, IndexRow>> }>();
  private readonly segmentCache = new Map<string, Promise<string[]>>();

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
   * Resolves once the device's record and its index row are written. Puts
   * that arrive while one write is under way go out together in the next:
   * their records in one new segment file, then their index rows in one
   * append (a collection stores hundreds of devices at once; a file per
   * device cost the collection more CPU than anything else it does besides
   * SSH). The index is the commit point: a record counts once its row is
   * appended, so a crash mid-write loses only puts that had not resolved.
   */
  async put(runId: string, device: string, data: CollectedDevice): Promise<void> {
    segment('device name', device);
    await writing(this.root, () => this.writerOf(runId).put(JSON.stringify(data), JSON.stringify({ ...indexRowOf(data), device })));
  }

  private writerOf(runId: string): RunWriter {
    let w = this.writers.get(runId);
    if (!w) {
      w = new RunWriter(this.runDir(runId));
      this.writers.set(runId, w);
    }
    return w;
  }

  /** A record from its segment (runs stored from now on) or its own file (runs stored before segments). */
  async get(runId: string, device: string): Promise<CollectedDevice | undefined> {
    const name = segment('device name', device);
    const row = (await this.indexOfRun(runId)).get(name);
    if (row?.at) {
      const lines = await this.segmentLines(runId, row.at.file);
      const line = lines[row.at.line];
      if (line === undefined) throw new Error(`result store ${this.root}: run ${runId} has no line ${row.at.line} in ${row.at.file} for ${device} (the segment was cut or edited)`);
      return JSON.parse(line) as CollectedDevice;
    }
    return readJson<CollectedDevice>(join(this.runDir(runId), 'devices', `${name}.json`));
  }

  /** The run's index by device, read again only when the file grew (readers such as `collect show` get every device of a run). */
  private async indexOfRun(runId: string): Promise<Map<string, IndexRow>> {
    const path = join(this.runDir(runId), 'index.jsonl');
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return new Map();
    }
    const cached = this.indexCache.get(runId);
    if (cached && cached.size === size) return cached.rows;
    // The promise is cached, so the many gets of one `collect show` read the index once, not once each.
    const rows = this.list(runId).then((list) => new Map(list.map((r) => [r.device, r])));
    this.indexCache.set(runId, { size, rows });
    return rows;
  }

  /** Segments are written once and never changed: the recent ones stay split into lines. */
  private async segmentLines(runId: string, file: string): Promise<string[]> {
    if (!/^records\/[A-Za-z0-9._-]+\.jsonl$/.test(file)) throw new InvalidResultKey(`segment '${file}' in the index of run ${runId} is not a segment of this store`);
    const path = join(this.runDir(runId), file);
    const hit = this.segmentCache.get(path);
    if (hit) return hit;
    const lines = readFile(path, 'utf8').then((text) => text.split('\n'));
    this.segmentCache.set(path, lines);
    lines.catch(() => this.segmentCache.delete(path));
    if (this.segmentCache.size > 64) this.segmentCache.delete(this.segmentCache.keys().next().value!);
    return lines;
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

let segmentSeq = 0;

/**
 * One run's writes, one at a time: the records waiting when a write starts
 * go into one new segment (`records/<unique>.jsonl`, one record a line),
 * then their index rows, each naming its segment and line, in one append.
 */
class RunWriter {
  private waiting: { record: string; row: string; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private busy = false;
  private dirMade = false;

  constructor(private readonly dir: string) {}

  put(record: string, row: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ record, row, resolve, reject });
      if (!this.busy) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.busy = true;
    try {
      if (!this.dirMade) {
        await mkdir(join(this.dir, 'records'), { recursive: true });
        this.dirMade = true;
      }
      const file = `records/${process.pid}-${Date.now().toString(36)}-${(segmentSeq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}.jsonl`;
      await writeFile(join(this.dir, file), batch.map((b) => `${b.record}\n`).join(''), { flag: 'wx' });
      // `at` goes last in each row: `{...row, "at": ...}` without parsing the row again.
      const rows = batch.map((b, line) => `${b.row.slice(0, -1)},"at":${JSON.stringify({ file, line })}}\n`).join('');
      await appendFile(join(this.dir, 'index.jsonl'), rows);
      for (const b of batch) b.resolve();
    } catch (err) {
      // A run directory removed by hand is made again on the next write.
      this.dirMade = false;
      for (const b of batch) b.reject(err);
    } finally {
      this.busy = false;
      if (this.waiting.length) void this.flush();
    }
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
