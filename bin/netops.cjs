#!/usr/bin/env node
'use strict';
// The CLI runs as compiled JavaScript from dist/ (compiling at every start cost
// seconds per command). dist/ is rebuilt here when src/ changed since the last
// build, so a fresh clone or an edit needs no separate step.
const { ensureBuilt } = require('./build-cli.cjs');
// Node 22.1+ keeps V8's compiled code between runs (a no-op on Node 20).
require('node:module').enableCompileCache?.();

// `netops ... | head` closes the pipe early: stop quietly instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

// Set on the re-run below, whose Node already has tsx's hooks loaded.
const FROM_SOURCES = 'NETOPS_FROM_SOURCES';

/**
 * Runs this same command again from src/ under `node --import tsx`: only the
 * full loader hooks the commands' lazy `import()`s (tsx's require hook alone
 * leaves them unresolved). Signals are passed on so `netops dev` still stops.
 */
function rerunFromSources(why) {
  if (process.env.NETOPS_DEBUG) process.stderr.write(`netops: ${why}; running from src/ through tsx\n`);
  const { spawn } = require('node:child_process');
  const { pathToFileURL } = require('node:url');
  const loader = pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', loader, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [FROM_SOURCES]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + (require('node:os').constants.signals[signal] ?? 0) : 1);
  });
  return undefined;
}

function loadCli() {
  if (process.env[FROM_SOURCES] === '1') return require('../src/cli/main.ts');
  try {
    ensureBuilt();
  } catch (err) {
    // A read-only install (a container image built without dist/) cannot
    // write dist/, and a source file in the middle of an edit may not parse:
    // run from the sources as before (slower; tsx reports a real syntax error
    // where it is imported).
    const first = err && err.errors && err.errors[0];
    const where = first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : err && (err.code || String(err.message));
    return rerunFromSources(`cannot rebuild dist/ (${where})`);
  }
  return require('../dist/cli/main.js');
}

const cli = loadCli();
if (cli) cli.main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`netops: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
