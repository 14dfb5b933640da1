'use strict';
// Resolves the Temporal CLI (installing the pinned one into .tools/ if needed)
// and prints its path; instant when it is already there.
require('tsx/cjs/api').register();
const { resolveTemporalCli, cliVersion } = require('../src/server/temporal-cli.ts');
try {
  const cli = resolveTemporalCli();
  process.stderr.write(`netops: Temporal CLI ${cli.path} (${cli.source}; ${cliVersion(cli.path)})\n`);
  process.stdout.write(`${cli.path}\n`);
} catch (err) {
  process.stderr.write(`netops: ${err.message}\n`);
  process.exit(3);
}
