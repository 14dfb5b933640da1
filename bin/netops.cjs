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

function loadCli() {
  try {
    ensureBuilt();
    return require('../dist/client/cli.js');
  } catch (err) {
    // A read-only install (a container image built without dist/) cannot
    // write dist/: run from the sources as before, slower but working.
    if (!err || !['EACCES', 'EROFS', 'EPERM'].includes(err.code)) throw err;
    if (process.env.NETOPS_DEBUG) process.stderr.write(`netops: cannot write dist/ (${err.code}); running from src/ through tsx\n`);
    require('tsx/cjs/api').register();
    return require('../src/client/cli.ts');
  }
}

let cli;
try {
  cli = loadCli();
} catch (err) {
  process.stderr.write(`netops: cannot compile the CLI from src/ (${err && err.message ? err.message.split('\n')[0] : String(err)}); run \`npm run build\` to see the whole error\n`);
  process.exit(1);
}
cli.main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`netops: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
