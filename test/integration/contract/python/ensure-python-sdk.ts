import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolsDir } from '../../../../src/server/temporal-cli';

const REQUIREMENTS = join(__dirname, 'requirements.txt');

export type PythonSdk = { python: string } | { unavailable: string };

/**
 * The Temporal Python SDK in a project-local virtualenv (.tools/temporalio-py),
 * installed from requirements.txt the first time and reused after (a stamp
 * file records which requirements it holds). Says why when it cannot be
 * installed, so the test can skip with that note.
 */
export function ensurePythonSdk(log: (line: string) => void = () => undefined): PythonSdk {
  const venv = join(toolsDir(), 'temporalio-py');
  const python = join(venv, 'bin', 'python');
  const stamp = join(venv, 'netops-requirements.txt');
  const wanted = readFileSync(REQUIREMENTS, 'utf8');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return { python };
  const run = (cmd: string, args: string[]): string | undefined => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60_000 });
    if (r.status === 0) return undefined;
    return `${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout || String(r.error ?? `exit ${r.status}`)).trim().split('\n').slice(-3).join(' / ')}`;
  };
  if (!existsSync(python)) {
    log(`creating a virtualenv for the Temporal Python SDK in ${venv}`);
    const failed = run(process.env['PYTHON'] ?? 'python3', ['-m', 'venv', venv]);
    if (failed) return { unavailable: `no virtualenv: ${failed}` };
  }
  log(`installing ${wanted.split('\n').filter((l) => l && !l.startsWith('#')).join(', ')} into ${venv}`);
  const failed = run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]);
  if (failed) return { unavailable: `the Python SDK could not be installed: ${failed}` };
  writeFileSync(stamp, wanted);
  return { python };
}
