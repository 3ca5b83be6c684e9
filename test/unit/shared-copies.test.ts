// The repository carries its own copies of the team's shared material (the frontends' operations, the
// product description, the legacy export format and its sample): a clone stands alone. Where the team's
// folder is checked out beside the repository, each copy must still equal it byte for byte. This is the
// only test that reads that folder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';

const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared');

const COPIES: ReadonlyArray<{ copy: string; original: string }> = [
  { copy: 'contract/operations.graphql', original: 'contract/operations.graphql' },
  { copy: 'docs/SPEC.md', original: 'SPEC.md' },
  { copy: 'docs/legacy/FORMAT.md', original: 'legacy/FORMAT.md' },
  { copy: 'docs/legacy/sample', original: 'legacy/sample' },
];

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe.runIf(existsSync(SHARED))('the copies of the shared material', () => {
  for (const { copy, original } of COPIES) {
    it(`${copy} equals the shared ${original}`, () => {
      const copyPath = path.join(PROJECT_ROOT, copy);
      const originalPath = path.join(SHARED, original);
      const isFolder = statSync(originalPath).isDirectory();
      const files = isFolder ? filesUnder(originalPath) : [''];
      if (isFolder) expect(filesUnder(copyPath)).toEqual(files);
      for (const file of files) {
        expect(
          readFileSync(path.join(copyPath, file)).equals(readFileSync(path.join(originalPath, file))),
          `${copy}/${file} differs from the shared copy: copy it again`,
        ).toBe(true);
      }
    });
  }
});
