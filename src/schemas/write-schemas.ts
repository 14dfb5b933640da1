import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../server/temporal-cli';
import { generateSchemas, SCHEMA_DIR } from './workflow-schemas';

/**
 * `npm run schemas`: regenerates schemas/*.schema.json from the contract schemas
 * (src/contracts). With `--check`, writes nothing and exits 1 when a file is stale.
 */
function run(argv: string[]): number {
  const check = argv.includes('--check');
  const root = projectRoot();
  const dir = join(root, SCHEMA_DIR);
  mkdirSync(dir, { recursive: true });
  let stale = 0;
  for (const { spec, text } of generateSchemas()) {
    const file = join(dir, spec.file);
    const current = readOrEmpty(file);
    if (current === text) continue;
    if (check) {
      process.stderr.write(`stale: ${SCHEMA_DIR}/${spec.file} (run \`npm run schemas\`)\n`);
      stale++;
    } else {
      writeFileSync(file, text);
      process.stderr.write(`wrote ${SCHEMA_DIR}/${spec.file} (${spec.title})\n`);
    }
  }
  return stale ? 1 : 0;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

process.exitCode = run(process.argv.slice(2));
