// Small mongoexport folders for tests: each collection written as JSON lines (the default), a JSON
// array, or raw text, in a fresh temporary folder.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type Collections = Partial<Record<string, Array<Record<string, unknown>> | { array: Array<Record<string, unknown>> } | { raw: string }>>;

export interface ExportFolder {
  directory: string;
  remove(): Promise<void>;
}

export async function writeExport(collections: Collections): Promise<ExportFolder> {
  const directory = await mkdtemp(path.join(tmpdir(), 'legacy-export-'));
  for (const [collection, content] of Object.entries(collections)) {
    if (content === undefined) continue;
    let text: string;
    if (Array.isArray(content)) text = content.map((document) => JSON.stringify(document)).join('\n') + '\n';
    else if ('array' in content) text = JSON.stringify(content.array, null, 2);
    else text = content.raw;
    await writeFile(path.join(directory, `${collection}.json`), text);
  }
  return { directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

let sequence = 0;
/** A unique valid Indian mobile number for fixtures. */
export function uniquePhone(): string {
  sequence += 1;
  return `+9198${String(Date.now() % 1_000_000)
    .padStart(6, '0')
    .slice(0, 2)}${String(sequence).padStart(6, '0')}`;
}

/** The repository's copy of the sample export, with its expected report (docs/legacy/). */
export const SAMPLE_DIRECTORY = path.resolve(import.meta.dirname, '../../../docs/legacy/sample');
