// Runs from `npm install` (postinstall): mends dependencies that break on a supported runtime, until their
// maintainers release a fix. Each patch is idempotent and checks that the text it replaces is still there.
//   graphql-shield 7.6.5 imports `isUndefined` from node:util, which Node 23 removed: on Node 24 the
//   server would not start (SyntaxError at module link time). Both builds get a local definition.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATCHES = [
  ['node_modules/graphql-shield/esm/rules.js', "import { isUndefined } from 'util';", 'const isUndefined = (value) => value === undefined;'],
  ['node_modules/graphql-shield/cjs/rules.js', 'const util_1 = require("util");', 'const util_1 = { isUndefined: (value) => value === undefined };'],
];

for (const [file, before, after] of PATCHES) {
  const location = path.join(root, file);
  if (!existsSync(location)) continue;
  const text = readFileSync(location, 'utf8');
  if (text.includes(before)) {
    writeFileSync(location, text.replace(before, after));
    console.log(`patch-dependencies: ${file} no longer needs util.isUndefined (removed in Node 23)`);
  }
}
