#!/usr/bin/env node
'use strict';
// The CLI runs straight from the TypeScript sources (no build step), so a
// fresh clone works after `npm install`. tsx compiles on the fly and caches.
require('tsx/cjs/api').register();
// `netops ... | head` closes the pipe early: stop quietly instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}
const { main } = require('../src/client/cli.ts');
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`netops: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
