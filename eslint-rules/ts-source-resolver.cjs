// Import resolver (eslint-module-utils interface 2) for eslint-plugin-boundaries: the sources import each
// other as `./thing.js` (NodeNext), and the file on disk is `./thing.ts`. Only relative specifiers are
// resolved here; packages are left to the node resolver configured after this one.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function resolve(source, file) {
  if (!source.startsWith('.')) return { found: false };
  const base = path.resolve(path.dirname(file), source);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base, `${base}.ts`, path.join(base, 'index.ts')];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return { found: true, path: candidate };
  }
  return { found: false };
}

module.exports = { interfaceVersion: 2, resolve };
