// npm run contract:types [-- --check]: writes the typed document nodes of the frontends' operations
// (codegen.ts); with --check, generates them into a temporary folder instead and exits 1 when the committed
// file differs (contract/operations.graphql or schema.graphql changed without regenerating).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import config, { CONTRACT_TYPES_FILE, contractTypes } from '../codegen.js';
import { PROJECT_ROOT } from '../src/shared/project-root.js';

const check = process.argv.includes('--check');
process.chdir(PROJECT_ROOT);
if (!check) {
  await generate(config, true);
  console.log(`wrote ${CONTRACT_TYPES_FILE}`);
  process.exit(0);
}
const folder = await mkdtemp(path.join(os.tmpdir(), 'contract-types-'));
try {
  const fresh = path.join(folder, path.basename(CONTRACT_TYPES_FILE));
  await generate({ ...config, generates: { [fresh]: contractTypes } }, true);
  const [expected, committed] = await Promise.all([readFile(fresh, 'utf8'), readFile(CONTRACT_TYPES_FILE, 'utf8').catch(() => null)]);
  if (committed === expected) process.exit(0);
  console.error(
    committed === null
      ? `${CONTRACT_TYPES_FILE} is missing: run npm run contract:types`
      : `${CONTRACT_TYPES_FILE} is out of date with contract/operations.graphql and schema.graphql: run npm run contract:types`,
  );
  process.exit(1);
} finally {
  await rm(folder, { recursive: true, force: true });
}
