import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localCandidates, resolveTemporalCli } from '../../../src/server/temporal-cli';

function fakeBinary(path: string, executable = true): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\necho "temporal version 0.0.0-fake"\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

describe('resolveTemporalCli', () => {
  let root: string;
  let emptyPath: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'netops-cli-'));
    emptyPath = join(root, 'empty-bin');
    mkdirSync(emptyPath);
    lines.length = 0;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prefers TEMPORAL_CLI over PATH and .tools/', () => {
    const fromEnv = fakeBinary(join(root, 'custom', 'temporal'));
    const onPath = fakeBinary(join(root, 'bin', 'temporal'));
    fakeBinary(localCandidates(root)[0]!);
    const cli = resolveTemporalCli({ projectRoot: root, env: { TEMPORAL_CLI: fromEnv, PATH: join(onPath, '..') }, log });
    expect(cli).toEqual({ path: fromEnv, source: 'env' });
  });

  it('refuses a TEMPORAL_CLI that is not executable, naming it', () => {
    const bad = fakeBinary(join(root, 'custom', 'temporal'), false);
    expect(() => resolveTemporalCli({ projectRoot: root, env: { TEMPORAL_CLI: bad, PATH: emptyPath }, log })).toThrow(
      `TEMPORAL_CLI is set to ${bad}, which is not an executable file; unset it or point it at the temporal binary`,
    );
  });

  it('finds temporal on PATH before .tools/', () => {
    const onPath = fakeBinary(join(root, 'bin', 'temporal'));
    fakeBinary(localCandidates(root)[0]!);
    expect(resolveTemporalCli({ projectRoot: root, env: { PATH: `${emptyPath}:${join(root, 'bin')}` }, log })).toEqual({
      path: onPath,
      source: 'path',
    });
  });

  it('uses the virtualenv in .tools/ when nothing else is there, without installing', () => {
    const local = fakeBinary(localCandidates(root)[0]!);
    expect(resolveTemporalCli({ projectRoot: root, env: { PATH: emptyPath }, log })).toEqual({ path: local, source: 'tools' });
    expect(lines).toEqual([]);
  });

  it('uses a Go build in .tools/ as well', () => {
    const goBuilt = fakeBinary(localCandidates(root)[1]!);
    expect(resolveTemporalCli({ projectRoot: root, env: { PATH: emptyPath }, log })).toEqual({ path: goBuilt, source: 'tools' });
  });

  it('says how to get one when installing is not allowed', () => {
    expect(() => resolveTemporalCli({ projectRoot: root, env: { PATH: emptyPath }, install: false, log })).toThrow(
      /the temporal CLI was not found \(TEMPORAL_CLI, PATH, \.tools\/\)/,
    );
  });

  it('ignores a non-executable file on PATH', () => {
    fakeBinary(join(root, 'bin', 'temporal'), false);
    const local = fakeBinary(localCandidates(root)[0]!);
    expect(resolveTemporalCli({ projectRoot: root, env: { PATH: join(root, 'bin') }, log }).path).toBe(local);
  });
});
