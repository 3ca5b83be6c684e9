import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The same code runs from src/ (tests, tsx) and from dist/src/ (npm start): find the folder holding prisma/.
function findProjectRoot(start: string): string {
  let directory = start;
  while (!existsSync(path.join(directory, 'prisma', 'schema.prisma'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`no prisma/schema.prisma above ${start}`);
    directory = parent;
  }
  return directory;
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
