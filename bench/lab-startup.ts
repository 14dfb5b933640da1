/**
 * Lab start-up benchmark: time and memory to start 1,000 and 10,000 devices
 * (each its own SSH listener and host key) in one process, plus a login and
 * command on a sample of devices to prove they serve. Each size runs in a
 * fresh child process so memory figures do not mix.
 *
 *   npx tsx bench/lab-startup.ts            # 1000 and 10000
 *   npx tsx bench/lab-startup.ts 2000       # custom sizes
 */
import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import { Client } from 'ssh2';
import { startLab } from '../src/lab';

interface Row {
  devices: number;
  startMs: number;
  rssMB: number;
  heapUsedMB: number;
  sampleLoginMs: number;
  stopMs: number;
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

function execOnce(host: string, port: number, password: string, hostKey: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('error', reject);
    c.once('ready', () =>
      c.exec('show version', (err, ch) => {
        if (err) return reject(err);
        let out = '';
        ch.on('data', (b: Buffer) => (out += b.toString()));
        ch.on('close', () => {
          c.end();
          resolve(out);
        });
      }),
    );
    c.connect({ host, port, username: 'admin', password, hostVerifier: (k: Buffer) => k.toString('base64') === hostKey.split(' ')[1] });
  });
}

async function child(devices: number): Promise<Row> {
  const t0 = performance.now();
  const lab = await startLab({ devices, pairs: true, sites: Math.max(1, Math.round(devices / 100)), platformMix: true, fast: true });
  const startMs = performance.now() - t0;
  global.gc?.();
  const mem = process.memoryUsage();
  const sample = [0, Math.floor(devices / 2), devices - 1].map((i) => lab.devices[i]!);
  const t1 = performance.now();
  for (const d of sample) {
    const out = await execOnce(d.host, d.port, lab.credentials.password, d.hostKey);
    if (!/Version|version/.test(out)) throw new Error(`${d.name} did not answer show version`);
  }
  const sampleLoginMs = (performance.now() - t1) / sample.length;
  const t2 = performance.now();
  await lab.stop();
  return { devices, startMs: Math.round(startMs), rssMB: mb(mem.rss), heapUsedMB: mb(mem.heapUsed), sampleLoginMs: Math.round(sampleLoginMs), stopMs: Math.round(performance.now() - t2) };
}

function main(): void {
  const [, , mode, arg] = process.argv;
  if (mode === '--child') {
    child(Number(arg)).then(
      (row) => process.stdout.write(`${JSON.stringify(row)}\n`),
      (e) => {
        process.stderr.write(`${(e as Error).stack}\n`);
        process.exit(1);
      },
    );
    return;
  }
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const rows: Row[] = [];
  for (const n of sizes.length ? sizes : [1000, 10000]) {
    const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, '--child', String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    rows.push(JSON.parse(out.trim().split('\n').pop()!) as Row);
  }
  const machine = { os: `${platform()} ${release()}`, cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const header = ['devices', 'start (ms)', 'per device (ms)', 'RSS (MB)', 'heap used (MB)', 'login+cmd (ms)', 'stop (ms)'];
  const table = rows.map((r) => [r.devices, r.startMs, (r.startMs / r.devices).toFixed(2), r.rssMB, r.heapUsedMB, r.sampleLoginMs, r.stopMs].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  process.stdout.write(`lab start-up on ${machine.os}, ${machine.cpus}, ${machine.memoryGB} GB, node ${machine.node}\n\n`);
  process.stdout.write(`${fmt(header)}\n${table.map(fmt).join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'lab-startup', machine, rows })}\n`);
}

main();
