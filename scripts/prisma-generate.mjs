// `prisma generate` without Prisma's native schema engine: generate never calls the engine, but the CLI
// insists on finding its binary, so it is pointed at a placeholder file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv.includes('--if-missing') && existsSync(path.join(root, 'src/generated/prisma/client.ts'))) {
  process.exit(0);
}
const placeholder = path.join(os.tmpdir(), 'prisma-schema-engine-placeholder');
if (!existsSync(placeholder)) {
  mkdirSync(path.dirname(placeholder), { recursive: true });
  writeFileSync(placeholder, '');
}
const cli = path.join(root, 'node_modules/prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: placeholder, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(result.status ?? 1);
