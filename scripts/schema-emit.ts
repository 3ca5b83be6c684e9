// npm run schema:emit [-- --check]: writes schema.graphql, docs/ROLE_AUDIT.md and docs/roles.md from the code, and
// contract/persisted-query-manifest.json (the trusted documents) from contract/operations.graphql and the IDE's
// sign-in operations; with --check, exits 1 when the committed files differ instead of writing them.
import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderRoleAudit, renderRoleMatrix } from '../src/auth/role-audit.js';
import { SIGN_IN_OPERATIONS } from '../src/server/ide/browser/sign-in.operations.js';
import { buildBaseSchema, printAppSchema } from '../src/server/schema.js';
import { buildManifest, MANIFEST_FILE, manifestText } from '../src/server/trusted-documents.js';
import { PROJECT_ROOT } from '../src/shared/project-root.js';

const check = process.argv.includes('--check');
const outputs: [string, string][] = [
  [path.join(PROJECT_ROOT, 'schema.graphql'), await printAppSchema()],
  [path.join(PROJECT_ROOT, 'docs', 'ROLE_AUDIT.md'), renderRoleAudit(await buildBaseSchema())],
  [path.join(PROJECT_ROOT, 'docs', 'roles.md'), renderRoleMatrix(await buildBaseSchema())],
  [
    MANIFEST_FILE,
    manifestText(
      buildManifest({ contract: await readFile(path.join(PROJECT_ROOT, 'contract', 'operations.graphql'), 'utf8'), ide: Object.values(SIGN_IN_OPERATIONS) }),
    ),
  ],
];
let drift = false;
for (const [file, content] of outputs) {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === content) continue;
  if (check) {
    drift = true;
    console.error(`${path.relative(PROJECT_ROOT, file)} is out of date: run npm run schema:emit`);
  } else {
    await writeFile(file, content);
    console.log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
  }
}
process.exit(drift ? 1 : 0);
